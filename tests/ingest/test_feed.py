
from storyfuse.config import IngestConfig
from storyfuse.ingest import read_inputs
from storyfuse.ingest.feed import looks_like_feed
from storyfuse.models import RawDocument, Rejection

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Lantern Gazette</title>
<link>https://lantern.invalid/</link>
<description>News from the coast</description>
<language>en-gb</language>
<item>
<title>Ferry service resumes</title>
<link>https://lantern.invalid/ferry</link>
<pubDate>Thu, 12 Mar 2026 08:30:00 +0100</pubDate>
<dc:creator>Ilse Varro</dc:creator>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>The ferry to Gull Island sailed again on Thursday.</p>]]></content:encoded>
</item>
<item>
<title>Market day moved</title>
<link>https://lantern.invalid/market</link>
<pubDate>Fri, 13 Mar 2026 10:00:00 GMT</pubDate>
<description>The weekly market will move to Saturday this month.</description>
</item>
<item>
<title>Headline without a body</title>
<link>https://lantern.invalid/empty</link>
</item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Velmar Wire Service</title>
<id>urn:uuid:0d7f1c2e-feed</id>
<updated>2026-03-12T09:00:00Z</updated>
<entry>
<title>Dock strike ends</title>
<link href="https://vws.invalid/dock"/>
<id>urn:uuid:0d7f1c2e-1</id>
<published>2026-03-12T07:15:00Z</published>
<updated>2026-03-12T09:00:00Z</updated>
<author><name>Pell Arden</name></author>
<content type="html">&lt;p&gt;Dock workers returned on Thursday.&lt;/p&gt;</content>
</entry>
<entry>
<title>Harbour lights test</title>
<link href="https://vws.invalid/lights"/>
<id>urn:uuid:0d7f1c2e-2</id>
<updated>2026-03-11T18:00:00+02:00</updated>
<content type="text">Harbour lights will be tested tonight.</content>
</entry>
<entry>
<title>No body at all</title>
<id>urn:uuid:0d7f1c2e-3</id>
<updated>2026-03-11T18:00:00Z</updated>
</entry>
</feed>
"""


def _read(tmp_path, name, text, source=None):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, list(read_inputs([str(path)], IngestConfig(), source=source))


def test_rss_gives_one_item_per_entry(tmp_path):
    _, items = _read(tmp_path, "coast.rss", RSS)
    assert [type(i) for i in items] == [RawDocument, RawDocument, Rejection]


def test_rss_entry_ids_come_from_their_links(tmp_path):
    _, items = _read(tmp_path, "coast.rss", RSS)
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["lantern.invalid/ferry", "lantern.invalid/market"]


def test_entry_ids_stay_the_same_when_the_feed_grows(tmp_path):
    newer = RSS.replace("<item>", "<item><title>Late news</title><link>https://lantern.invalid/late</link>"
                        "<description>The late ferry was cancelled because of fog in the harbour.</description></item><item>", 1)
    _, before = _read(tmp_path, "coast.rss", RSS)
    _, after = _read(tmp_path, "coast2.rss", newer)
    ids_before = {i.id for i in before if isinstance(i, RawDocument)}
    assert ids_before < {i.id for i in after if isinstance(i, RawDocument)}


def test_entry_without_guid_or_link_is_numbered(tmp_path):
    bare = RSS.replace("<link>https://lantern.invalid/ferry</link>", "")
    _, items = _read(tmp_path, "coast.rss", bare)
    assert items[0].id == "coast:1"


def test_rss_entry_input_names_file_and_entry(tmp_path):
    path, items = _read(tmp_path, "coast.rss", RSS)
    assert items[0].input == f"{path}#1"


def test_rss_entry_title_url_and_author_metadata(tmp_path):
    _, items = _read(tmp_path, "coast.rss", RSS)
    meta = items[0].meta
    assert meta["title"] == "Ferry service resumes"
    assert meta["url"] == "https://lantern.invalid/ferry"
    assert meta["author"] == "Ilse Varro"


def test_rss_entry_published_is_iso_utc(tmp_path):
    _, items = _read(tmp_path, "coast.rss", RSS)
    assert items[0].meta["published"] == "2026-03-12T07:30:00+00:00"
    assert items[1].meta["published"] == "2026-03-13T10:00:00+00:00"


def test_rss_entry_source_is_the_feed_title(tmp_path):
    _, items = _read(tmp_path, "coast.rss", RSS)
    assert {i.meta["source"] for i in items if isinstance(i, RawDocument)} == {"Lantern Gazette"}


def test_rss_feed_title_wins_over_the_source_default(tmp_path):
    _, items = _read(tmp_path, "coast.rss", RSS, source="Command Line Outlet")
    assert items[0].meta["source"] == "Lantern Gazette"


def test_rss_feed_language_is_passed_on(tmp_path):
    _, items = _read(tmp_path, "coast.rss", RSS)
    assert items[0].meta["language"] == "en-gb"


def test_rss_full_content_is_preferred_over_the_description(tmp_path):
    _, items = _read(tmp_path, "coast.rss", RSS)
    assert items[0].kind == "html"
    assert items[0].content == "<p>The ferry to Gull Island sailed again on Thursday.</p>"


def test_rss_plain_description_is_used_as_text_when_there_is_no_content(tmp_path):
    _, items = _read(tmp_path, "coast.rss", RSS)
    assert items[1].kind == "text"
    assert items[1].content == "The weekly market will move to Saturday this month."


def test_rss_entry_without_content_whose_link_cannot_be_fetched_is_rejected(tmp_path):
    path, items = _read(tmp_path, "coast.rss", RSS)
    assert items[2].input == f"{path}#3"
    assert items[2].reason.startswith(
        "feed entry has no content or summary, and fetching https://lantern.invalid/empty failed (")


def test_atom_gives_one_item_per_entry_with_ids(tmp_path):
    _, items = _read(tmp_path, "wire.atom", ATOM)
    assert [type(i) for i in items] == [RawDocument, RawDocument, Rejection]
    assert [i.id for i in items[:2]] == ["wire:urn:uuid:0d7f1c2e-1", "wire:urn:uuid:0d7f1c2e-2"]


def test_atom_entry_metadata(tmp_path):
    _, items = _read(tmp_path, "wire.atom", ATOM)
    meta = {k: v for k, v in items[0].meta.items() if k != "note"}  # the teaser's link is not reachable here
    assert meta == {
        "title": "Dock strike ends",
        "url": "https://vws.invalid/dock",
        "author": "Pell Arden",
        "published": "2026-03-12T07:15:00+00:00",
        "source": "Velmar Wire Service",
    }


def test_atom_entry_without_published_uses_updated_in_utc(tmp_path):
    _, items = _read(tmp_path, "wire.atom", ATOM)
    assert items[1].meta["published"] == "2026-03-11T16:00:00+00:00"


def test_atom_html_content_is_unescaped_html(tmp_path):
    _, items = _read(tmp_path, "wire.atom", ATOM)
    assert items[0].kind == "html"
    assert items[0].content == "<p>Dock workers returned on Thursday.</p>"


def test_atom_text_content_is_text(tmp_path):
    _, items = _read(tmp_path, "wire.atom", ATOM)
    assert items[1].kind == "text"
    assert items[1].content == "Harbour lights will be tested tonight."


def test_atom_entry_without_content_is_rejected(tmp_path):
    _, items = _read(tmp_path, "wire.atom", ATOM)
    assert isinstance(items[2], Rejection)
    assert "no content or summary" in items[2].reason


def test_feed_with_xml_extension_is_read_as_a_feed(tmp_path):
    _, items = _read(tmp_path, "export.xml", ATOM)
    assert [i.id for i in items[:2]] == ["export:urn:uuid:0d7f1c2e-1", "export:urn:uuid:0d7f1c2e-2"]


def test_feed_with_unknown_extension_is_sniffed(tmp_path):
    _, items = _read(tmp_path, "coast.download", RSS)
    assert [i.id for i in items[:2]] == ["lantern.invalid/ferry", "lantern.invalid/market"]


def test_feed_file_under_a_directory_uses_relative_stem(tmp_path):
    (tmp_path / "in" / "feeds").mkdir(parents=True)
    (tmp_path / "in" / "feeds" / "coast.rss").write_text(RSS, encoding="utf-8")
    items = list(read_inputs([str(tmp_path / "in")], IngestConfig(), ))
    bare = RSS.replace("<link>https://lantern.invalid/ferry</link>", "")
    (tmp_path / "in" / "feeds" / "coast.rss").write_text(bare, encoding="utf-8")
    items = list(read_inputs([str(tmp_path / "in")], IngestConfig()))
    assert items[0].id == "feeds/coast:1"


def test_unparseable_feed_file_is_rejected(tmp_path):
    path, items = _read(tmp_path, "broken.rss", "this is not xml at all <<<")
    [item] = items
    assert isinstance(item, Rejection)
    assert item.input == str(path)
    assert "not a readable RSS/Atom feed" in item.reason


def test_xml_file_that_is_not_a_feed_is_rejected(tmp_path):
    _, items = _read(tmp_path, "settings.xml", '<?xml version="1.0"?>\n<config><a>1</a></config>\n')
    assert len(items) == 1
    assert isinstance(items[0], Rejection)


def test_feed_without_entries_is_rejected(tmp_path):
    empty = '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Quiet</title></channel></rss>\n'
    _, items = _read(tmp_path, "quiet.rss", empty)
    assert len(items) == 1
    assert isinstance(items[0], Rejection)


def test_looks_like_feed_recognises_rss_atom_and_rdf():
    assert looks_like_feed('<?xml version="1.0"?>\n<rss version="2.0">')
    assert looks_like_feed('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">')
    assert looks_like_feed('<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">')
    assert looks_like_feed("  <rss version='2.0'>")


def test_looks_like_feed_refuses_html_and_other_xml():
    assert not looks_like_feed("<!DOCTYPE html><html><body></body></html>")
    assert not looks_like_feed('<?xml version="1.0"?><config/>')


def test_a_feed_file_that_is_only_a_byte_order_mark_is_rejected_with_a_reason(tmp_path):
    # found by fuzzing: feedparser gives no "version" for it
    for k, data in enumerate((b"\xef\xbb\xbf", b"\x00\x00\xfe\xff")):
        path = tmp_path / f"empty{k}.rss"
        path.write_bytes(data)
        (item,) = list(read_inputs([str(path)], IngestConfig()))
        assert isinstance(item, Rejection) and "report this as a bug" not in item.reason


def test_a_feed_file_holding_a_path_or_an_address_is_never_opened_or_fetched(tmp_path, monkeypatch):
    # found by fuzzing: feedparser reads a string that looks like a path or a URL as one
    secret = tmp_path / "secret.xml"
    secret.write_text('<rss version="2.0"><channel><item><title>Private</title><description>'
                      + "Words from a private file that must never be read as a feed entry. " * 5
                      + "</description></item></channel></rss>", encoding="utf-8")
    import urllib.request

    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: (_ for _ in ()).throw(AssertionError("fetched")))
    for k, content in enumerate((str(secret), "http://127.0.0.1:9/feed.xml", "//[>")):
        path = tmp_path / f"pointer{k}.rss"
        path.write_text(content, encoding="utf-8")
        (item,) = list(read_inputs([str(path)], IngestConfig()))
        assert isinstance(item, Rejection) and "report this as a bug" not in item.reason
