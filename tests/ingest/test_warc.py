import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyfuse.config import IngestConfig
from storyfuse.ingest import read_inputs
from storyfuse.models import RawDocument, Rejection

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


def test_warc_document_keeps_the_crawl_date(warc_items):
    [doc] = [i for i in warc_items if isinstance(i, RawDocument)]
    assert doc.meta["crawled"] == "2026-03-12T10:00:00Z"


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
