import socket
import time

import pytest

from storyfuse.ingest.fetch import FetchError, fetch

PAGE = b"<html><body><p>The ferry sailed at dawn.</p></body></html>"


def test_fetch_returns_the_body_type_and_url(web):
    url = web.serve("/page", PAGE)
    got = fetch(url, 10_000, deadline_s=5)
    assert (got.data, got.media_type, got.url) == (PAGE, "text/html", url)


def test_fetch_gives_up_on_a_dripping_body_within_the_deadline(web):
    url = web.serve("/slow", PAGE, drip_s=0.2)  # the whole page would take 12 s
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(url, 10_000, deadline_s=1)
    assert time.monotonic() - start < 2.5
    assert info.value.reason == "timed out after 1 s"


def test_fetch_gives_up_on_dripping_headers_within_the_deadline(web):
    url = web.serve("/slow-headers", b"", drip_s=0.2, drip_status_line=True)
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 1 s"):
        fetch(url, 10_000, deadline_s=1)
    assert time.monotonic() - start < 2.5


def test_fetch_deadline_defaults_to_the_module_constant(web, monkeypatch):
    monkeypatch.setattr("storyfuse.ingest.fetch.FETCH_DEADLINE_S", 0.5)
    url = web.serve("/slow", PAGE, drip_s=0.2)
    with pytest.raises(FetchError, match="timed out after 0.5 s"):
        fetch(url, 10_000)


def test_fetch_refuses_a_body_over_the_limit(web):
    url = web.serve("/big", b"x" * 5000)
    with pytest.raises(FetchError, match="over the 1,000-byte limit"):
        fetch(url, 1000, deadline_s=5)


def test_fetch_reports_the_http_status(web):
    with pytest.raises(FetchError, match="HTTP error 404 Not Found"):
        fetch(web.url("/missing"), 1000, deadline_s=5)


def test_fetch_marks_a_refused_connection_as_unreachable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as info:
        fetch(f"http://127.0.0.1:{port}/page", 1000, deadline_s=5)
    assert info.value.unreachable
    assert info.value.reason.startswith("cannot connect:")


def test_fetch_refuses_other_schemes_without_touching_them():
    with pytest.raises(FetchError, match="not an http"):
        fetch("file:///etc/hostname", 1000, deadline_s=5)


def test_fetch_gives_up_on_a_tls_handshake_that_never_ends():
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        start = time.monotonic()
        with pytest.raises(FetchError, match="timed out after 1 s"):
            fetch(f"https://127.0.0.1:{silent.getsockname()[1]}/page", 1000, deadline_s=1)
    assert time.monotonic() - start < 2.5
