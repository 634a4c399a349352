"""Tests for storyfuse.recurring: short lines that recur across events are removed, offsets kept right."""

from __future__ import annotations

from storyfuse.models import Analysis, Article, Mention, Quote, Sentence, TimeExpr
from storyfuse.recurring import PARAGRAPH, line_key, short_lines, without_lines

LINES = [
    "The Tanner canal bridge reopened to traffic on Tuesday after eight months of repairs.",
    "Leave a Reply",
    '"It was worth the wait," said Mayor Lucia Ferrante on Tuesday.',
    "Subscribe to the Velmar Ledger newsletter",
]
TEXT = PARAGRAPH.join(LINES)


def span(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def article() -> tuple[Article, Analysis]:
    a = Article("a", "a.txt", "Velmar Ledger", None, "Bridge reopens", None, None, None, "en", TEXT)
    quote = span("It was worth the wait,")
    speaker = span("Lucia Ferrante")
    analysis = Analysis("a", True, None,
                        sentences=tuple(Sentence(*span(line)) for line in LINES),
                        mentions=(Mention("Tanner", *span("Tanner"), "FAC"), Mention("Lucia Ferrante", *speaker, "PERSON")),
                        quotes=(Quote("It was worth the wait,", *quote, "direct", "Lucia Ferrante", *speaker),),
                        dates=(TimeExpr("on Tuesday", *span("on Tuesday"), "2026-03-10"),))
    return a, analysis


def test_short_lines_are_keyed_and_long_ones_left_out():
    keys = short_lines(TEXT)
    assert line_key("Leave a Reply") in keys and line_key("leave  a REPLY") in keys
    assert line_key(LINES[0]) in keys  # 14 words: short enough
    assert all(len(line.split()) <= 15 for line in keys.values())


def test_removing_a_line_keeps_it_in_removed_and_every_span_on_its_text():
    a, analysis = article()
    cleaned, remapped = without_lines(a, analysis, {line_key("Leave a Reply")}, 40)
    assert "Leave a Reply" not in cleaned.text and cleaned.removed[-1] == "Leave a Reply"
    for item in remapped.mentions + remapped.dates:
        assert cleaned.text[item.start:item.end] == item.text
    (quote,) = remapped.quotes
    assert cleaned.text[quote.start:quote.end] == quote.text
    assert cleaned.text[quote.speaker_start:quote.speaker_end] == "Lucia Ferrante"
    assert [cleaned.text[s.start:s.end] for s in remapped.sentences] == [LINES[0], LINES[2], LINES[3]]


def test_spans_inside_a_removed_line_go_with_it():
    a, analysis = article()
    cleaned, remapped = without_lines(a, analysis, {line_key(LINES[2])}, 40)
    assert remapped.quotes == () and [m.text for m in remapped.mentions] == ["Tanner"]
    assert cleaned.text.endswith("Subscribe to the Velmar Ledger newsletter")


def test_nothing_to_remove_gives_none():
    a, analysis = article()
    assert without_lines(a, analysis, {line_key("not in the text")}, 40) is None


def test_a_removal_that_would_leave_too_little_text_is_not_made():
    a, analysis = article()
    assert without_lines(a, analysis, {line_key(line) for line in LINES}, 40) is None
