"""Tests for storyfuse.summarize: an extractive, cited summary of an event's facts."""

from __future__ import annotations

from storyfuse.config import SummarizeConfig
from storyfuse.models import Fact, FactSentence
from storyfuse.summarize import summarize


def fact(id: str, text: str, where: dict[str, int], sources: int | None = None, status: str | None = None) -> Fact:
    """A fact stated in the articles of ``where`` at the given character offsets."""
    articles = tuple(where)
    independent = len(articles) if sources is None else sources
    status = status or ("corroborated" if independent >= 2 else "single_source")
    sentences = tuple(FactSentence(a, start, start + len(text), text) for a, start in where.items())
    return Fact(id, text, status, articles, independent, (), sentences)


# Fictional facts about a flood in a made-up valley town; their wordings share few words.
LEAD = fact("f-lead", "The river Calder burst its banks at Wenbury before dawn on Friday.", {"a": 0, "b": 0, "c": 0})
ROADS = fact("f-roads", "Police shut the bypass and two bridges into the town centre.", {"a": 80, "b": 90})
SCHOOL = fact("f-school", "Pupils from Saint Aldric primary spent the day in the sports hall.", {"c": 120})
PUMPS = fact("f-pumps", "Volunteers brought diesel pumps from neighbouring farms.", {"b": 200})
MAYOR = fact("f-mayor", "Mayor Hollis asked residents to check on elderly neighbours.", {"a": 300})
FACTS = (MAYOR, PUMPS, SCHOOL, ROADS, LEAD)


def test_summarize_of_no_facts_is_empty():
    assert summarize((), SummarizeConfig()) == ()


def test_summarize_gives_at_most_max_sentences():
    assert len(summarize(FACTS, SummarizeConfig(max_sentences=3))) == 3


def test_summarize_gives_every_fact_when_there_are_fewer_than_max_sentences():
    assert len(summarize(FACTS, SummarizeConfig(max_sentences=10))) == len(FACTS)


def test_summarize_sentences_are_the_fact_texts():
    summary = summarize(FACTS, SummarizeConfig(max_sentences=10))
    by_id = {f.id: f for f in FACTS}
    assert all(s.text == by_id[s.fact].text for s in summary)


def test_summarize_sentences_cite_their_facts_articles_id_and_status():
    summary = summarize(FACTS, SummarizeConfig(max_sentences=10))
    by_id = {f.id: f for f in FACTS}
    assert {s.fact for s in summary} == set(by_id)
    assert all((s.articles, s.status) == (by_id[s.fact].articles, by_id[s.fact].status) for s in summary)


def test_summarize_chooses_corroborated_facts_before_single_source_ones():
    summary = summarize(FACTS, SummarizeConfig(max_sentences=2))
    assert {s.fact for s in summary} == {"f-lead", "f-roads"}


def test_summarize_counts_independent_sources_not_articles():
    # Three copies of one wire story weigh less than two independent outlets.
    wire = fact("f-wire", "Insurers opened a claims desk in the town library.", {"x": 40, "y": 40, "z": 40}, sources=1)
    two = fact("f-two", "The railway line to Hebden Cross stayed closed all weekend.", {"a": 40, "b": 40})
    (chosen,) = summarize((wire, two), SummarizeConfig(max_sentences=1))
    assert chosen.fact == "f-two"


def test_summarize_prefers_corroborated_facts_over_a_single_source_lead_sentence():
    texts = [
        "The river Calder burst its banks at Wenbury before dawn on Friday.",
        "Police shut the bypass and two bridges into the town centre.",
        "Volunteers brought diesel pumps from neighbouring farms.",
        "Insurers opened a claims desk in the public library.",
    ]
    corroborated = tuple(fact(f"f-{n}", t, {"a": 100 * n, "b": 100 * n}) for n, t in enumerate(texts))
    lone = fact("f-lone", "A schoolteacher rowed her neighbours to safety in a canoe.", {"c": 0})
    summary = summarize(corroborated + (lone,), SummarizeConfig(max_sentences=4))
    assert {s.fact for s in summary} == {f.id for f in corroborated}


def test_summarize_among_equal_support_prefers_facts_near_the_top():
    early = fact("f-early", "Mayor Hollis asked residents to check on elderly neighbours.", {"a": 0})
    late = fact("f-late", "Volunteers brought diesel pumps from neighbouring farms.", {"b": 500})
    filler = fact("f-filler", "Pupils spent the day in the sports hall of Saint Aldric.", {"b": 0})
    summary = summarize((late, filler, early), SummarizeConfig(max_sentences=2))
    assert "f-late" not in {s.fact for s in summary}


def test_summarize_does_not_choose_two_near_duplicate_facts():
    again = fact("f-again", "The Calder burst its banks at Wenbury before dawn on Friday morning.", {"d": 0, "e": 0})
    summary = summarize((LEAD, again, ROADS), SummarizeConfig(max_sentences=3))
    chosen = {s.fact for s in summary}
    assert not {"f-lead", "f-again"} <= chosen
    assert "f-roads" in chosen


def test_summarize_keeps_the_better_supported_of_two_near_duplicates():
    again = fact("f-again", "The Calder burst its banks at Wenbury before dawn on Friday morning.", {"d": 0})
    summary = summarize((again, LEAD), SummarizeConfig(max_sentences=3))
    assert [s.fact for s in summary] == ["f-lead"]


def test_summarize_tells_chosen_facts_in_story_order():
    texts = [
        "The river Calder burst its banks at Wenbury before dawn on Friday.",
        "Police shut the bypass and two bridges into the town centre.",
        "Volunteers brought diesel pumps from neighbouring farms.",
        "Mayor Hollis asked residents to check on elderly neighbours.",
    ]
    # Support grows down the story, so ranking alone would tell it backwards.
    where = [{"a": 0}, {"a": 100, "b": 100}, {"a": 200, "b": 200, "c": 200}, {"a": 300, "b": 300, "c": 300, "d": 300}]
    facts = tuple(fact(f"f-{n}", t, w) for n, (t, w) in enumerate(zip(texts, where)))
    summary = summarize(facts[::-1], SummarizeConfig(max_sentences=10))
    assert [s.fact for s in summary] == ["f-0", "f-1", "f-2", "f-3"]


def test_summarize_story_order_puts_an_early_single_source_fact_before_a_later_corroborated_one():
    late = fact("f-late", "Volunteers brought diesel pumps from neighbouring farms.", {"a": 400, "b": 400})
    middle = fact("f-middle", "Police shut the bypass and two bridges into the town centre.", {"a": 200, "b": 200})
    early = fact("f-early", "Mayor Hollis asked residents to check on elderly neighbours.", {"c": 0})
    summary = summarize((late, middle, early), SummarizeConfig(max_sentences=3))
    assert [s.fact for s in summary] == ["f-early", "f-middle", "f-late"]


def test_summarize_is_deterministic():
    config = SummarizeConfig(max_sentences=3)
    assert summarize(FACTS, config) == summarize(tuple(reversed(FACTS)), config)
