import gzip
import os

import pytest

from storyfuse.config import IngestConfig
from storyfuse.ingest import read_inputs
from storyfuse.models import RawDocument, Rejection

BODY = "The lighthouse keeper reported calm seas on Tuesday morning."


def _read(inputs, source=None, config=None):
    return list(read_inputs([str(i) for i in inputs], config or IngestConfig(), source=source))


def _write(path, text=BODY):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_file_given_directly_gets_its_stem_as_id(tmp_path):
    path = _write(tmp_path / "deep" / "harbour-news.txt")
    [doc] = _read([path])
    assert isinstance(doc, RawDocument)
    assert doc.id == "harbour-news"
    assert doc.input == str(path)
    assert doc.kind == "text"
    assert doc.content == BODY


def test_file_given_directly_with_dots_in_its_name_loses_only_the_last_extension(tmp_path):
    path = _write(tmp_path / "report.v2.md")
    [doc] = _read([path])
    assert doc.id == "report.v2"


def test_files_under_a_directory_get_relative_path_without_extension(tmp_path):
    _write(tmp_path / "in" / "alpha.txt")
    _write(tmp_path / "in" / "region" / "north" / "beta.md")
    docs = _read([tmp_path / "in"])
    assert [d.id for d in docs] == ["alpha", "region/north/beta"]


def test_directory_is_walked_recursively(tmp_path):
    _write(tmp_path / "a" / "b" / "c" / "d" / "deep.txt")
    [doc] = _read([tmp_path / "a"])
    assert doc.id == "b/c/d/deep"
    assert doc.input == str(tmp_path / "a" / "b" / "c" / "d" / "deep.txt")


def test_hidden_files_under_a_directory_are_skipped(tmp_path):
    _write(tmp_path / "in" / "visible.txt")
    _write(tmp_path / "in" / ".draft.txt")
    _write(tmp_path / "in" / ".DS_Store", "junk")
    docs = _read([tmp_path / "in"])
    assert [d.id for d in docs] == ["visible"]


def test_hidden_folders_under_a_directory_are_skipped(tmp_path):
    _write(tmp_path / "in" / "visible.txt")
    _write(tmp_path / "in" / ".git" / "notes.txt")
    _write(tmp_path / "in" / "sub" / ".cache" / "old.txt")
    docs = _read([tmp_path / "in"])
    assert [d.id for d in docs] == ["visible"]


def test_hidden_file_given_directly_is_read(tmp_path):
    path = _write(tmp_path / ".notes.txt")
    [doc] = _read([path])
    assert isinstance(doc, RawDocument)
    assert doc.id == ".notes"


def test_glob_reads_the_matching_files_in_sorted_order(tmp_path):
    _write(tmp_path / "b.txt")
    _write(tmp_path / "a.txt")
    _write(tmp_path / "c.md")
    docs = _read([tmp_path / "*.txt"])
    assert [d.id for d in docs] == ["a", "b"]


def test_recursive_glob_matches_nested_files(tmp_path):
    _write(tmp_path / "x" / "one.txt")
    _write(tmp_path / "x" / "y" / "two.txt")
    docs = _read([f"{tmp_path}/x/**/*.txt"])
    assert sorted(d.content for d in docs) == [BODY, BODY]
    assert sorted(d.id for d in docs) == ["one", "two"]


def test_glob_matching_nothing_is_rejected(tmp_path):
    pattern = f"{tmp_path}/*.nothing"
    [item] = _read([pattern])
    assert isinstance(item, Rejection)
    assert item.input == pattern
    assert item.reason == "the pattern matched no files"


def test_glob_matching_only_folders_is_rejected(tmp_path):
    (tmp_path / "dir1").mkdir()
    [item] = _read([f"{tmp_path}/dir*"])
    assert isinstance(item, Rejection)
    assert "matched no files" in item.reason


def test_missing_path_is_rejected(tmp_path):
    missing = tmp_path / "nowhere.txt"
    [item] = _read([missing])
    assert isinstance(item, Rejection)
    assert item.input == str(missing)
    assert item.reason == "no such file or directory"


def test_broken_symlink_is_rejected_as_not_a_regular_file(tmp_path):
    link = tmp_path / "dangling.txt"
    os.symlink(tmp_path / "target-that-does-not-exist.txt", link)
    [item] = _read([link])
    assert isinstance(item, Rejection)
    assert "not a regular file" in item.reason


def test_bad_file_under_a_directory_is_rejected_and_the_others_read(tmp_path):
    _write(tmp_path / "in" / "a.txt")
    (tmp_path / "in" / "b.txt").write_bytes(b"")
    _write(tmp_path / "in" / "c.txt")
    items = _read([tmp_path / "in"])
    assert [type(i) for i in items] == [RawDocument, Rejection, RawDocument]
    assert items[1].input == str(tmp_path / "in" / "b.txt")
    assert items[1].reason == "empty file"


def test_inputs_are_read_in_the_order_given(tmp_path):
    z = _write(tmp_path / "z.txt")
    a = _write(tmp_path / "a.txt")
    assert [d.id for d in _read([z, a])] == ["z", "a"]


def test_directory_files_are_sorted_by_name_within_a_folder(tmp_path):
    for name in ["m.txt", "b.txt", "a.txt", "B2.txt"]:
        _write(tmp_path / "in" / name)
    assert [d.id for d in _read([tmp_path / "in"])] == ["B2", "a", "b", "m"]


def test_directory_walk_reads_files_in_order_of_relative_path(tmp_path):
    for name in ["m.txt", "k/a.txt", "a.txt", "c/z.txt"]:
        _write(tmp_path / "in" / name)
    assert [d.id for d in _read([tmp_path / "in"])] == ["a", "c/z", "k/a", "m"]


def test_directory_order_is_the_same_on_every_run(tmp_path):
    for name in ["m.txt", "b.txt", "k/a.txt", "a.txt", "c/z.txt", "c/d/e.txt"]:
        _write(tmp_path / "in" / name)
    first = [d.id for d in _read([tmp_path / "in"])]
    second = [d.id for d in _read([tmp_path / "in"])]
    assert first == second
    assert sorted(first) == ["a", "b", "c/d/e", "c/z", "k/a", "m"]


def test_source_default_is_applied_when_the_input_has_none(tmp_path):
    path = _write(tmp_path / "a.txt")
    [doc] = _read([path], source="Lantern Gazette")
    assert doc.meta["source"] == "Lantern Gazette"


def test_source_default_does_not_override_the_inputs_own_source(tmp_path):
    path = _write(tmp_path / "a.txt", f"---\nsource: Harbour Ledger\n---\n{BODY}")
    [doc] = _read([path], source="Lantern Gazette")
    assert doc.meta["source"] == "Harbour Ledger"


def test_source_default_applies_per_record_in_jsonl(tmp_path):
    path = _write(
        tmp_path / "batch.jsonl",
        '{"text": "One story.", "source": "Own Outlet"}\n{"text": "Another story."}\n',
    )
    docs = _read([path], source="Default Wire")
    assert [d.meta["source"] for d in docs] == ["Own Outlet", "Default Wire"]


def test_no_source_given_leaves_meta_without_source(tmp_path):
    path = _write(tmp_path / "a.txt")
    [doc] = _read([path])
    assert "source" not in doc.meta


def test_jsonl_file_ids_use_the_stem_and_line(tmp_path):
    path = _write(tmp_path / "wire.jsonl", '{"text": "One."}\n{"id": "own", "text": "Two."}\n')
    assert [d.id for d in _read([path])] == ["wire:1", "own"]


def test_jsonl_file_under_a_directory_uses_its_relative_stem(tmp_path):
    _write(tmp_path / "in" / "feeds" / "wire.ndjson", '{"text": "One."}\n')
    [doc] = _read([tmp_path / "in"])
    assert doc.id == "feeds/wire:1"


def test_html_extension_gives_an_html_document(tmp_path):
    path = _write(tmp_path / "page.htm", "<html><body><p>Hello</p></body></html>")
    [doc] = _read([path])
    assert doc.kind == "html"
    assert doc.id == "page"


def test_markdown_extension_strips_markup(tmp_path):
    path = _write(tmp_path / "post.md", "# Quay Reopens\n\nThe **quay** reopened.")
    [doc] = _read([path])
    assert doc.meta["title"] == "Quay Reopens"
    assert "The quay reopened." in doc.content


def test_unknown_extension_with_html_content_is_read_as_html(tmp_path):
    path = _write(tmp_path / "saved.page", "<!DOCTYPE html>\n<html><body><p>Hi there.</p></body></html>")
    [doc] = _read([path])
    assert doc.kind == "html"
    assert doc.id == "saved"


def test_unknown_extension_with_body_tag_is_read_as_html(tmp_path):
    path = _write(tmp_path / "fragment.dat", "<div>\n<body><p>Hi there.</p></body>")
    [doc] = _read([path])
    assert doc.kind == "html"


def test_unknown_extension_with_prose_is_read_as_text(tmp_path):
    path = _write(tmp_path / "notes.log", BODY)
    [doc] = _read([path])
    assert doc.kind == "text"
    assert doc.content == BODY


def test_file_without_extension_with_prose_is_read_as_text(tmp_path):
    path = _write(tmp_path / "README", BODY)
    [doc] = _read([path])
    assert doc.kind == "text"
    assert doc.id == "README"


def test_unknown_extension_with_json_lines_is_read_as_jsonl(tmp_path):
    path = _write(tmp_path / "dump.out", '{"text": "One."}\n{"text": "Two."}\n')
    docs = _read([path])
    assert [d.id for d in docs] == ["dump:1", "dump:2"]


def test_unknown_extension_with_binary_content_is_rejected(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    [item] = _read([path])
    assert isinstance(item, Rejection)
    assert "binary file" in item.reason


def test_file_over_the_configured_limit_is_rejected(tmp_path):
    path = _write(tmp_path / "big.txt", "word " * 100)
    [item] = _read([path], config=IngestConfig(max_bytes=100))
    assert isinstance(item, Rejection)
    assert "over the 100-byte limit" in item.reason


def test_invalid_utf8_text_file_is_rejected_with_byte_position(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Caf\xe9 owners met.")
    [item] = _read([path])
    assert isinstance(item, Rejection)
    assert "invalid UTF-8 at byte 3" in item.reason


def test_windows_1252_html_file_is_decoded_by_its_meta_charset(tmp_path):
    path = tmp_path / "old.html"
    path.write_bytes(b'<html><head><meta charset="windows-1252"></head><body><p>\x93Caf\xe9\x94</p></body></html>')
    [doc] = _read([path])
    assert "\u201cCafé\u201d" in doc.content


def test_mixed_good_and_missing_inputs_yield_both(tmp_path):
    good = _write(tmp_path / "good.txt")
    items = _read([good, tmp_path / "missing.txt"])
    assert isinstance(items[0], RawDocument)
    assert isinstance(items[1], Rejection)


def test_directory_with_no_readable_files_is_rejected(tmp_path):
    (tmp_path / "in" / ".hidden").mkdir(parents=True)
    _write(tmp_path / "in" / ".hidden" / "skipped.txt")
    [item] = _read([tmp_path / "in"])
    assert isinstance(item, Rejection)


def test_a_file_named_twice_in_one_run_is_read_once(tmp_path):
    _write(tmp_path / "in" / "a.txt")
    docs = _read([tmp_path / "in", tmp_path / "in" / "a.txt"])
    assert [d.id for d in docs] == ["a"]


def test_a_linked_folder_is_followed(tmp_path):
    _write(tmp_path / "elsewhere" / "b.txt")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "linked").symlink_to(tmp_path / "elsewhere")
    assert [d.id for d in _read([tmp_path / "in"])] == ["linked/b"]


def test_a_folder_linking_to_itself_is_read_once(tmp_path):
    _write(tmp_path / "in" / "a.txt")
    (tmp_path / "in" / "loop").symlink_to(tmp_path / "in")
    assert [d.id for d in _read([tmp_path / "in"])] == ["a"]


def test_a_broken_link_is_rejected(tmp_path):
    _write(tmp_path / "in" / "a.txt")
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    items = list(read_inputs([str(tmp_path / "in")], IngestConfig()))
    assert [getattr(i, "reason", None) for i in items][-1].startswith("broken link")


def test_files_of_one_folder_with_the_same_stem_keep_their_extensions(tmp_path):
    _write(tmp_path / "news" / "a.txt")
    _write(tmp_path / "news" / "a.html", f"<html><body><p>{BODY}</p></body></html>")
    _write(tmp_path / "news" / "b.txt")
    assert [d.id for d in _read([tmp_path / "news"])] == ["a.html", "a.txt", "b"]


def test_same_stem_in_a_subfolder_keeps_the_relative_path_and_extension(tmp_path):
    _write(tmp_path / "news" / "port" / "fire.md")
    _write(tmp_path / "news" / "port" / "fire.txt")
    _write(tmp_path / "news" / "fire.txt")  # another folder: no clash
    assert [d.id for d in _read([tmp_path / "news"])] == ["fire", "port/fire.md", "port/fire.txt"]


def test_same_stem_ids_are_the_same_on_every_run(tmp_path):
    for name in ["a.txt", "a.html", "a.md", "c/x.txt", "c/x.txt.gz"]:
        _write(tmp_path / "news" / name)
    (tmp_path / "news" / "c" / "x.txt.gz").write_bytes(gzip.compress(BODY.encode()))
    first = [d.id for d in _read([tmp_path / "news"])]
    assert first == [d.id for d in _read([tmp_path / "news"])]
    assert sorted(first) == ["a.html", "a.md", "a.txt", "c/x.txt", "c/x.txt.gz"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-8"])
def test_text_with_a_byte_order_mark_is_read_without_the_mark(tmp_path, codec):
    path = tmp_path / "notes.txt"
    path.write_bytes(("\ufeff" + BODY).encode(codec))
    [doc] = _read([path])
    assert isinstance(doc, RawDocument)
    assert doc.content == BODY


def test_a_reader_failing_unexpectedly_is_one_short_rejection_and_the_run_goes_on(tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise ValueError("parser state " * 100)

    monkeypatch.setattr("storyfuse.ingest.text_document", crash)
    text = _write(tmp_path / "a.txt")
    feed = _write(tmp_path / "b.jsonl", '{"text": "One."}\n')
    items = _read([text, feed])
    assert isinstance(items[0], Rejection) and items[0].input == str(text)
    assert items[0].reason.startswith("cannot be read (ValueError: parser state")
    assert len(items[0].reason) < 250
    assert isinstance(items[1], RawDocument)
