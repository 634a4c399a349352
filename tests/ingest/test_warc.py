import io
import random

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyfuse.clean import clean_document
from storyfuse.config import CleanConfig, IngestConfig
from storyfuse.ingest import read_inputs
from storyfuse.models import RawDocument, Rejection

from conftest import MODELS

PAGE = (
    b"<html><head><title>Quay Reopens</title></head>"
    b"<body><p>The quay reopened to fishing boats on Monday.</p></body></html>"
)


def _response(writer, uri, status, ctype, body):
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), http_headers=headers,
        warc_headers_dict={"WARC-Date": "2026-03-12T10:00:00Z"},
    )
    writer.write_record(record)


def _request(writer, uri):
    headers = StatusAndHeaders("GET /page HTTP/1.1", [("Host", "harbour.invalid")], is_http_request=True)
    writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=headers))


def _build(path, gzip=False):
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        _request(writer, "https://harbour.invalid/quay")                                   # record 1
        _response(writer, "https://harbour.invalid/quay", "200 OK", "text/html; charset=utf-8", PAGE)  # 2
        _response(writer, "https://harbour.invalid/logo.png", "200 OK", "image/png", b"\x89PNG\r\n")  # 3
        _response(writer, "https://harbour.invalid/gone", "404 Not Found", "text/html", b"<p>Not here</p>")  # 4
    return path


def _read(path):
    return list(read_inputs([str(path)], IngestConfig()))


@pytest.fixture
def warc_items(tmp_path):
    return _read(_build(tmp_path / "crawl.warc"))


def test_warc_request_record_is_skipped(warc_items):
    assert len(warc_items) == 3
    assert not any("#1 " in i.input for i in warc_items)


def test_warc_only_the_html_200_response_becomes_a_document(warc_items):
    docs = [i for i in warc_items if isinstance(i, RawDocument)]
    assert len(docs) == 1
    assert docs[0].kind == "html"
    assert docs[0].content == PAGE.decode("utf-8")


def test_warc_document_url_is_the_target_uri(warc_items):
    [doc] = [i for i in warc_items if isinstance(i, RawDocument)]
    assert doc.meta["url"] == "https://harbour.invalid/quay"


def test_warc_date_becomes_the_crawl_date_in_iso_8601(warc_items):
    [doc] = [i for i in warc_items if isinstance(i, RawDocument)]
    assert doc.meta["crawl_date"] == "2026-03-12T10:00:00+00:00"


def test_warc_date_is_not_the_publication_time(warc_items):
    [doc] = [i for i in warc_items if isinstance(i, RawDocument)]
    assert "published" not in doc.meta


def test_warc_document_id_is_stem_and_record_number(warc_items, tmp_path):
    [doc] = [i for i in warc_items if isinstance(i, RawDocument)]
    assert doc.id == "crawl:2"
    assert doc.input == f"{tmp_path / 'crawl.warc'}#2 https://harbour.invalid/quay"


def test_warc_non_html_response_is_rejected_with_its_type(warc_items):
    [item] = [i for i in warc_items if "logo.png" in i.input]
    assert isinstance(item, Rejection)
    assert item.reason == "WARC response is image/png, not HTML"


def test_warc_404_response_is_rejected_with_its_status(warc_items):
    [item] = [i for i in warc_items if "/gone" in i.input]
    assert isinstance(item, Rejection)
    assert "HTTP status 404" in item.reason


def test_gzipped_warc_is_read_and_named_without_both_extensions(tmp_path):
    items = _read(_build(tmp_path / "crawl.warc.gz", gzip=True))
    [doc] = [i for i in items if isinstance(i, RawDocument)]
    assert doc.id == "crawl:2"
    assert doc.meta["url"] == "https://harbour.invalid/quay"


def test_non_warc_file_named_warc_is_rejected(tmp_path):
    path = tmp_path / "saved-page.warc"
    path.write_text("<!DOCTYPE html>\n<html><body><p>Not an archive.</p></body></html>\n", encoding="utf-8")
    [item] = _read(path)
    assert isinstance(item, Rejection)
    assert item.input == str(path)
    assert "not a readable WARC file" in item.reason


def test_prose_file_named_warc_is_rejected_as_not_a_warc(tmp_path):
    path = tmp_path / "notes.warc"
    path.write_text("This is just a note, not an archive.\n", encoding="utf-8")
    [item] = _read(path)
    assert isinstance(item, Rejection)
    assert item.input == str(path)
    assert "not a readable WARC file" in item.reason


def test_empty_warc_file_is_rejected(tmp_path):
    path = tmp_path / "empty.warc"
    path.write_bytes(b"")
    [item] = _read(path)
    assert isinstance(item, Rejection)


def test_warc_html_resource_record_becomes_a_document(tmp_path):
    path = tmp_path / "saved.warc"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        writer.write_record(writer.create_warc_record(
            "https://harbour.invalid/quay", "resource", payload=io.BytesIO(PAGE),
            warc_content_type="text/html"))
    [doc] = _read(path)
    assert isinstance(doc, RawDocument) and doc.meta["url"] == "https://harbour.invalid/quay"


def test_warc_without_responses_or_resources_is_rejected(tmp_path):
    path = tmp_path / "requests.warc"
    with path.open("wb") as stream:
        _request(WARCWriter(stream, gzip=False), "https://harbour.invalid/quay")
    [item] = _read(path)
    assert isinstance(item, Rejection) and "no response or resource records" in item.reason


def _pages(path, gzip, count=4):
    """A WARC of ``count`` HTML responses; returns the offset where each record ends."""
    ends = []
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        for n in range(1, count + 1):
            _response(writer, f"https://harbour.invalid/story{n}", "200 OK", "text/html", PAGE)
            ends.append(stream.tell())
    return ends


def _cut(path, size):
    path.write_bytes(path.read_bytes()[:size])


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_truncated_warc_yields_the_whole_records_before_the_cut(tmp_path, name):
    path = tmp_path / name
    ends = _pages(path, gzip=name.endswith(".gz"))
    _cut(path, (ends[1] + ends[2]) // 2)  # in the middle of record 3
    items = _read(path)
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["crawl:1", "crawl:2"]
    assert all(i.content == PAGE.decode() for i in items if isinstance(i, RawDocument))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_truncated_warc_reports_the_record_where_reading_stopped(tmp_path, name):
    path = tmp_path / name
    ends = _pages(path, gzip=name.endswith(".gz"))
    _cut(path, ends[2] - 40)  # in the last bytes of record 3
    rejection = _read(path)[-1]
    assert rejection == Rejection(
        str(path), "record 3 and after: the file ends in the middle of a record (truncated download?)")


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_cut_inside_a_record_header_reports_that_record(tmp_path, name):
    path = tmp_path / name
    ends = _pages(path, gzip=name.endswith(".gz"))
    _cut(path, ends[1] + 60)  # a few header lines of record 3
    items = _read(path)
    assert len([i for i in items if isinstance(i, RawDocument)]) == 2
    assert items[-1] == Rejection(
        str(path), "record 3 and after: the file ends in the middle of a record (truncated download?)")


def test_warc_with_a_garbled_record_header_keeps_the_records_before_it(tmp_path):
    path = tmp_path / "crawl.warc"
    ends = _pages(path, gzip=False)
    data = path.read_bytes()
    path.write_bytes(data[:ends[1]] + b"XARC" + data[ends[1] + 4:])
    items = _read(path)
    assert [type(i) for i in items] == [RawDocument, RawDocument, Rejection]
    assert items[-1].reason == "record 3 and after: the record header is damaged, so the rest cannot be read " \
                               "(is the file corrupt?)"


def test_warc_cut_between_two_records_is_read_whole(tmp_path):
    path = tmp_path / "crawl.warc"
    ends = _pages(path, gzip=False)
    _cut(path, ends[1])
    assert [type(i) for i in _read(path)] == [RawDocument, RawDocument]


@pytest.mark.parametrize("content", [
    random.Random(7).randbytes(20_000),
    b"\x1f\x8b" + random.Random(8).randbytes(20_000),
    b"A" * 20_000 + b"\n",
    b"WARC/1.0\r\n" + random.Random(9).randbytes(20_000),
], ids=["random", "gzip-magic", "one-long-line", "warc-line-then-random"])
def test_garbage_warc_is_one_short_rejection(tmp_path, content):
    path = tmp_path / "junk.warc"
    path.write_bytes(content)
    [item] = _read(path)
    assert isinstance(item, Rejection) and item.input == str(path)
    assert len(item.reason) < 200


def test_warc_crawl_date_reaches_the_article_and_publication_stays_unknown(warc_items):
    [doc] = [i for i in warc_items if isinstance(i, RawDocument)]
    article = clean_document(doc, CleanConfig(), MODELS.junk)
    assert (article.crawl_date, article.published) == ("2026-03-12T10:00:00+00:00", None)
