"""Tests for storyfuse.report: Markdown and HTML reports of a storyfuse/1 document."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from storyfuse.export import validate
from storyfuse.report import html_report, markdown_report, slot_name, write_report

from synthetic import (
    HOSTILE_ARTICLE_TITLE,
    HOSTILE_EVENT_TITLE,
    HOSTILE_FACT,
    HOSTILE_QUOTE,
    hostile_doc,
    synthetic_doc,
)


def escaped(text: str) -> str:
    """``text`` as Jinja2/MarkupSafe autoescaping writes it."""
    return htmllib.escape(text, quote=True).replace("&quot;", "&#34;").replace("&#x27;", "&#39;")


@pytest.fixture
def md() -> str:
    return markdown_report(synthetic_doc())


@pytest.fixture
def hostile_html() -> str:
    return html_report(hostile_doc())


# --- the test data itself ---------------------------------------------------------------------


def test_synthetic_document_is_a_valid_export():
    validate(synthetic_doc())  # raises jsonschema.ValidationError otherwise


def test_hostile_document_is_a_valid_export():
    validate(hostile_doc())


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_has_the_event_title_as_a_heading(md):
    assert "## Fire at the Quay Nine grain store" in md.splitlines()


def test_markdown_cites_both_articles_of_a_corroborated_fact_by_number(md):
    row = next(line for line in md.splitlines() if "A fire broke out at the Quay Nine grain store in Oakmere." in line)
    assert row == "| 2 | A fire broke out at the Quay Nine grain store in Oakmere. | [1][2] |"


def test_markdown_summary_sentence_carries_its_citations(md):
    assert "- Fire crews fought a blaze at the Quay Nine grain store in Oakmere. [1][2]" in md.splitlines()


def test_markdown_shows_the_conflicting_values_with_their_sources(md):
    lines = md.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("- worker:"))
    assert "**3** [1] vs **5** [2]" in lines[at]
    assert lines[at + 1:at + 3] == ["  - **3**: “Three workers were injured” [1]", "  - **5**: “Five workers were injured” [2]"]


def test_markdown_lists_a_single_source_fact_under_its_own_heading(md):
    lines = md.splitlines()
    start = lines.index("### Reported by one source only")
    assert lines[start + 2] == "- The harbour office reported the injuries. [2]"


def test_markdown_shows_a_speaker_conflict(md):
    line = next(line for line in md.splitlines() if "under control by midnight" in line)
    assert "attributed differently: Mara Lindqvist [1]; Tomas Brell [2]" in line


def test_markdown_lists_entity_aliases(md):
    assert "- Mara Lindqvist (person) — also fire chief Mara Lindqvist, Lindqvist" in md.splitlines()


def test_markdown_lists_the_timeline_entry_with_its_date(md):
    assert "- **2031-04-02** A fire broke out at the Quay Nine grain store. [1][2]" in md.splitlines()


def test_markdown_numbers_the_sources_in_event_order(md):
    lines = md.splitlines()
    assert any(line.startswith("1. Oakmere Post — Grain store fire at Quay Nine") for line in lines)
    assert any(line.startswith("2. Harbour Bell — Workers hurt in Oakmere warehouse blaze") for line in lines)


def test_markdown_lists_the_rejected_input_with_its_reason(md):
    lines = md.splitlines()
    assert "## Rejected inputs" in lines
    assert "- `inbox/empty-page.html`: no main text found in the page" in lines


def test_markdown_counts_articles_outlets_events_and_rejections(md):
    assert "2 articles from 2 outlets, 1 event, 1 input rejected." in md


def test_markdown_cites_in_numeric_order_whatever_the_order_of_the_ids():
    doc = synthetic_doc()
    fact = doc["events"][0]["facts"][0]
    fact["articles"] = list(reversed(fact["articles"]))
    assert f"| {_md_text(fact['text'])} | [1][2] |" in markdown_report(doc)


def _md_text(text: str) -> str:
    return text.replace("|", "\\|")


def test_markdown_says_why_two_articles_are_one_source():
    doc = synthetic_doc()
    fact = doc["events"][0]["facts"][-1]
    fact["articles"], fact["independent_sources"] = ["oakmere-post:1", "harbour-bell:7"], 1
    line = next(line for line in markdown_report(doc).splitlines() if fact["text"] in line)
    assert line.endswith("[1][2] *(2 articles, 1 independent source: a copy)*")


def test_markdown_marks_a_single_source_summary_sentence():
    doc = synthetic_doc()
    doc["events"][0]["summary"][0]["status"] = "single_source"
    text = doc["events"][0]["summary"][0]["text"]
    line = next(line for line in markdown_report(doc).splitlines() if line.startswith(f"- {text}"))
    assert line.endswith("*(one source only)*")


def test_markdown_names_entity_types_in_plain_words():
    doc = synthetic_doc()
    doc["entities"][0]["label"] = "GPE"
    name = doc["entities"][0]["name"]
    assert f"- {name} (place)" in "\n".join(markdown_report(doc).splitlines())


def many_events(n: int) -> dict:
    doc = synthetic_doc()
    base = doc["events"][0]
    single = {**base, "id": "ev-single", "title": "A lone report", "articles": ["harbour-bell:7"], "thread": None}
    doc["events"] = [single] + [{**base, "id": f"ev-{k}", "title": f"Event number {k}"} for k in range(n - 1)]
    return doc


def test_markdown_has_a_table_of_contents_when_there_are_many_events():
    lines = markdown_report(many_events(6)).splitlines()
    contents = lines.index("## Contents")
    assert lines[contents + 2] == "- Event number 0 (2 articles)"


def test_markdown_has_no_table_of_contents_for_one_event(md):
    assert "## Contents" not in md


def test_markdown_puts_single_article_events_last():
    headings = [line for line in markdown_report(many_events(6)).splitlines() if line.startswith("## ")]
    assert headings[-2:] == ["## A lone report", "## Rejected inputs"]


# --- HTML: content ----------------------------------------------------------------------------


def test_html_cites_in_numeric_order():
    doc = synthetic_doc()
    doc["events"][0]["facts"][0]["articles"].reverse()
    page = html_report(doc)
    row = page[page.index(doc["events"][0]["facts"][0]["text"]):]
    assert row.index("[1]") < row.index("[2]")


def test_html_has_a_table_of_contents_when_there_are_many_events():
    page = html_report(many_events(6))
    assert '<nav aria-label="Contents">' in page and '<a href="#ev-0">Event number 0</a>' in page


def test_html_says_one_event_not_one_events():
    assert "1 event," in html_report(synthetic_doc())


def test_html_shows_the_event_title_as_a_heading():
    page = html_report(synthetic_doc())
    assert "<h2>Fire at the Quay Nine grain store</h2>" in page


def test_html_links_citations_to_the_numbered_sources():
    page = html_report(synthetic_doc())
    assert '<a href="#ev-quay-nine-src-2" title="harbour-bell:7">[2]</a>' in page
    assert '<li id="ev-quay-nine-src-2">' in page


def test_html_shows_the_conflicting_values():
    page = html_report(synthetic_doc())
    conflict = re.search(r'<div class="conflict">(.*?)</div>', page, re.S).group(1)
    assert conflict.startswith("worker: <b>3</b>")
    assert "<b>5</b>" in conflict


def test_html_lists_the_rejected_input():
    page = html_report(synthetic_doc())
    assert "<li><code>inbox/empty-page.html</code>: no main text found in the page</li>" in page


# --- HTML: article-derived text is escaped --------------------------------------------------------


def test_html_escapes_markup_in_an_article_title(hostile_html):
    assert escaped(HOSTILE_ARTICLE_TITLE) in hostile_html
    assert HOSTILE_ARTICLE_TITLE not in hostile_html


def test_html_escapes_markup_in_an_event_title(hostile_html):
    assert f"<h2>{escaped(HOSTILE_EVENT_TITLE)}</h2>" in hostile_html
    assert HOSTILE_EVENT_TITLE not in hostile_html


def test_html_escapes_markup_in_a_fact_text(hostile_html):
    assert escaped(HOSTILE_FACT) in hostile_html
    assert HOSTILE_FACT not in hostile_html


def test_html_escapes_markup_in_a_quote(hostile_html):
    assert escaped(HOSTILE_QUOTE) in hostile_html
    assert HOSTILE_QUOTE not in hostile_html


def test_html_never_contains_a_raw_script_or_img_tag(hostile_html):
    assert "<script" not in hostile_html.lower()
    assert "<img" not in hostile_html.lower()


def test_html_does_not_link_a_javascript_url(hostile_html):
    assert "javascript:" not in hostile_html
    source = re.search(r'<li id="ev-quay-nine-src-2">(.*?)</li>', hostile_html, re.S).group(1)
    assert "<a " not in source
    assert "Workers hurt in Oakmere warehouse blaze" in source


def test_html_links_an_https_url(hostile_html):
    source = re.search(r'<li id="ev-quay-nine-src-1">(.*?)</li>', hostile_html, re.S).group(1)
    assert '<a href="https://oakmere-post.example/quay-nine-fire" rel="noopener noreferrer">' in source


def test_html_escapes_quotes_inside_a_link_url():
    doc = synthetic_doc()
    doc["articles"][0]["url"] = 'https://oakmere-post.example/x" onmouseover="alert(1)'
    page = html_report(doc)
    assert 'href="https://oakmere-post.example/x&#34; onmouseover=&#34;alert(1)"' in page
    assert '" onmouseover="' not in page


# --- write_report -----------------------------------------------------------------------------


def test_write_report_writes_html_for_an_html_path(tmp_path):
    path = tmp_path / "report.html"
    write_report(synthetic_doc(), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    assert text == html_report(synthetic_doc())


def test_write_report_writes_markdown_for_an_md_path(tmp_path):
    path = tmp_path / "report.md"
    write_report(synthetic_doc(), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# storyfuse report")
    assert text == markdown_report(synthetic_doc())


@pytest.mark.parametrize("slot, name", [("weekday", "day"), ("weekday next", "day (next)"),
                                        ("calendar day until", "date (until)"), ("USD", "amount (USD)"),
                                        ("place near", "place (near)"), ("worker", "worker")])
def test_conflict_slots_are_named_in_words(slot, name):
    assert slot_name(slot) == name


def _with_update() -> dict:
    doc = synthetic_doc()
    fact = doc["events"][0]["facts"][0]
    first, second = fact["articles"][:2]
    fact["updates"] = [{"slot": "people", "sides": [
        {"value": "two", "text": "Two people were hurt.", "articles": [first]},
        {"value": "four", "text": "Four people were hurt.", "articles": [second]}]}]
    return doc


def test_markdown_shows_an_update_in_date_order_apart_from_the_disagreements():
    lines = markdown_report(_with_update()).splitlines()
    start = lines.index("### Updated as the story developed")
    assert lines[start + 2] == "- people: **two** [1] → **four** [2]"


def test_html_shows_an_update():
    page = html_report(_with_update())
    update = re.search(r'<div class="update">(.*?)</div>', page, re.S).group(1)
    assert update.startswith("people, updated as the story developed: <b>two</b>")
    assert "→ <b>four</b>" in update


def _with_a_lone_figure() -> dict:
    doc = synthetic_doc()
    fact = doc["events"][0]["facts"][0]
    fact["only_one_source"] = [{"value": "14 stops", "text": "The line will have 14 stops <b>.",
                                "articles": [fact["articles"][1]]}]
    return doc


def test_markdown_lists_a_figure_one_source_gives_under_reported_by_one_source_only():
    lines = markdown_report(_with_a_lone_figure()).splitlines()
    start = lines.index("### Reported by one source only")
    line = next(x for x in lines[start:] if "14 stops" in x)
    assert line == "- **14 stops**, given by one source only: “The line will have 14 stops &lt;b&gt;.” [2]"


def test_html_lists_a_figure_one_source_gives_escaped():
    page = html_report(_with_a_lone_figure())
    item = re.search(r'<li class="lone">(.*?)</li>', page, re.S).group(1)
    assert item.startswith("<b>14 stops</b>, given by one source only: “The line will have 14 stops &lt;b&gt;.”")
