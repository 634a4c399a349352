"""Property-based fuzzing of every reader and of cleaning (hypothesis, 500 examples a reader):
whatever a file holds, each input ends as articles or rejections with a one-line reason, and
no error escapes (see ``fuzzing``). Inputs are built near each format (a feed's skeleton
with hostile fields, JSON records of any shape, WARC records with wrong lengths, cut gzip
streams) so that the readers' deeper paths are reached, not only their first check."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import READERS, read_and_clean

pytestmark = pytest.mark.slow
EXAMPLES = settings(max_examples=500, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
names = st.sampled_from(["p", "div", "article", "script", "style", "nav", "h1", "br", "li", "ul", "a", "time",
                         "meta", "title", "body", "html", "footer", "figure", "iframe", "svg"])


@st.composite
def html_pages(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(names)
        attrs = draw(st.sampled_from(["", ' class="content"', ' href="javascript:x"', ' property="og:title" content="',
                                      ' datetime="2031-13-45"', " itemprop=datePublished", ' lang="xx"']))
        parts.append(draw(st.sampled_from([f"<{tag}{attrs}>", f"</{tag}>", f"<{tag}{attrs}/>", "<!--", "-->",
                                           "<![CDATA[", "&#x0;", "&amp", "<?xml ?>"])))
        parts.append(draw(words))
    return draw(st.sampled_from(["", "<!doctype html>", "<html><body>"])) + "".join(parts)


@st.composite
def feeds(draw, atom: bool) -> str:
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        title, body, date = draw(words), draw(st.one_of(words, html_pages())), draw(st.sampled_from(
            ["Mon, 05 Jan 2031 10:00:00 GMT", "2031-01-05T10:00:00Z", "yesterday", "", "99/99/9999"]))
        link = draw(st.sampled_from(["", "https://news.example/a", "ftp://x", "javascript:alert(1)", "http://["]))
        cdata = body.replace("]]>", "")
        if atom:
            entries.append(f"<entry><title>{title}</title><link href=\"{link}\"/><updated>{date}</updated>"
                           f"<content type=\"html\"><![CDATA[{cdata}]]></content></entry>")
        else:
            entries.append(f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
                           f"<description><![CDATA[{cdata}]]></description></item>")
    if atom:
        return '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">' + "".join(entries) + "</feed>"
    return '<?xml version="1.0"?><rss version="2.0"><channel>' + "".join(entries) + "</channel></rss>"


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | words,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
                           max_leaves=12)
records = st.fixed_dictionaries({}, optional={"id": json_values, "text": st.one_of(words, json_values),
                                              "html": st.one_of(html_pages(), json_values), "title": json_values,
                                              "source": json_values, "published": json_values, "url": json_values})


@st.composite
def warc_files(draw) -> bytes:
    out = b""
    for _ in range(draw(st.integers(0, 3))):
        payload = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + draw(html_pages()).encode("utf-8")
                   if draw(st.booleans()) else draw(st.binary(max_size=300)))
        length = len(payload) + draw(st.sampled_from([0, 0, 0, -5, 7, 10_000]))
        kind = draw(st.sampled_from([b"response", b"request", b"warcinfo", b"resource"]))
        date = draw(st.sampled_from([b"2031-01-05T10:00:00Z", b"not a date", b""]))
        out += (b"WARC/1.0\r\nWARC-Type: " + kind + b"\r\nWARC-Target-URI: https://news.example/a\r\n"
                b"WARC-Date: " + date + b"\r\nContent-Length: " + str(max(0, length)).encode() + b"\r\n\r\n"
                + payload + b"\r\n\r\n")
    cut = draw(st.integers(0, len(out)))
    return out[:cut] if draw(st.booleans()) else out


def check(data: bytes, reader: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        articles, rejections = read_and_clean(data, READERS[reader], Path(folder))
    assert articles >= 0 and rejections >= 0


@EXAMPLES
@given(st.one_of(words.map(str.encode), st.binary(max_size=400)))
def test_any_text_file_is_read_or_rejected(data):
    check(data, "text")


@EXAMPLES
@given(words, words)
def test_any_markdown_file_with_front_matter_is_read_or_rejected(meta, body):
    check(f"---\n{meta}\n---\n{body}".encode(), "markdown")


@EXAMPLES
@given(st.one_of(html_pages().map(str.encode), st.binary(max_size=400)))
def test_any_html_page_is_read_or_rejected(data):
    check(data, "html")


@EXAMPLES
@given(feeds(atom=False))
def test_any_rss_feed_is_read_or_rejected(text):
    check(text.encode("utf-8", "surrogatepass"), "feed")


@EXAMPLES
@given(feeds(atom=True))
def test_any_atom_feed_is_read_or_rejected(text):
    check(text.encode("utf-8", "surrogatepass"), "atom")


@EXAMPLES
@given(st.lists(st.one_of(records.map(json.dumps), json_values.map(json.dumps), words), max_size=5))
def test_any_json_lines_file_is_read_or_rejected(lines):
    check("\n".join(lines).encode(), "jsonl")


@EXAMPLES
@given(st.one_of(records, st.lists(records, max_size=3), json_values))
def test_any_json_file_is_read_or_rejected(value):
    check(json.dumps(value).encode(), "json")


@EXAMPLES
@given(warc_files())
def test_any_warc_file_is_read_or_rejected(data):
    check(data, "warc")


@EXAMPLES
@given(warc_files(), st.integers(0, 2_000))
def test_any_compressed_warc_file_is_read_or_rejected(data, cut):
    packed = gzip.compress(data)
    check(packed[: max(1, len(packed) - cut % max(1, len(packed)))], "warc_gz")


@EXAMPLES
@given(words, st.integers(0, 400))
def test_any_gzipped_text_file_is_read_or_rejected(text, cut):
    packed = gzip.compress(text.encode())
    check(packed[: len(packed) - cut % len(packed)], "gzip")


@EXAMPLES
@given(st.one_of(st.binary(max_size=400), html_pages().map(str.encode), feeds(atom=False).map(str.encode),
                 st.lists(records.map(json.dumps), max_size=3).map(lambda ls: "\n".join(ls).encode())))
def test_any_file_of_unknown_type_is_read_or_rejected(data):
    check(data, "sniffed")
