import http.server
import socket
import threading

import pytest

from storyfuse.config import IngestConfig
from storyfuse.ingest import read_inputs
from storyfuse.ingest.url import url_id
from storyfuse.models import RawDocument, Rejection

PAGE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bridge Vote</title></head>"
    b"<body><article><p>The council approved the new footbridge on Monday.</p></article></body></html>"
)

LEGACY_PAGE = (
    b'<html><head><meta charset="windows-1252"></head>'
    b"<body><p>\x93Caf\xe9 owners\x94 welcomed the plan.</p></body></html>"
)

XHTML = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
    b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Tide Tables</title></head>'
    b"<body><p>The tide tables for April were published on Friday.</p></body></html>"
)

FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Lantern Gazette</title>
<link>http://lantern.invalid/</link>
<description>Coast news</description>
<item><title>Ferry resumes</title><link>http://lantern.invalid/ferry</link>
<pubDate>Thu, 12 Mar 2026 08:30:00 GMT</pubDate>
<description>The ferry sailed again on Thursday.</description></item>
<item><title>Market moves</title><link>http://lantern.invalid/market</link>
<description>The market moves to Saturday.</description></item>
</channel></rss>
"""

ROUTES = {
    "/page.html": ("text/html; charset=utf-8", PAGE),
    "/news/": ("text/html; charset=utf-8", PAGE),
    "/legacy.html": ("text/html", LEGACY_PAGE),
    "/page.xhtml": ("application/xhtml+xml", XHTML),
    "/feed.rss": ("application/rss+xml", FEED),
    "/feed-as-text": ("text/plain", FEED),
    "/empty": ("text/html", b""),
    "/big": ("text/html", b"<p>" + b"x" * 5000 + b"</p>"),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/page.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path not in ROUTES:
            self.send_error(404, "Not Found")
            return
        ctype, body = ROUTES[path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def _read(url, config=None, source=None):
    return list(read_inputs([url], config or IngestConfig(), source=source))


def test_url_page_is_an_html_document(base_url):
    [doc] = _read(f"{base_url}/page.html")
    assert isinstance(doc, RawDocument)
    assert doc.kind == "html"
    assert doc.content == PAGE.decode("utf-8")


def test_url_page_id_is_host_and_path(base_url):
    [doc] = _read(f"{base_url}/page.html")
    assert doc.id == base_url.removeprefix("http://") + "/page.html"


def test_url_page_id_drops_trailing_slash(base_url):
    [doc] = _read(f"{base_url}/news/")
    assert doc.id == base_url.removeprefix("http://") + "/news"


def test_url_page_keeps_the_url_and_input(base_url):
    url = f"{base_url}/page.html"
    [doc] = _read(url)
    assert doc.meta == {"url": url}
    assert doc.input == url


def test_url_redirect_records_the_final_url(base_url):
    [doc] = _read(f"{base_url}/moved")
    assert doc.meta["url"] == f"{base_url}/page.html"
    assert doc.id.endswith("/page.html")


def test_url_source_default_is_applied(base_url):
    [doc] = _read(f"{base_url}/page.html", source="Bridge Weekly")
    assert doc.meta["source"] == "Bridge Weekly"


def test_url_page_with_legacy_charset_is_decoded(base_url):
    [doc] = _read(f"{base_url}/legacy.html")
    assert "\u201cCafé owners\u201d" in doc.content


def test_url_feed_gives_one_document_per_entry(base_url):
    docs = _read(f"{base_url}/feed.rss")
    assert [d.meta["title"] for d in docs] == ["Ferry resumes", "Market moves"]


def test_url_feed_entry_ids_come_from_their_links(base_url):
    docs = _read(f"{base_url}/feed.rss")
    assert [d.id for d in docs] == ["lantern.invalid/ferry", "lantern.invalid/market"]


def test_url_feed_entries_carry_feed_metadata(base_url):
    first = _read(f"{base_url}/feed.rss")[0]
    assert first.meta["source"] == "Lantern Gazette"
    assert first.meta["url"] == "http://lantern.invalid/ferry"
    assert first.meta["published"] == "2026-03-12T08:30:00+00:00"


def test_url_feed_is_recognised_by_content_whatever_its_type(base_url):
    docs = _read(f"{base_url}/feed-as-text")
    assert len(docs) == 2
    assert all(isinstance(d, RawDocument) for d in docs)


def test_url_404_is_rejected_mentioning_404(base_url):
    url = f"{base_url}/missing.html"
    [item] = _read(url)
    assert isinstance(item, Rejection)
    assert item.input == url
    assert "404" in item.reason


def test_url_empty_response_is_rejected(base_url):
    [item] = _read(f"{base_url}/empty")
    assert isinstance(item, Rejection)
    assert item.reason == "empty response"


def test_url_response_over_the_limit_is_rejected(base_url):
    [item] = _read(f"{base_url}/big", config=IngestConfig(max_bytes=1000))
    assert isinstance(item, Rejection)
    assert "over the 1,000-byte limit" in item.reason


def test_url_refused_connection_is_rejected():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page.html"
    [item] = _read(url)
    assert isinstance(item, Rejection)
    assert item.input == url
    assert "cannot be fetched" in item.reason


def test_url_failure_does_not_stop_the_other_inputs(base_url):
    items = list(read_inputs([f"{base_url}/missing", f"{base_url}/page.html"], IngestConfig()))
    assert [type(i) for i in items] == [Rejection, RawDocument]


def test_url_xhtml_page_is_an_html_document(base_url):
    [doc] = _read(f"{base_url}/page.xhtml")
    assert isinstance(doc, RawDocument)
    assert doc.kind == "html"


def test_url_id_strips_scheme_query_and_fragment():
    assert url_id("https://harbour.invalid/news/quay?ref=rss#top") == "harbour.invalid/news/quay"


def test_url_id_of_a_bare_host_is_the_host():
    assert url_id("https://harbour.invalid/") == "harbour.invalid"
