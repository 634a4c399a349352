import os

import pytest

from storyfuse.errors import InputError
from storyfuse.ingest.files import decode_html, decode_text, looks_binary, read_bytes


def test_read_bytes_returns_the_file_content(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"The tide came in.")
    assert read_bytes(path, 1000) == b"The tide came in."


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError) as info:
        read_bytes(path, 1000)
    assert info.value.input == str(path)
    assert info.value.reason == "empty file"


def test_whitespace_only_file_is_rejected_as_empty(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\t\n  ")
    with pytest.raises(InputError, match="empty file"):
        read_bytes(path, 1000)


def test_file_over_size_limit_is_rejected_with_size_and_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2001)
    with pytest.raises(InputError) as info:
        read_bytes(path, 2000)
    assert "2,001 bytes" in info.value.reason
    assert "2,000-byte limit" in info.value.reason
    assert "max_bytes" in info.value.reason


def test_file_exactly_at_size_limit_is_read(tmp_path):
    path = tmp_path / "edge.txt"
    path.write_bytes(b"y" * 2000)
    assert len(read_bytes(path, 2000)) == 2000


def test_directory_where_a_file_is_expected_is_rejected(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(InputError) as info:
        read_bytes(folder, 20_000_000)
    assert info.value.input == str(folder)
    assert "directory" in info.value.reason


def test_missing_file_is_rejected_with_the_os_reason(tmp_path):
    path = tmp_path / "gone.txt"
    with pytest.raises(InputError) as info:
        read_bytes(path, 1000)
    assert "No such file or directory" in info.value.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 000 does not stop root from reading")
def test_unreadable_file_is_rejected_as_permission_denied(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_bytes(b"Secret words.")
    path.chmod(0)
    try:
        with pytest.raises(InputError) as info:
            read_bytes(path, 1000)
        assert "permission denied" in info.value.reason
    finally:
        path.chmod(0o644)


def test_nul_bytes_mean_binary():
    assert looks_binary(b"PK\x03\x04\x00\x00rest")
    assert not looks_binary("Plain text, café.".encode())


def test_binary_data_is_rejected_as_text():
    with pytest.raises(InputError) as info:
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "pic.txt")
    assert info.value.input == "pic.txt"
    assert "binary file" in info.value.reason
    assert "NUL" in info.value.reason


def test_binary_data_is_rejected_as_html():
    with pytest.raises(InputError, match="binary file, not HTML"):
        decode_html(b"<html>\x00\x00</html>", "page.html")


def test_utf8_text_is_decoded():
    assert decode_text("Zoë paid 5 €.".encode(), "a.txt") == "Zoë paid 5 €."


def test_utf8_bom_is_dropped():
    assert decode_text(b"\xef\xbb\xbfHello harbour.", "a.txt") == "Hello harbour."


def test_invalid_utf8_names_the_byte_position():
    data = b"The mayor said caf\xe9 owners agreed."
    with pytest.raises(InputError) as info:
        decode_text(data, "latin.txt")
    assert info.value.input == "latin.txt"
    assert "invalid UTF-8 at byte 18" in info.value.reason
    assert "save the file as UTF-8" in info.value.reason


def test_invalid_utf8_message_shows_bytes_near_the_error():
    data = b"The mayor said caf\xe9 owners agreed."
    with pytest.raises(InputError) as info:
        decode_text(data, "latin.txt")
    assert "caf\\xe9" in info.value.reason


def test_html_declared_windows_1252_meta_charset_is_honoured():
    page = (
        '<html><head><meta charset="windows-1252"><title>T</title></head>'
        "<body><p>\x93Quoted\x94 caf\xe9 \x96 5 \x80</p></body></html>"
    ).encode("latin-1")
    text = decode_html(page, "old.html")
    assert "\u201cQuoted\u201d café \u2013 5 €" in text


def test_html_declared_charset_in_http_equiv_meta_is_honoured():
    page = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        b"</head><body><p>Gr\xfc\xdfe aus M\xfcnchen</p></body></html>"
    )
    assert "Grüße aus München" in decode_html(page, "old.html")


def test_html_in_utf8_is_decoded_even_if_it_declares_a_legacy_charset():
    page = '<meta charset="windows-1252"><p>Café “quoted”</p>'.encode()
    assert decode_html(page, "page.html") == '<meta charset="windows-1252"><p>Café “quoted”</p>'


def test_legacy_html_without_declared_charset_is_read_as_windows_1252():
    page = b"<html><body><p>K\xfcchen und Caf\xe9s \x96 alle offen</p></body></html>"
    assert "Küchen und Cafés – alle offen" in decode_html(page, "page.html")


def test_html_with_unknown_declared_charset_falls_back_to_windows_1252():
    page = b'<meta charset="no-such-charset"><p>caf\xe9</p>'
    assert "café" in decode_html(page, "page.html")


def test_utf8_html_with_one_stray_byte_keeps_its_utf8():
    page = ("<p>" + "Zażółć gęślą jaźń. " * 20 + "</p>").encode() + b"\xc3<p>end</p>"
    text = decode_html(page, "page.html")
    assert "Zażółć gęślą jaźń." in text and text.count("\ufffd") == 1


def test_gzip_compressed_html_is_read_by_the_extension_under_gz(tmp_path):
    import gzip

    from storyfuse.config import IngestConfig
    from storyfuse.ingest import read_inputs

    page = "<html><head><title>Ferry</title></head><body><article><p>" + "The ferry sailed on time. " * 10 + "</p></article></body></html>"
    path = tmp_path / "ferry.html.gz"
    path.write_bytes(gzip.compress(page.encode()))
    [doc] = list(read_inputs([str(path)], IngestConfig()))
    assert (doc.id, doc.kind) == ("ferry", "html") and "ferry sailed" in doc.content


def test_corrupt_gzip_is_rejected_with_the_reason(tmp_path):
    from storyfuse.config import IngestConfig
    from storyfuse.ingest import read_inputs
    from storyfuse.models import Rejection

    path = tmp_path / "broken.txt.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    [item] = list(read_inputs([str(path)], IngestConfig()))
    assert isinstance(item, Rejection) and "not a readable gzip file" in item.reason


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_text_with_a_utf16_or_utf32_byte_order_mark_is_decoded(codec):
    assert decode_text(("\ufeffZoë paid 5 €.").encode(codec), "a.txt") == "Zoë paid 5 €."


def test_html_with_a_utf16_byte_order_mark_is_decoded():
    page = "<html><body><p>Café “quoted”</p></body></html>"
    assert decode_html(("\ufeff" + page).encode("utf-16-le"), "page.html") == page


def test_broken_utf16_names_the_byte_position():
    with pytest.raises(InputError) as info:
        decode_text(b"\xff\xfeA\x00B", "a.txt")  # an odd number of bytes after the mark
    assert "invalid UTF-16 at byte 4" in info.value.reason


def test_binary_data_after_a_utf16_mark_is_still_binary():
    with pytest.raises(InputError, match="binary file"):
        decode_text(b"\xff\xfe" + b"A\x00\x00\x00" * 20, "blob.txt")
