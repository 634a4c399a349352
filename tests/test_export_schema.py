"""Tests for the storyfuse/1 JSON Schema (storyfuse.export.json_schema / validate) and write_csv."""

from __future__ import annotations

import csv

import jsonschema
import pytest

from storyfuse.export import json_schema, validate, write_csv

from synthetic import synthetic_doc


@pytest.fixture
def doc() -> dict:
    return synthetic_doc()


def read_csv(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


# --- the schema -------------------------------------------------------------------------------


def test_json_schema_loads_as_a_draft_2020_12_schema():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"] == {"const": "storyfuse/1"}


def test_validate_accepts_the_synthetic_document(doc):
    assert validate(doc) is None


def test_validate_accepts_extra_fields(doc):
    doc["articles"][0]["analysed"] = True
    doc["events"][0]["facts"][0]["evidence"] = []
    assert validate(doc) is None


def test_validate_accepts_a_null_date_value(doc):
    doc["articles"][1]["dates"][0]["value"] = None
    assert validate(doc) is None


@pytest.mark.parametrize("value", ["2031", "2031-04", "2031-04-02", "2031-W14", "2031-Q2"])
def test_validate_accepts_every_timex3_date_form(doc, value):
    doc["articles"][0]["dates"][0]["value"] = value
    assert validate(doc) is None


# --- what it rejects --------------------------------------------------------------------------


def test_validate_rejects_an_article_without_a_required_field(doc):
    del doc["articles"][0]["duplicate_of"]
    with pytest.raises(jsonschema.ValidationError, match="duplicate_of"):
        validate(doc)


def test_validate_rejects_a_fact_status_outside_the_enum(doc):
    doc["events"][0]["facts"][2]["status"] = "disputed"
    with pytest.raises(jsonschema.ValidationError, match="disputed"):
        validate(doc)


def test_validate_rejects_a_fact_with_conflicts_that_is_not_contradicted(doc):
    fact = doc["events"][0]["facts"][1]
    assert fact["conflicts"]
    fact["status"] = "corroborated"
    with pytest.raises(jsonschema.ValidationError, match="contradicted"):
        validate(doc)


def test_validate_rejects_a_date_value_that_is_not_timex3(doc):
    doc["articles"][0]["dates"][0]["value"] = "March 2025"
    with pytest.raises(jsonschema.ValidationError, match="March 2025"):
        validate(doc)


def test_validate_rejects_a_summary_sentence_without_articles(doc):
    doc["events"][0]["summary"][0]["articles"] = []
    with pytest.raises(jsonschema.ValidationError) as info:
        validate(doc)
    assert list(info.value.absolute_path) == ["events", 0, "summary", 0, "articles"]


def test_validate_rejects_another_schema_name(doc):
    doc["schema"] = "storyfuse/2"
    with pytest.raises(jsonschema.ValidationError) as info:
        validate(doc)
    assert list(info.value.absolute_path) == ["schema"]


# --- write_csv --------------------------------------------------------------------------------


def test_write_csv_writes_the_three_files(doc, tmp_path):
    written = write_csv(doc, tmp_path)
    assert sorted(p.name for p in written) == ["articles.csv", "events.csv", "facts.csv"]
    assert all(p.parent == tmp_path and p.exists() for p in written)


def test_write_csv_articles_has_a_header_and_one_row_per_article(doc, tmp_path):
    write_csv(doc, tmp_path)
    rows = read_csv(tmp_path / "articles.csv")
    assert rows[0][:3] == ["id", "source", "title"]
    assert [r[0] for r in rows[1:]] == ["oakmere-post:1", "harbour-bell:7"]


def test_write_csv_events_has_a_header_and_one_row_per_event_with_status_counts(doc, tmp_path):
    write_csv(doc, tmp_path)
    rows = read_csv(tmp_path / "events.csv")
    assert rows[0] == ["id", "title", "start", "end", "articles", "facts", "corroborated", "contradicted",
                       "single_source"]
    assert rows[1:] == [["ev-quay-nine", "Fire at the Quay Nine grain store", "2031-04-02", "2031-04-03",
                         "2", "3", "1", "1", "1"]]


def test_write_csv_facts_has_a_header_and_one_row_per_fact(doc, tmp_path):
    write_csv(doc, tmp_path)
    rows = read_csv(tmp_path / "facts.csv")
    assert rows[0] == ["event", "id", "status", "independent_sources", "articles", "date", "text", "conflicts"]
    assert [r[1] for r in rows[1:]] == ["f-blaze", "f-injured", "f-office"]


def test_write_csv_facts_spells_out_a_conflict(doc, tmp_path):
    write_csv(doc, tmp_path)
    row = next(r for r in read_csv(tmp_path / "facts.csv") if r[1] == "f-injured")
    assert row[4] == "oakmere-post:1 harbour-bell:7"
    assert row[7] == "worker: 3 vs 5"


def test_write_csv_creates_a_missing_folder(doc, tmp_path):
    folder = tmp_path / "out" / "csv"
    write_csv(doc, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["articles.csv", "events.csv", "facts.csv"]
