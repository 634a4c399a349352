"""Tests for storyfuse.corroborate: facts aligned across outlets, independent sources,
conflicts, quotes grouped across outlets and the timeline.

Embeddings are hand-made unit vectors so that each test decides which sentences are similar.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from storyfuse.config import CorroborateConfig
from storyfuse.corroborate import (
    Member,
    Unit,
    build_facts,
    build_timeline,
    fact_units,
    group_quotes,
    independent_groups,
    sentence_tokens,
)
from storyfuse.models import (
    Analysis,
    Article,
    Conflict,
    ConflictSide,
    Fact,
    FactSentence,
    Quote,
    Reuse,
    Sentence,
    SpeakerClaim,
    TimeExpr,
)

CONFIG = CorroborateConfig()
DIM = 64
BETWEEN = (CONFIG.sentence_similarity - CONFIG.conflict_margin + CONFIG.sentence_similarity) / 2  # 0.575


# --- builders ------------------------------------------------------------------------------------


def member(id: str, source: str | None, sentences: list[str], *, published: str | None = "2024-06-03",
           quotes: tuple[Quote, ...] = (), dates: tuple[TimeExpr, ...] = (), analysed: bool = True) -> Member:
    """An article whose body is ``sentences`` joined by spaces, with its sentence offsets."""
    text = " ".join(sentences)
    spans, at = [], 0
    for s in sentences:
        start = text.index(s, at)
        spans.append((start, start + len(s)))
        at = start + len(s)
    analysis = Analysis(id, analysed, None if analysed else "language 'fr' is not analysed",
                        tuple(Sentence(b, e) for b, e in spans) if analysed else (), (), quotes, dates)
    art = Article(id=id, input=f"{id}.txt", source=source, url=None, title=None, author=None,
                  published=published, dateline=None, language="en" if analysed else "fr", text=text)
    return Member(art, analysis)


def basis(k: int) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[k] = 1.0
    return v


def near(k: int, other: int, similarity: float) -> np.ndarray:
    """A unit vector whose cosine with ``basis(k)`` is ``similarity``."""
    v = similarity * basis(k) + math.sqrt(1 - similarity**2) * basis(other)
    return (v / np.linalg.norm(v)).astype(np.float32)


def vectors_for(units: list[Unit], by_text: dict[str, np.ndarray]) -> np.ndarray:
    """One row per unit; a sentence not in ``by_text`` gets its own orthogonal direction."""
    rows, spare = [], 40
    for u in units:
        if u.text in by_text:
            rows.append(by_text[u.text])
        else:
            rows.append(basis(spare))
            spare += 1
    return np.vstack(rows)


def facts_of(members: list[Member], by_text: dict[str, np.ndarray] | None, reuses: list[Reuse] = (),
             config: CorroborateConfig = CONFIG, judge=None) -> tuple[Fact, ...]:
    units = fact_units(members, config.min_sentence_words)
    vectors = None if by_text is None else vectors_for(units, by_text)
    return build_facts("ev-test", members, units, vectors, list(reuses), config, judge)


class Judge:
    """A pair model that answers from a table (unknown pairs: 0), recording what it is asked."""

    threshold = 0.5

    def __init__(self, answers: dict[frozenset[str], float]):
        self.answers = answers
        self.asked: list[tuple[str, str]] = []

    def probabilities(self, pairs, cosines=None):
        self.asked += pairs
        return np.array([self.answers.get(frozenset(p), 0.0) for p in pairs])


def parsed_pair_facts(models, first: str, second: str, min_words: int = CONFIG.min_sentence_words):
    """Facts of two outlets' close sentences, with the dependency parser for their figures."""
    members = [member("a", "Harlow Echo", [first]), member("b", "Valley Wire", [second])]
    units = fact_units(members, min_words)
    vectors = vectors_for(units, {first: basis(0), second: near(0, 1, 0.9)})
    return build_facts("ev-test", members, units, vectors, [], CONFIG, None, models.figure_roles)


def fact_with(facts, text_part: str) -> Fact:
    (fact,) = [f for f in facts if any(text_part in s.text for s in f.sentences)]
    return fact


# Fictional sentences about a fire at a paper mill in a made-up town.
MILL_A = "Fire broke out at the Harlow paper mill late on Sunday night."
MILL_B = "A blaze started at the paper mill in Harlow on Sunday evening."
ROAD_A = "Police closed the ring road to traffic while crews worked."
BAKERY_B = "The bakery next door handed out bread to the firefighters."
TWO = "Two workers were injured when a crane collapsed at the depot."
THREE = "Three workers were injured after a crane fell over at the port depot."


# --- sentence_tokens -----------------------------------------------------------------------------


def test_sentence_tokens_masks_digits_and_number_words():
    assert sentence_tokens("Two workers and 14 firefighters") == "NUM worker NUM firefighter"


def test_sentence_tokens_drops_stop_words():
    assert sentence_tokens("The crane was on the quay") == "crane quay"


def test_sentence_tokens_keeps_news_content_words():
    assert sentence_tokens("The fire spread to the mill") == "fire spread mill"


def test_sentence_tokens_makes_wordings_that_differ_only_in_figures_equal():
    assert sentence_tokens("Two workers were injured.") == sentence_tokens("Three workers were injured")


def test_sentence_tokens_masks_currency_amounts():
    assert "NUM" in sentence_tokens("Repairs will cost €4 million") and "4" not in sentence_tokens("€4")


# --- independent_groups --------------------------------------------------------------------------


def _as_sets(groups: list[set[str]]) -> set[frozenset[str]]:
    return {frozenset(g) for g in groups}


def test_independent_groups_distinct_outlets_stay_apart():
    groups = independent_groups(["a", "b"], {"a": "Harlow Echo", "b": "Valley Wire"}, [])
    assert _as_sets(groups) == {frozenset({"a"}), frozenset({"b"})}


def test_independent_groups_collapse_one_outlets_articles():
    groups = independent_groups(["a", "b", "c"], {"a": "Harlow Echo", "b": "Harlow Echo", "c": "Valley Wire"}, [])
    assert _as_sets(groups) == {frozenset({"a", "b"}), frozenset({"c"})}


def test_independent_groups_normalise_outlet_names():
    groups = independent_groups(["a", "b"], {"a": "The Harbour Ledger", "b": "Harbour Ledger"}, [])
    assert _as_sets(groups) == {frozenset({"a", "b"})}


def test_independent_groups_ignore_case_and_punctuation_in_outlet_names():
    groups = independent_groups(["a", "b"], {"a": "harbour-ledger", "b": "HARBOUR LEDGER."}, [])
    assert len(groups) == 1


def test_independent_groups_collapse_reuse_links():
    reuse = Reuse("b", "a", "syndicated", 1.0, "a")
    groups = independent_groups(["a", "b"], {"a": "Harlow Echo", "b": "Valley Wire"}, [reuse])
    assert _as_sets(groups) == {frozenset({"a", "b"})}


def test_independent_groups_collapse_reuse_chains_transitively():
    reuses = [Reuse("b", "a", "rewrite", 0.3, "a"), Reuse("c", "b", "syndicated", 0.9, "b")]
    groups = independent_groups(["a", "b", "c"], {"a": "Echo", "b": "Wire", "c": "Post"}, reuses)
    assert _as_sets(groups) == {frozenset({"a", "b", "c"})}


def test_independent_groups_ignore_reuse_with_articles_outside_the_list():
    groups = independent_groups(["a", "b"], {"a": "Echo", "b": "Wire"}, [Reuse("a", "zzz", "duplicate", 1.0, "zzz")])
    assert len(groups) == 2


def test_independent_groups_articles_without_outlet_are_separate_sources():
    groups = independent_groups(["a", "b"], {"a": None, "b": None}, [])
    assert len(groups) == 2


# --- fact_units ----------------------------------------------------------------------------------


def test_fact_units_give_one_unit_per_sentence_with_offsets_and_position():
    m = member("a", "Echo", [MILL_A, ROAD_A])
    units = fact_units([m], 3)
    assert [(u.article, u.text, u.position) for u in units] == [("a", MILL_A, 0), ("a", ROAD_A, 1)]
    assert all(m.article.text[u.start:u.end] == u.text for u in units)


def test_fact_units_skip_sentences_below_min_words():
    m = member("a", "Echo", ["Nobody died.", MILL_A])
    assert [u.text for u in fact_units([m], 3)] == [MILL_A]


def test_fact_units_keep_a_sentence_of_exactly_min_words():
    m = member("a", "Echo", ["No one died.", MILL_A])
    assert [u.text for u in fact_units([m], 3)][0] == "No one died."


def test_fact_units_skip_a_sentence_that_is_mostly_a_direct_quote():
    said = '"We lost everything in the mill tonight," said the foreman.'
    text = f"{MILL_A} {said}"
    start = text.index('"') + 1
    end = text.index(',"')
    quote = Quote(text[start:end], start, end, "direct", "the foreman")
    m = member("a", "Echo", [MILL_A, said], quotes=(quote,))
    assert [u.text for u in fact_units([m], 3)] == [MILL_A]


def test_fact_units_keep_a_sentence_with_a_short_direct_quote():
    said = 'The foreman, who called it "a disaster", said the mill would be shut for a month.'
    text = f"{MILL_A} {said}"
    start = text.index('"') + 1
    quote = Quote("a disaster", start, start + len("a disaster"), "direct")
    m = member("a", "Echo", [MILL_A, said], quotes=(quote,))
    assert [u.text for u in fact_units([m], 3)] == [MILL_A, said]


def test_fact_units_indirect_quotes_do_not_remove_sentences():
    said = "The foreman said the mill would be shut for a month."
    text = f"{MILL_A} {said}"
    start = text.index("the mill would")
    quote = Quote(text[start:-1], start, len(text) - 1, "indirect", "The foreman")
    m = member("a", "Echo", [MILL_A, said], quotes=(quote,))
    assert len(fact_units([m], 3)) == 2


def test_fact_units_skip_articles_that_were_not_analysed():
    m = member("fr", "Écho", ["Un incendie a éclaté dans la papeterie dimanche soir."], analysed=False)
    assert fact_units([m, member("a", "Echo", [MILL_A])], 3) == [
        Unit("a", 0, len(MILL_A), MILL_A, 0)
    ]


# --- build_facts: alignment and support ----------------------------------------------------------


def test_build_facts_aligns_similar_sentences_from_two_outlets():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B])]
    facts = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, 0.8)})
    assert len(facts) == 1
    assert facts[0].articles == ("a", "b")


def test_build_facts_two_outlets_make_a_corroborated_fact():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B])]
    (fact,) = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, 0.8)})
    assert (fact.status, fact.independent_sources) == ("corroborated", 2)


def test_build_facts_fact_sentences_point_into_their_articles():
    members = [member("a", "Harlow Echo", [ROAD_A, MILL_A]), member("b", "Valley Wire", [MILL_B])]
    fact = fact_with(facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, 0.8)}), "paper mill")
    texts = {m.article.id: m.article.text for m in members}
    assert {s.article for s in fact.sentences} == {"a", "b"}
    assert all(texts[s.article][s.start:s.end] == s.text for s in fact.sentences)


def test_build_facts_dissimilar_sentences_stay_single_source_facts():
    members = [member("a", "Harlow Echo", [MILL_A, ROAD_A]), member("b", "Valley Wire", [MILL_B, BAKERY_B])]
    facts = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, 0.8)})
    assert fact_with(facts, "ring road").status == "single_source"
    assert fact_with(facts, "bakery").independent_sources == 1
    assert len(facts) == 3


def test_build_facts_sorts_best_supported_facts_first():
    members = [member("a", "Harlow Echo", [ROAD_A, MILL_A]), member("b", "Valley Wire", [MILL_B])]
    facts = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, 0.8)})
    assert [f.independent_sources for f in facts] == [2, 1]


def test_build_facts_similarity_below_threshold_does_not_align():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B])]
    facts = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, CONFIG.sentence_similarity - 0.05)})
    assert len(facts) == 2


def test_build_facts_syndicated_copies_are_one_independent_source():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_A])]
    reuse = Reuse("b", "a", "syndicated", 1.0, "a")
    (fact,) = facts_of(members, {MILL_A: basis(0)}, [reuse])
    assert (fact.articles, fact.independent_sources, fact.status) == (("a", "b"), 1, "single_source")


def test_build_facts_same_outlet_under_two_names_is_one_source():
    members = [member("a", "The Harbour Ledger", [MILL_A]), member("b", "Harbour Ledger", [MILL_B])]
    (fact,) = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, 0.8)})
    assert (fact.independent_sources, fact.status) == (1, "single_source")


def test_build_facts_ids_are_stable_and_prefixed():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B])]
    vecs = {MILL_A: basis(0), MILL_B: near(0, 1, 0.8)}
    first, second = facts_of(members, vecs), facts_of(members, vecs)
    assert first[0].id == second[0].id and first[0].id.startswith("f-")


# --- build_facts: the pair model decides ---------------------------------------------------------


def test_build_facts_align_a_pair_the_judge_accepts_below_the_cosine_threshold():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B])]
    judge = Judge({frozenset((MILL_A, MILL_B)): 0.9})
    (fact,) = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, CONFIG.candidate_similarity + 0.02)},
                       judge=judge)
    assert fact.articles == ("a", "b")


def test_build_facts_keep_apart_a_pair_between_the_thresholds_the_judge_rejects():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B])]
    facts = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, CONFIG.sentence_similarity - 0.05)},
                     judge=Judge({}))
    assert len(facts) == 2


def test_build_facts_do_not_ask_the_judge_about_pairs_the_embedding_accepts():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B])]
    judge = Judge({})
    (fact,) = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, 0.9)}, judge=judge)
    assert fact.articles == ("a", "b") and judge.asked == []


def test_build_facts_never_ask_the_judge_below_the_candidate_similarity():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B])]
    judge = Judge({frozenset((MILL_A, MILL_B)): 0.9})
    facts = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, CONFIG.candidate_similarity - 0.05)},
                     judge=judge)
    assert len(facts) == 2 and judge.asked == []


def test_build_facts_do_not_ask_the_judge_about_word_for_word_copies():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_A])]
    judge = Judge({})
    (fact,) = facts_of(members, {MILL_A: basis(0)}, judge=judge)
    assert fact.articles == ("a", "b") and judge.asked == []


def test_build_facts_with_a_judge_do_not_chain_through_one_sentence():
    # b matches a and c, but a and c are not the same claim: c must not join the group of a and b.
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B]),
               member("c", "Coast Radio", [ROAD_A])]
    judge = Judge({frozenset((MILL_A, MILL_B)): 0.95, frozenset((MILL_B, ROAD_A)): 0.6})
    road = np.array([0.46, 0.405, math.sqrt(1 - 0.46**2 - 0.405**2)] + [0.0] * (DIM - 3), dtype=np.float32)
    vectors = {MILL_A: basis(0), MILL_B: near(0, 1, 0.6), ROAD_A: road}  # cosines a-b 0.6, b-c 0.6, a-c 0.46
    facts = facts_of(members, vectors, judge=judge)
    assert fact_with(facts, "paper mill").articles == ("a", "b")
    assert fact_with(facts, "ring road").articles == ("c",)


THREE_AS_TWO = "Two workers were injured after a crane fell over at the port depot."  # THREE, figures made equal


def test_build_facts_with_a_judge_still_align_conflicting_figures_for_one_slot():
    members = [member("a", "Harlow Echo", [TWO]), member("b", "Valley Wire", [THREE])]
    judge = Judge({frozenset({TWO, THREE_AS_TWO}): 0.9})
    (fact,) = facts_of(members, {TWO: basis(0), THREE: near(0, 1, BETWEEN)}, judge=judge)
    assert fact.status == "contradicted"


def test_build_facts_conflict_needs_the_judge_to_pair_the_sentences_with_their_figures_made_equal():
    members = [member("a", "Harlow Echo", [TWO]), member("b", "Valley Wire", [THREE])]
    judge = Judge({frozenset({TWO, THREE_AS_TWO}): 0.2})
    (fact,) = facts_of(members, {TWO: basis(0), THREE: near(0, 1, BETWEEN)}, judge=judge)
    assert fact.conflicts == ()
    assert (TWO, THREE_AS_TWO) in judge.asked


def test_build_facts_with_no_units_is_empty():
    assert build_facts("ev-test", [], [], None, [], CONFIG) == ()


def test_build_facts_dates_a_fact_with_the_time_expression_inside_its_sentence():
    start = MILL_A.index("Sunday")
    sunday = TimeExpr("Sunday", start, start + 6, "2024-06-02")
    members = [member("a", "Harlow Echo", [MILL_A], dates=(sunday,)), member("b", "Valley Wire", [MILL_B])]
    (fact,) = facts_of(members, {MILL_A: basis(0), MILL_B: near(0, 1, 0.8)})
    assert fact.date == "2024-06-02"


def test_build_facts_ignore_time_expressions_outside_the_sentence():
    start = len(MILL_A) + 1 + ROAD_A.index("traffic")
    other = TimeExpr("traffic", start, start + 7, "2024-06-09")
    members = [member("a", "Harlow Echo", [MILL_A, ROAD_A], dates=(other,))]
    facts = facts_of(members, None)
    assert fact_with(facts, "paper mill").date is None


# --- build_facts: one article, one sentence per fact --------------------------------------------


def test_build_facts_never_put_two_sentences_of_one_article_in_a_fact():
    again = "The Harlow paper mill caught fire on Sunday night."
    members = [member("a", "Harlow Echo", [MILL_A, again]), member("b", "Valley Wire", [MILL_B])]
    facts = facts_of(members, {MILL_A: basis(0), again: basis(0), MILL_B: basis(0)})
    for fact in facts:
        assert len({s.article for s in fact.sentences}) == len(fact.sentences)
    assert fact_with(facts, MILL_A) is not fact_with(facts, again)


def test_build_facts_two_identical_sentences_of_one_article_stay_apart():
    members = [member("a", "Harlow Echo", [MILL_A, ROAD_A, MILL_A])]
    facts = facts_of(members, None)
    assert sorted(len(f.sentences) for f in facts) == [1, 1, 1]


# --- build_facts: conflicts ----------------------------------------------------------------------


def test_build_facts_different_figures_for_one_slot_make_one_contradicted_fact():
    members = [member("a", "Harlow Echo", ["Two workers were injured"]),
               member("b", "Valley Wire", ["Three workers were injured"])]
    vecs = {"Two workers were injured": basis(0), "Three workers were injured": near(0, 1, BETWEEN)}
    (fact,) = facts_of(members, vecs)
    assert (fact.status, fact.independent_sources) == ("contradicted", 2)


def test_build_facts_conflict_names_the_slot_and_each_side_with_its_articles():
    members = [member("a", "Harlow Echo", ["Two workers were injured"]),
               member("b", "Valley Wire", ["Three workers were injured"])]
    vecs = {"Two workers were injured": basis(0), "Three workers were injured": near(0, 1, BETWEEN)}
    (fact,) = facts_of(members, vecs)
    (conflict,) = fact.conflicts
    assert conflict.slot == "worker"
    assert {(s.value, s.text, s.articles) for s in conflict.sides} == {
        ("Two", "Two workers were injured", ("a",)),
        ("Three", "Three workers were injured", ("b",)),
    }


@pytest.mark.parametrize("first, second", [
    ("More than 20 people were hurt in the crash on the ring road.", "24 people were hurt in the crash on the ring road."),
    ("About 300 people were evacuated from the flats near the mill.", "312 people were evacuated from the flats near the mill."),
    ("The striker signed a deal worth $21 million a year with the club.", "The striker signed a deal worth $200 million with the club."),
    ("He finished the season with 121 RBI for the club.", "He finished the season with 676 career RBI for the club."),
])
def test_build_facts_figures_that_can_both_be_true_are_no_conflict(first, second):
    members = [member("a", "Harlow Echo", [first]), member("b", "Valley Wire", [second])]
    facts = facts_of(members, {first: basis(0), second: near(0, 1, 0.9)})
    assert facts[0].status == "corroborated" and facts[0].articles == ("a", "b")
    assert all(f.conflicts == () for f in facts)


def test_build_facts_two_figures_from_one_article_are_no_conflict():
    both = "Two workers were injured, and later three workers were injured in a second fire."
    members = [member("a", "Harlow Echo", [both]), member("b", "Valley Wire", ["Two workers were injured at the mill."])]
    facts = facts_of(members, {both: basis(0), "Two workers were injured at the mill.": near(0, 1, 0.9)})
    assert all(f.conflicts == () for f in facts)


def test_build_facts_figures_said_about_different_things_are_no_conflict():
    first = "Police said 12 people were arrested in Harlow after the march."
    second = "Police said 18 people were injured in Harlow after the march."
    members = [member("a", "Harlow Echo", [first]), member("b", "Valley Wire", [second])]
    facts = facts_of(members, {first: basis(0), second: near(0, 1, 0.9)})
    assert all(f.conflicts == () for f in facts)


def test_build_facts_parts_of_a_tally_in_one_sentence_are_not_compared():
    first = "Manning completed 29 of 34 passes in the win over Harlow."
    second = "Manning completed 31 passes in the win over Harlow."
    members = [member("a", "Harlow Echo", [first]), member("b", "Valley Wire", [second])]
    facts = facts_of(members, {first: basis(0), second: near(0, 1, 0.9)})
    assert all(f.conflicts == () for f in facts)


def test_build_facts_with_the_parser_parts_of_a_tally_are_still_not_compared(models):
    first = "Manning completed 29 of 34 passes in the win over Harlow on Sunday."
    second = "Manning completed 31 passes in the win over Harlow on Sunday."
    facts = parsed_pair_facts(models, first, second)
    assert all(f.conflicts == () for f in facts)


def test_build_facts_with_the_parser_two_figures_of_one_kind_in_a_sentence_are_told_apart(models):
    first = "The van dragged her 10 feet down Mill Lane, said a Harlow witness who was 20 feet away."
    second = "The van dragged her 15 feet down Mill Lane, said a Harlow witness who was 20 feet away."
    (fact,) = parsed_pair_facts(models, first, second)
    (conflict,) = fact.conflicts
    assert {s.value for s in conflict.sides} == {"10", "15"}


def test_build_facts_without_the_parser_two_figures_of_one_kind_in_a_sentence_are_not_compared():
    first = "The van dragged her 10 feet down Mill Lane, said a Harlow witness who was 20 feet away."
    second = "The van dragged her 15 feet down Mill Lane, said a Harlow witness who was 20 feet away."
    members = [member("a", "Harlow Echo", [first]), member("b", "Valley Wire", [second])]
    facts = facts_of(members, {first: basis(0), second: near(0, 1, 0.9)})
    assert all(f.conflicts == () for f in facts)


@pytest.mark.parametrize("first, second", [
    ("Jamaal Vance rushed for 226 yards against Harlow on Sunday.", "Peyton Hale rushed for 101 yards against Harlow on Sunday."),
    ("The employee is accused of shooting three co-workers at the Harlow plant.",
     "The employee is accused of killing two co-workers at the Harlow plant."),
    ("Ruth Agon missed 10 of the club's 16 games with an ankle injury.", "Ruth Agon missed 12 games with an ankle injury."),
])
def test_build_facts_with_the_parser_figures_of_other_people_or_acts_are_no_conflict(models, first, second):
    facts = parsed_pair_facts(models, first, second)
    assert all(f.conflicts == () for f in facts)


def test_build_facts_with_the_parser_the_same_count_of_the_same_act_is_a_conflict(models):
    first, second = "The quake injured two people on the island.", "The quake on the island injured five people."
    (fact,) = parsed_pair_facts(models, first, second)
    assert [c.slot for c in fact.conflicts] == ["people"]


def test_build_facts_with_the_parser_a_count_in_words_and_in_digits_is_compared_in_one_parse(models):
    first = "The seized equipment included seven rifles, three pistols, a launcher with two rockets and a radio set."
    second = "The seized equipment included seven rifles, three pistols, a launcher with 4 rockets and a radio set."
    (fact,) = parsed_pair_facts(models, first, second)
    assert [c.slot for c in fact.conflicts] == ["rocket"]


def test_build_facts_the_ends_of_a_range_are_not_compared_alone(models):
    first = "The Harlow club offered Vance a deal worth about $160 million over eight years."
    second = "The Harlow club offered Vance a deal worth at least $160 million and possibly as much as $180 million."
    facts = parsed_pair_facts(models, first, second)
    assert all(f.conflicts == () for f in facts)


def test_build_facts_claims_that_differ_on_every_count_they_share_are_no_conflict(models):
    first = "Vance caught 53 passes for 605 yards for the Harlow club."
    second = "Vance caught five passes for 68 yards for the Harlow club."
    facts = parsed_pair_facts(models, first, second)
    assert all(f.conflicts == () for f in facts)


def test_build_facts_one_count_differing_beside_one_that_agrees_is_a_conflict(models):
    first = "Vance caught 53 passes for 605 yards for the Harlow club."
    second = "Vance caught 53 passes for 650 yards for the Harlow club."
    (fact,) = parsed_pair_facts(models, first, second)
    assert [c.slot for c in fact.conflicts] == ["yard"]


@pytest.mark.parametrize("first, second", [
    ("UPDATED: THURSDAY, MARCH 14, 2013, 9:31 AM", "UPDATED: TUESDAY, MARCH 12, 2013, 9:36 AM"),
    ("Harlow mill fire: 21 July 2013 Last updated at 11:11 GMT", "Harlow mill fire: 22 July 2013 Last updated at 17:50 GMT"),
])
def test_build_facts_page_timestamps_are_no_date_conflict(models, first, second):
    facts = parsed_pair_facts(models, first, second, min_words=3)
    assert all(f.conflicts == () for f in facts)


def test_build_facts_counts_tenfold_apart_count_different_things(models):
    first = "Thieves stole jewels worth £88m from the Harlow hotel, police said."
    second = "Thieves stole jewels worth £910,000 from the Harlow hotel, police said."
    facts = parsed_pair_facts(models, first, second)
    assert all(f.conflicts == () for f in facts)


def test_build_facts_counts_dated_to_different_days_are_of_different_moments(models):
    first = "On Saturday, more than a dozen people were killed by a quake near Harlow."
    second = "Ten people were killed by a quake near Harlow on Sunday."
    facts = parsed_pair_facts(models, first, second)
    assert not [c for f in facts for c in f.conflicts if c.slot == "people"]


def test_build_facts_the_same_act_on_different_days_is_a_date_conflict(models):
    first = "The Harlow council approved the tram plan on Monday after a long debate."
    second = "The Harlow council approved the tram plan on Wednesday after a long debate."
    (fact,) = parsed_pair_facts(models, first, second)
    (conflict,) = fact.conflicts
    assert conflict.slot == "weekday"
    assert {s.value for s in conflict.sides} == {"Monday", "Wednesday"}


@pytest.mark.parametrize("first, second", [
    ("A Harlow council spokesman said Friday that the tram plan had been approved.",
     "The tram plan was approved after a long debate in the chamber, a Harlow council spokesman said Thursday."),
    ("Thursday, December 11, 2008 at the Harlow council", "Tuesday, December 16, 2008 at the Harlow council"),
])
def test_build_facts_the_day_of_a_report_or_a_dateline_is_no_date_conflict(models, first, second):
    facts = parsed_pair_facts(models, first, second, min_words=3)
    assert all(f.conflicts == () for f in facts)


def test_build_facts_the_day_of_one_report_told_in_one_wording_is_a_date_conflict(models):
    first = "A Harlow council spokesman said Friday that the tram plan had been approved."
    second = "A Harlow council spokesman said Thursday that the tram plan had been approved."
    (fact,) = parsed_pair_facts(models, first, second)
    assert {s.value for s in fact.conflicts[0].sides} == {"Friday", "Thursday"}


def test_build_facts_without_the_parser_days_are_not_compared():
    first = "The Harlow council approved the tram plan on Monday after a long debate."
    second = "The Harlow council approved the tram plan on Wednesday after a long debate."
    members = [member("a", "Harlow Echo", [first]), member("b", "Valley Wire", [second])]
    facts = facts_of(members, {first: basis(0), second: near(0, 1, 0.9)})
    assert all(f.conflicts == () for f in facts)


def test_build_facts_a_day_of_one_relation_is_not_compared_with_another(models):
    first = "The Harlow ring road was closed on Wednesday after the fire at the mill."
    second = "The Harlow ring road was closed until Thursday after the fire at the mill."
    facts = parsed_pair_facts(models, first, second)
    assert all(f.conflicts == () for f in facts)


def test_build_facts_each_conflict_side_is_shown_with_a_sentence_that_states_it():
    members = [member("a", "Harlow Echo", [TWO]), member("b", "Valley Wire", [THREE])]
    (fact,) = facts_of(members, {TWO: basis(0), THREE: near(0, 1, BETWEEN)})
    for side in fact.conflicts[0].sides:
        assert side.value in side.text


def test_build_facts_differently_worded_conflicting_figures_align_between_floor_and_threshold():
    members = [member("a", "Harlow Echo", [TWO]), member("b", "Valley Wire", [THREE])]
    (fact,) = facts_of(members, {TWO: basis(0), THREE: near(0, 1, BETWEEN)})
    assert fact.status == "contradicted"
    assert [c.slot for c in fact.conflicts] == ["worker"]


def test_build_facts_agreeing_figures_between_floor_and_threshold_align():
    same = THREE.replace("Three", "Two")
    members = [member("a", "Harlow Echo", [TWO]), member("b", "Valley Wire", [same])]
    (fact,) = facts_of(members, {TWO: basis(0), same: near(0, 1, BETWEEN)})
    assert (fact.status, fact.independent_sources) == ("corroborated", 2)


def test_build_facts_sentences_without_figures_between_floor_and_threshold_do_not_align():
    first, second = "The depot reopened after repairs.", "The old depot was repainted in blue."
    members = [member("a", "Harlow Echo", [first]), member("b", "Valley Wire", [second])]
    facts = facts_of(members, {first: basis(0), second: near(0, 1, BETWEEN)})
    assert len(facts) == 2 and {f.status for f in facts} == {"single_source"}


def test_build_facts_conflicting_figures_below_the_floor_do_not_align():
    floor = CONFIG.sentence_similarity - CONFIG.conflict_margin
    members = [member("a", "Harlow Echo", [TWO]), member("b", "Valley Wire", [THREE])]
    facts = facts_of(members, {TWO: basis(0), THREE: near(0, 1, floor - 0.05)})
    assert len(facts) == 2 and all(not f.conflicts for f in facts)


def test_build_facts_agreeing_figures_make_no_conflict():
    members = [member("a", "Harlow Echo", [TWO]), member("b", "Valley Wire", [TWO])]
    (fact,) = facts_of(members, {TWO: basis(0)})
    assert (fact.status, fact.conflicts) == ("corroborated", ())


def test_build_facts_a_conflict_wins_over_support_in_the_status():
    third = "Two workers were hurt when the depot crane collapsed."
    members = [member("a", "Harlow Echo", [TWO]), member("b", "Valley Wire", [THREE]),
               member("c", "Delta Post", [third])]
    vecs = {TWO: basis(0), THREE: near(0, 1, 0.7), third: near(0, 2, 0.9)}
    (fact,) = facts_of(members, vecs)
    assert (fact.independent_sources, fact.status) == (3, "contradicted")
    assert {s.value: s.articles for s in fact.conflicts[0].sides} == {"Two": ("a", "c"), "Three": ("b",)}


def test_build_facts_one_outlet_updating_its_figure_is_not_a_conflict_between_outlets():
    members = [member("a", "Harlow Echo", [TWO], published="2024-06-03T08:00:00+00:00"),
               member("b", "Harlow Echo", [THREE], published="2024-06-03T18:00:00+00:00")]
    facts = facts_of(members, {TWO: basis(0), THREE: near(0, 1, 0.9)})
    assert all(not f.conflicts for f in facts)


# --- build_facts: without embeddings -------------------------------------------------------------


def test_build_facts_without_vectors_align_identical_sentences():
    members = [member("a", "Harlow Echo", [MILL_A, ROAD_A]), member("b", "Harlow Echo", [MILL_A, BAKERY_B])]
    facts = facts_of(members, None)
    assert fact_with(facts, "paper mill").articles == ("a", "b")


def test_build_facts_without_vectors_do_not_align_paraphrases():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Valley Wire", [MILL_B])]
    facts = facts_of(members, None)
    assert len(facts) == 2


def test_build_facts_without_vectors_do_not_align_sentences_that_differ_in_a_word():
    members = [member("a", "Harlow Echo", ["The warehouse was empty at the time."]),
               member("b", "Valley Wire", ["The warehouse was full at the time."])]
    facts = facts_of(members, None)
    assert len(facts) == 2


def test_build_facts_without_vectors_identical_means_same_words_not_same_spacing():
    members = [member("a", "Harlow Echo", [MILL_A]), member("b", "Harlow Echo", [MILL_A.upper().replace(" ", "  ")])]
    (fact,) = facts_of(members, None)
    assert fact.articles == ("a", "b")


# --- group_quotes --------------------------------------------------------------------------------


QUOTE = "We will rebuild the mill before the first snow falls"


def _quote_member(id: str, text: str, entity: str | None, speaker: str | None = "Ines Varga",
                  kind: str = "direct") -> Member:
    body = f'"{text}," said {speaker or "a spokesperson"}.'
    q = Quote(text, 1, 1 + len(text), kind, speaker, speaker_entity=entity)
    m = member(id, f"Outlet {id}", [body], quotes=(q,))
    return m


NAMES = {"e-ines": "Ines Varga", "e-marek": "Marek Dole"}


def test_group_quotes_groups_the_same_quote_from_three_articles():
    members = [_quote_member("a", QUOTE, "e-ines"), _quote_member("b", QUOTE, "e-ines"),
               _quote_member("c", QUOTE + " again", "e-ines")]
    (quote,) = group_quotes("ev-test", members, NAMES)
    assert quote.articles == ("a", "b", "c")


@pytest.mark.parametrize("variant", [
    "We will rebuild the mill — before the first snow falls!",  # other punctuation
    "We will rebuild the mill before the first snow",  # truncated
    "We will rebuild the mill before the first frost falls",  # one word changed
])
def test_group_quotes_the_same_quote_in_another_form_is_one_quote(variant):
    members = [_quote_member("a", QUOTE, "e-ines"), _quote_member("b", variant, "e-ines")]
    (quote,) = group_quotes("ev-test", members, NAMES)
    assert quote.articles == ("a", "b")


def test_group_quotes_speaker_is_the_entity_name():
    members = [_quote_member("a", QUOTE, "e-ines", speaker="Varga"), _quote_member("b", QUOTE, "e-ines", speaker="Ms Varga")]
    (quote,) = group_quotes("ev-test", members, NAMES)
    assert (quote.speaker, quote.speaker_entity, quote.speaker_conflict) == ("Ines Varga", "e-ines", ())


def test_group_quotes_speaker_is_the_majority_entity():
    members = [_quote_member("a", QUOTE, "e-marek", "Marek Dole"), _quote_member("b", QUOTE, "e-ines"),
               _quote_member("c", QUOTE, "e-ines")]
    (quote,) = group_quotes("ev-test", members, NAMES)
    assert (quote.speaker, quote.speaker_entity) == ("Ines Varga", "e-ines")


def test_group_quotes_different_speakers_give_a_speaker_conflict():
    members = [_quote_member("a", QUOTE, "e-marek", "Marek Dole"), _quote_member("b", QUOTE, "e-ines"),
               _quote_member("c", QUOTE, "e-ines")]
    (quote,) = group_quotes("ev-test", members, NAMES)
    assert quote.speaker_conflict == (SpeakerClaim("Ines Varga", ("b", "c")), SpeakerClaim("Marek Dole", ("a",)))


def test_group_quotes_an_unresolved_speaker_is_no_conflict():
    members = [_quote_member("a", QUOTE, None, "the foreman"), _quote_member("b", QUOTE, "e-ines")]
    (quote,) = group_quotes("ev-test", members, NAMES)
    assert (quote.speaker, quote.speaker_conflict) == ("Ines Varga", ())


def test_group_quotes_without_entities_keeps_the_surface_speaker():
    members = [_quote_member("a", QUOTE, None, "the foreman")]
    (quote,) = group_quotes("ev-test", members, NAMES)
    assert (quote.speaker, quote.speaker_entity) == ("the foreman", None)


def test_group_quotes_a_quote_repeated_within_one_article_is_one_entry():
    body = f'"{QUOTE}," said Ines Varga. Later she repeated it: "{QUOTE}."'
    first = body.index(QUOTE)
    second = body.index(QUOTE, first + 1)
    repeated = member("a", "Harlow Echo", [body], quotes=(
        Quote(QUOTE, first, first + len(QUOTE), "direct", "Ines Varga", speaker_entity="e-ines"),
        Quote(QUOTE, second, second + len(QUOTE), "direct", "she", speaker_entity="e-ines"),
    ))
    quotes = group_quotes("ev-test", [repeated, _quote_member("b", QUOTE, "e-ines")], NAMES)
    assert [(q.text, q.articles) for q in quotes] == [(QUOTE, ("a", "b"))]


def test_group_quotes_keeps_different_quotes_apart():
    other = "Nobody should have been working in that building on a Sunday"
    members = [_quote_member("a", QUOTE, "e-ines"), _quote_member("b", other, "e-ines")]
    quotes = group_quotes("ev-test", members, NAMES)
    assert sorted(q.text for q in quotes) == sorted([QUOTE, other])


def test_group_quotes_keeps_direct_and_indirect_apart():
    members = [_quote_member("a", QUOTE, "e-ines"), _quote_member("b", QUOTE, "e-ines", kind="indirect")]
    quotes = group_quotes("ev-test", members, NAMES)
    assert sorted(q.kind for q in quotes) == ["direct", "indirect"]


def test_group_quotes_lists_most_reported_quote_first():
    other = "Nobody should have been working in that building on a Sunday"
    members = [_quote_member("a", other, "e-marek", "Marek Dole"), _quote_member("b", QUOTE, "e-ines"),
               _quote_member("c", QUOTE, "e-ines")]
    quotes = group_quotes("ev-test", members, NAMES)
    assert [q.text for q in quotes] == [QUOTE, other]


def test_group_quotes_ids_are_prefixed_and_stable():
    members = [_quote_member("a", QUOTE, "e-ines"), _quote_member("b", QUOTE, "e-ines")]
    first, second = group_quotes("ev-test", members, NAMES), group_quotes("ev-test", members, NAMES)
    assert first[0].id == second[0].id and first[0].id.startswith("q-")


# --- build_timeline ------------------------------------------------------------------------------


def _fact(id: str, date: str | None, conflicts: tuple[Conflict, ...] = (), articles=("a",)) -> Fact:
    status = "contradicted" if conflicts else "single_source"
    return Fact(id, f"Fact {id} happened.", status, articles, 1, conflicts, (), date)


def test_build_timeline_keeps_only_dated_facts():
    timeline = build_timeline((_fact("f1", "2024-06-02"), _fact("f2", None)))
    assert [e.facts for e in timeline] == [("f1",)]


def test_build_timeline_is_sorted_by_date():
    facts = (_fact("f1", "2024-06-04"), _fact("f2", "2024-06-02"), _fact("f3", "2024-06-03"))
    assert [e.date for e in build_timeline(facts)] == ["2024-06-02", "2024-06-03", "2024-06-04"]


def test_build_timeline_entries_carry_text_and_articles():
    (entry,) = build_timeline((_fact("f1", "2024-06-02", articles=("a", "b")),))
    assert (entry.text, entry.articles) == ("Fact f1 happened.", ("a", "b"))


def test_build_timeline_flags_facts_with_conflicts():
    side = ConflictSide("Two", "Two workers were injured", ("a",))
    conflict = Conflict("worker", (side, ConflictSide("Three", "Three workers were injured", ("b",))))
    timeline = build_timeline((_fact("f1", "2024-06-02", (conflict,), ("a", "b")), _fact("f2", "2024-06-03")))
    assert [(e.facts, e.conflict) for e in timeline] == [(("f1",), True), (("f2",), False)]


def test_build_timeline_of_no_facts_is_empty():
    assert build_timeline(()) == ()


def test_build_timeline_keeps_month_precision_dates():
    fact = Fact("f1", "Fire broke out.", "single_source", ("a",), 1, (), (FactSentence("a", 0, 15, "Fire broke out."),),
                "2024-06")
    assert build_timeline((fact,))[0].date == "2024-06"


def test_one_outlet_changing_its_figure_while_another_agrees_with_the_new_one_is_no_conflict():
    members = [member("a", "Harlow Echo", [TWO], published="2024-06-03T08:00:00+00:00"),
               member("b", "Harlow Echo", [THREE], published="2024-06-03T18:00:00+00:00"),
               member("c", "Valley Wire", [THREE.replace("were", "had been")])]
    third = THREE.replace("were", "had been")
    facts = facts_of(members, {TWO: basis(0), THREE: near(0, 1, 0.9), third: near(0, 1, 0.95)})
    assert all(not f.conflicts for f in facts)


def test_conflict_sides_list_the_most_reported_figure_first():
    third = "Two workers were hurt when the depot crane collapsed."
    members = [member("a", "Harlow Echo", [TWO]), member("b", "Valley Wire", [THREE]),
               member("c", "Delta Post", [third])]
    (fact,) = facts_of(members, {TWO: basis(0), THREE: near(0, 1, 0.7), third: near(0, 2, 0.9)})
    assert [s.value for s in fact.conflicts[0].sides] == ["Two", "Three"]


# --- updates: a figure that changed as the story developed --------------------------------------


def _two_days(first_day: str | None, second_day: str | None, first: str = TWO, second: str = THREE):
    members = [member("a", "Harlow Echo", [first], published=first_day),
               member("b", "Valley Wire", [second], published=second_day)]
    (fact,) = facts_of(members, {first: basis(0), second: near(0, 1, BETWEEN)})
    return fact


def test_build_facts_a_count_reported_differently_the_next_day_is_an_update():
    fact = _two_days("2024-06-03T09:00:00", "2024-06-04T08:00:00")
    assert fact.conflicts == () and fact.status == "corroborated"
    (update,) = fact.updates
    assert [(s.value, s.articles) for s in update.sides] == [("Two", ("a",)), ("Three", ("b",))]


def test_build_facts_an_update_lists_its_sides_in_date_order():
    fact = _two_days("2024-06-05", "2024-06-04")
    assert [s.value for s in fact.updates[0].sides] == ["Three", "Two"]


def test_build_facts_counts_reported_the_same_day_are_a_conflict():
    fact = _two_days("2024-06-03T09:00:00", "2024-06-03T21:00:00")
    assert fact.updates == () and fact.status == "contradicted"


def test_build_facts_counts_from_an_undated_article_are_a_conflict():
    fact = _two_days("2024-06-03", None)
    assert fact.updates == () and fact.status == "contradicted"


def test_build_timeline_tells_an_update_at_each_value_on_its_day():
    fact = _two_days("2024-06-03", "2024-06-04")
    timeline = build_timeline((fact,), {"a": "2024-06-03", "b": "2024-06-04"})
    assert [(e.date, e.text, e.conflict) for e in timeline] == [("2024-06-03", TWO, False), ("2024-06-04", THREE, False)]


def test_build_facts_a_figure_only_one_source_gives_stays_in_its_one_fact():
    first = "The new tram line will open in 2029 and will have 14 stops along the canal."
    second = "The new tram line will open in 2029 along the canal, the council said."
    members = [member("a", "Harlow Echo", [first]), member("b", "Valley Wire", [second])]
    (fact,) = facts_of(members, {first: basis(0), second: near(0, 1, 0.9)})
    assert fact.status == "corroborated"
    assert [(s.value, s.articles) for s in fact.only_one_source] == [("14 stops", ("a",))]


def test_build_facts_a_figure_another_source_gives_for_other_words_is_not_one_source_only():
    first = "The new tram line will open in 2029 and will have 14 stops along the canal."
    second = "The new tram line will open in 2029 along the canal, with 14 stations, the council said."
    members = [member("a", "Harlow Echo", [first]), member("b", "Valley Wire", [second])]
    (fact,) = facts_of(members, {first: basis(0), second: near(0, 1, 0.9)})
    assert fact.only_one_source == ()


def test_group_quotes_a_word_or_two_inside_a_longer_quote_is_another_quote():
    members = [_quote_member("a", QUOTE, "e-ines"), _quote_member("b", "first snow", "e-marek", "Marek Dole")]
    quotes = group_quotes("ev-test", members, NAMES)
    assert sorted(q.articles for q in quotes) == [("a",), ("b",)]
    assert all(q.speaker_conflict == () for q in quotes)


def test_group_quotes_the_same_short_quote_from_two_outlets_is_one_quote():
    members = [_quote_member("a", "reckless gamble", "e-ines"), _quote_member("b", "reckless gamble", "e-ines")]
    (quote,) = group_quotes("ev-test", members, NAMES)
    assert quote.articles == ("a", "b")
