import json

from storyfuse.ingest.jsonl import jsonl_documents
from storyfuse.models import RawDocument, Rejection


def _lines(*records):
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records)


def _read(text, label="feed.jsonl", stem="feed"):
    return list(jsonl_documents(text, label, stem))


def test_jsonl_record_id_is_used_when_present():
    [doc] = _read(_lines({"id": "wire-42", "text": "The ferry sailed at dawn."}))
    assert doc.id == "wire-42"


def test_jsonl_record_without_id_gets_stem_and_line_number():
    docs = _read(_lines({"text": "First story."}, {"text": "Second story."}))
    assert [d.id for d in docs] == ["feed:1", "feed:2"]


def test_jsonl_line_numbers_count_blank_lines():
    docs = _read(_lines({"text": "First story."}, "", "   ", {"text": "Fourth line story."}))
    assert [d.id for d in docs] == ["feed:1", "feed:4"]


def test_jsonl_numeric_id_becomes_a_string():
    [doc] = _read(_lines({"id": 17, "text": "A story."}))
    assert doc.id == "17"


def test_jsonl_input_names_file_and_line():
    docs = _read(_lines({"text": "One."}, {"text": "Two."}), label="in/feed.jsonl")
    assert [d.input for d in docs] == ["in/feed.jsonl:1", "in/feed.jsonl:2"]


def test_jsonl_metadata_keys_go_to_meta():
    record = {
        "id": "a1", "text": "Body.", "title": "Quay Closed", "source": "Lantern Gazette",
        "published": "2026-03-12T08:00:00Z", "url": "https://lantern.invalid/quay",
        "author": "Ilse Varro", "language": "en",
    }
    [doc] = _read(_lines(record))
    assert doc.meta == {
        "title": "Quay Closed", "source": "Lantern Gazette", "published": "2026-03-12T08:00:00Z",
        "url": "https://lantern.invalid/quay", "author": "Ilse Varro", "language": "en",
    }


def test_jsonl_unknown_keys_are_not_metadata():
    [doc] = _read(_lines({"text": "Body.", "section": "Sport", "wordcount": 3}))
    assert doc.meta == {}


def test_jsonl_null_metadata_is_skipped():
    [doc] = _read(_lines({"text": "Body.", "author": None}))
    assert "author" not in doc.meta


def test_jsonl_text_record_is_text_kind():
    [doc] = _read(_lines({"text": "Plain words here."}))
    assert isinstance(doc, RawDocument)
    assert doc.kind == "text"
    assert doc.content == "Plain words here."


def test_jsonl_html_field_gives_html_kind():
    [doc] = _read(_lines({"html": "<html><body><p>Marked up.</p></body></html>"}))
    assert doc.kind == "html"
    assert doc.content == "<html><body><p>Marked up.</p></body></html>"


def test_jsonl_text_is_preferred_over_html_when_both_given():
    [doc] = _read(_lines({"text": "Plain.", "html": "<p>Marked.</p>"}))
    assert doc.kind == "text"
    assert doc.content == "Plain."


def test_jsonl_blank_text_falls_back_to_html():
    [doc] = _read(_lines({"text": "   ", "html": "<p>Marked.</p>"}))
    assert doc.kind == "html"


def test_jsonl_line_that_is_not_json_is_rejected_and_the_rest_read():
    items = _read(_lines({"text": "Good one."}, "{not json at all", {"text": "Good two."}))
    assert [type(i) for i in items] == [RawDocument, Rejection, RawDocument]
    assert items[1].input == "feed.jsonl:2"
    assert "not valid JSON" in items[1].reason
    assert items[2].id == "feed:3"


def test_jsonl_line_that_is_not_an_object_is_rejected_and_the_rest_read():
    items = _read(_lines(["a", "list"], {"text": "Good."}))
    assert isinstance(items[0], Rejection)
    assert "expected a JSON object, got list" in items[0].reason
    assert isinstance(items[1], RawDocument)


def test_jsonl_record_without_text_or_html_is_rejected():
    [item] = _read(_lines({"title": "Headline only"}))
    assert isinstance(item, Rejection)
    assert item.input == "feed.jsonl:1"
    assert "no non-empty 'text' or 'html'" in item.reason


def test_jsonl_record_with_non_string_text_is_rejected():
    [item] = _read(_lines({"text": 12345}))
    assert isinstance(item, Rejection)
    assert "'text' or 'html'" in item.reason


def test_jsonl_wrong_typed_metadata_field_is_rejected_and_the_rest_read():
    items = _read(_lines({"text": "Body.", "title": ["not", "a", "string"]}, {"text": "Fine."}))
    assert isinstance(items[0], Rejection)
    assert "field 'title' must be a string, got list" in items[0].reason
    assert isinstance(items[1], RawDocument)
    assert items[1].id == "feed:2"


def test_jsonl_object_typed_field_is_rejected():
    [item] = _read(_lines({"text": "Body.", "author": {"name": "Ilse"}}))
    assert isinstance(item, Rejection)
    assert "field 'author' must be a string, got dict" in item.reason


def test_jsonl_crlf_line_endings_are_read():
    items = _read('{"text": "One."}\r\n{"text": "Two."}\r\n')
    assert [i.content for i in items] == ["One.", "Two."]


def test_json_file_with_one_object_is_one_article(tmp_path):
    from storyfuse.config import IngestConfig
    from storyfuse.ingest import read_inputs

    path = tmp_path / "story.json"
    path.write_text(json.dumps({"title": "Quay", "text": "The quay reopened to boats on Monday morning."}))
    [doc] = list(read_inputs([str(path)], IngestConfig()))
    assert (doc.id, doc.meta["title"]) == ("story", "Quay")


def test_json_file_with_an_array_gives_one_article_per_object_and_rejects_bad_ones(tmp_path):
    from storyfuse.config import IngestConfig
    from storyfuse.ingest import read_inputs
    from storyfuse.models import Rejection

    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"text": "The quay reopened to boats on Monday morning."}, {"title": "no text"}]))
    items = list(read_inputs([str(path)], IngestConfig()))
    assert items[0].id == "batch:1" and isinstance(items[1], Rejection) and items[1].input.endswith("batch.json[2]")


DEEP = "[" * 100_000 + "]" * 100_000


def test_jsonl_line_nested_too_deeply_is_rejected_and_the_rest_read():
    items = _read(_lines({"text": "Good one."}, DEEP, {"text": "Good two."}))
    assert [type(i) for i in items] == [RawDocument, Rejection, RawDocument]
    assert items[1].input == "feed.jsonl:2"
    assert items[1].reason.startswith("JSON nested too deeply to read")


def test_json_file_nested_too_deeply_is_rejected_and_the_next_file_read(tmp_path):
    from storyfuse.config import IngestConfig
    from storyfuse.ingest import read_inputs

    deep = tmp_path / "deep.json"
    deep.write_text(DEEP)
    good = tmp_path / "good.txt"
    good.write_text("The quay reopened to boats on Monday morning.")
    items = list(read_inputs([str(deep), str(good)], IngestConfig()))
    assert isinstance(items[0], Rejection) and items[0].input == str(deep)
    assert len(items[0].reason) < 200
    assert isinstance(items[1], RawDocument)
