"""The pages' pure helpers: highlighted pieces of an article, snippet matches, timeline places."""

from __future__ import annotations

import datetime as dt

from storyfuse.models import Analysis, Mention, Quote, TimeExpr, TimelineEntry
from storyfuse.web.render import highlight, snippet_parts, timeline_points, timex_day

TEXT = 'Ilse Varga said on Tuesday: "The ferry left Marrow Bay late."'


def _analysis() -> Analysis:
    start = TEXT.index('"') + 1
    bay = TEXT.index("Marrow Bay")
    return Analysis("a", True, mentions=(Mention("Ilse Varga", 0, 10, "PERSON", "ent-v"),
                                         Mention("Marrow Bay", bay, bay + 10, "GPE", None)),
                    quotes=(Quote(TEXT[start:-1], start, len(TEXT) - 1, "direct", "Ilse Varga", 0, 10, "ent-v"),),
                    dates=(TimeExpr("Tuesday", 19, 26, "2026-01-06"),))


def test_highlight_pieces_put_the_text_back_together():
    assert "".join(s.text for s in highlight(TEXT, _analysis(), {})) == TEXT


def test_highlight_marks_entities_quotes_and_dates():
    pieces = {s.text: s for s in highlight(TEXT, _analysis(), {"ent-v": "Ilse Varga"})}
    assert pieces["Ilse Varga"].entity == "ent-v" and pieces["Ilse Varga"].entity_name == "Ilse Varga"
    assert pieces["Tuesday"].date == "2026-01-06"
    assert pieces["Marrow Bay"].quote and pieces["Marrow Bay"].label == "GPE" and pieces["Marrow Bay"].speaker == "Ilse Varga"
    assert not pieces[" said on "].quote and pieces[" said on "].entity is None


def test_highlight_skips_spans_outside_the_text():
    bad = Analysis("a", True, mentions=(Mention("x", 5, 500, "PERSON", None),))
    assert [s.text for s in highlight("short text", bad, {})] == ["short text"]


def test_snippet_parts_split_at_the_marks():
    assert snippet_parts("a \x02fire\x03 in a \x02warehouse\x03…", "\x02", "\x03") == [
        ("a ", False), ("fire", True), (" in a ", False), ("warehouse", True), ("…", False)]


def test_snippet_parts_drop_unpaired_marks():
    assert snippet_parts("a \x02fire", "\x02", "\x03") == [("a fire", False)]


def test_timex_day_reads_every_granularity():
    assert timex_day("2025-03-12") == dt.date(2025, 3, 12)
    assert timex_day("2025-03") == dt.date(2025, 3, 1)
    assert timex_day("2025-W11") == dt.date(2025, 3, 10)
    assert timex_day("2025-Q2") == dt.date(2025, 4, 1)
    assert timex_day("2025") == dt.date(2025, 1, 1)
    assert timex_day("2025-02-30") is None and timex_day("PRESENT_REF") is None


def test_timeline_points_spread_from_first_to_last_date():
    entries = [TimelineEntry(d, "x", (), (), False) for d in ("2025-03-01", "2025-03-11", "2025-03-21", "soon")]
    assert [x for x, _ in timeline_points(entries)] == [0.0, 0.5, 1.0, 1.0]


def test_timeline_points_of_one_date_sit_in_the_middle():
    assert [x for x, _ in timeline_points([TimelineEntry("2025-03-01", "x", (), (), False)])] == [0.5]
