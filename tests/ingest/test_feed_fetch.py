"""Feed entries that hold a summary or a teaser are fetched from their links (local servers only)."""

import socket
import time
from html import escape

import pytest

from storyfuse.config import IngestConfig
from storyfuse.ingest import AlreadyStored, read_inputs
from storyfuse.ingest.feed import is_teaser
from storyfuse.models import RawDocument

PAGE = (
    b"<!DOCTYPE html><html><head><title>Ferry resumes</title></head><body><article>"
    + b"<p>The ferry to Gull Island sailed again on Thursday after a week of storms.</p>" * 12
    + b"</article></body></html>"
)
TEASER = "The ferry to Gull Island sailed again on Thursday."
FULL = " ".join(["The ferry to Gull Island sailed again on Thursday after a week of storms."] * 8)  # 112 words


def _item(link="", summary=TEASER, title="Ferry resumes", guid=""):
    return (
        f"<item><title>{title}</title>"
        + (f"<link>{escape(link)}</link>" if link else "")
        + (f'<guid isPermaLink="false">{guid}</guid>' if guid else "")
        + "<pubDate>Thu, 12 Mar 2026 08:30:00 GMT</pubDate>"
        + (f"<description>{escape(summary)}</description>" if summary else "")
        + "</item>"
    )


def _feed(tmp_path, *items):
    path = tmp_path / "coast.rss"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Lantern Gazette</title>'
        "<link>http://lantern.invalid/</link><description>Coast news</description>"
        + "".join(items) + "</channel></rss>\n",
        encoding="utf-8",
    )
    return str(path)


def _read(feed, config=None, is_stored=None):
    return list(read_inputs([feed], config or IngestConfig(), is_stored=is_stored))


def _refused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_teaser_entry_becomes_the_fetched_page(tmp_path, web):
    link = web.serve("/ferry", PAGE)
    [doc] = _read(_feed(tmp_path, _item(link)))
    assert (doc.kind, doc.content) == ("html", PAGE.decode())


def test_fetched_page_keeps_the_entrys_id_title_published_and_outlet(tmp_path, web):
    link = web.serve("/ferry", PAGE)
    [doc] = _read(_feed(tmp_path, _item(link, title="Ferry back")))
    assert doc.id == link.removeprefix("http://")
    assert doc.meta == {"title": "Ferry back", "url": link, "published": "2026-03-12T08:30:00+00:00",
                        "source": "Lantern Gazette"}


def test_full_entry_is_not_fetched(tmp_path, web):
    link = web.serve("/ferry", PAGE)
    [doc] = _read(_feed(tmp_path, _item(link, summary=FULL)))
    assert doc.content == FULL
    assert web.hits["/ferry"] == 0


def test_long_summary_cut_with_an_ellipsis_is_fetched(tmp_path, web):
    link = web.serve("/ferry", PAGE)
    [doc] = _read(_feed(tmp_path, _item(link, summary=FULL + " And then…")))
    assert doc.kind == "html" and web.hits["/ferry"] == 1


def test_long_summary_ending_in_read_more_is_fetched(tmp_path, web):
    link = web.serve("/ferry", PAGE)
    [doc] = _read(_feed(tmp_path, _item(link, summary=f'<p>{FULL}</p><a href="{link}">Read more</a>')))
    assert doc.content == PAGE.decode()


def test_entry_without_any_summary_is_fetched(tmp_path, web):
    link = web.serve("/ferry", PAGE)
    [doc] = _read(_feed(tmp_path, _item(link, summary="")))
    assert doc.content == PAGE.decode()


def test_failed_fetch_keeps_the_summary_with_a_note(tmp_path, web):
    link = web.url("/gone")
    [doc] = _read(_feed(tmp_path, _item(link)))
    assert (doc.kind, doc.content) == ("text", TEASER)
    assert doc.meta["note"] == f"feed summary only: fetching {link} failed (HTTP error 404 Not Found)"


def test_slow_server_gives_up_within_the_deadline_and_keeps_the_summary(tmp_path, web, monkeypatch):
    monkeypatch.setattr("storyfuse.ingest.fetch.FETCH_DEADLINE_S", 1.0)
    link = web.serve("/ferry", PAGE, drip_s=0.2)  # one byte every 0.2 s: minutes for the page
    start = time.monotonic()
    [doc] = _read(_feed(tmp_path, _item(link)))
    assert time.monotonic() - start < 2.5
    assert doc.content == TEASER
    assert doc.meta["note"] == f"feed summary only: fetching {link} failed (timed out after 1 s)"


def test_page_over_the_size_limit_keeps_the_summary(tmp_path, web):
    link = web.serve("/ferry", PAGE)
    [doc] = _read(_feed(tmp_path, _item(link)), config=IngestConfig(max_bytes=500))
    assert doc.content == TEASER
    assert "over the 500-byte limit" in doc.meta["note"]


def test_link_that_is_not_html_keeps_the_summary(tmp_path, web):
    link = web.serve("/ferry.pdf", b"%PDF-1.7 not a page", ctype="application/pdf")
    [doc] = _read(_feed(tmp_path, _item(link)))
    assert doc.content == TEASER
    assert doc.meta["note"].endswith("failed (the link gives application/pdf, not an HTML page)")


def test_refused_connection_keeps_the_summary(tmp_path):
    link = f"http://127.0.0.1:{_refused_port()}/ferry"
    [doc] = _read(_feed(tmp_path, _item(link)))
    assert doc.content == TEASER
    assert "failed (cannot connect:" in doc.meta["note"]


def test_unreachable_host_is_not_tried_again_in_the_same_feed(tmp_path):
    base = f"http://127.0.0.1:{_refused_port()}"
    docs = _read(_feed(tmp_path, _item(f"{base}/a"), _item(f"{base}/b")))
    assert "skipped: 127.0.0.1 could not be reached" in docs[1].meta["note"]


def test_entry_without_a_web_link_keeps_the_summary_with_a_note(tmp_path):
    [doc] = _read(_feed(tmp_path, _item(guid="tag-17")))
    assert doc.content == TEASER
    assert doc.meta["note"] == "feed summary only: the entry has no http(s) link to fetch the article from"


def test_teasers_of_a_feed_given_as_a_url_are_fetched(web):
    link = web.serve("/ferry", PAGE)
    feed = web.serve("/feed.rss", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Lantern Gazette</title>'
        + _item(link) + "</channel></rss>").encode(), ctype="application/rss+xml")
    [doc] = _read(feed)
    assert doc.content == PAGE.decode()


def test_stored_entries_are_neither_fetched_nor_read(tmp_path, web):
    links = [web.serve(f"/story{n}", PAGE) for n in (1, 2, 3)]
    feed = _feed(tmp_path, *(_item(link) for link in links))
    first = _read(feed)
    stored = {doc.id for doc in first[:2]}
    second = _read(feed, is_stored=stored.__contains__)
    assert [type(i) for i in second] == [AlreadyStored, AlreadyStored, RawDocument]
    assert [web.hits[f"/story{n}"] for n in (1, 2, 3)] == [1, 1, 2]


def test_already_stored_names_the_entry_id_and_input(tmp_path, web):
    link = web.serve("/ferry", PAGE)
    feed = _feed(tmp_path, _item(link))
    [item] = _read(feed, is_stored=lambda _id: True)
    assert item == AlreadyStored(id=link.removeprefix("http://"), input=f"{feed}#1")


def test_is_stored_is_not_asked_about_files_that_are_not_feeds(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("The quay reopened to fishing boats on Monday.", encoding="utf-8")
    [doc] = _read(str(path), is_stored=lambda _id: True)
    assert isinstance(doc, RawDocument)


@pytest.mark.parametrize("body", [
    "A short summary of the ferry story.",
    FULL + " The council will meet again…",
    FULL + " The council will meet again [...]",
    f"<p>{FULL}</p><p><a href='x'>Continue reading →</a></p>",
    f"{FULL} The post Ferry resumes appeared first on Lantern Gazette.",
])
def test_summaries_and_teasers_are_recognised(body):
    assert is_teaser(body)


def test_a_full_article_is_not_a_teaser():
    assert not is_teaser(f"<p>{FULL}</p>")


def test_link_with_non_ascii_characters_is_fetched_percent_encoded(tmp_path, web):
    web.serve("/caf%C3%A9-reopens", PAGE)
    [doc] = _read(_feed(tmp_path, _item(web.url("/café-reopens"))))
    assert doc.content == PAGE.decode()


def test_malformed_link_keeps_the_summary_and_the_feed_goes_on(tmp_path, web):
    link = web.serve("/ferry", PAGE)
    docs = _read(_feed(tmp_path, _item("http://[::1/broken"), _item(link)))
    assert docs[0].content == TEASER and "failed (not a valid URL)" in docs[0].meta["note"]
    assert docs[1].content == PAGE.decode()


def test_a_feed_run_again_fetches_only_its_new_entries(tmp_path, web):
    from storyfuse.pipeline import run
    from storyfuse.store import Store

    from conftest import MODELS

    pages = [PAGE.replace(b"Gull Island", f"Gull Island {n}".encode()) for n in (1, 2, 3)]
    links = [web.serve(f"/story{n}", page) for n, page in zip((1, 2, 3), pages)]
    with Store(tmp_path / "s.db") as store:
        first = run([_feed(tmp_path, *(_item(link) for link in links[:2]))], store, models=MODELS)
        second = run([_feed(tmp_path, *(_item(link) for link in links))], store, models=MODELS)
    assert (first.read, first.added) == (2, 2)
    assert (second.read, second.added, second.already_stored, len(second.rejected)) == (3, 1, 2, 0)
    assert [web.hits[f"/story{n}"] for n in (1, 2, 3)] == [1, 1, 1]
