"""Tests for storyfuse.cluster.place: online placement, consolidation, and the shipped pair
model's decisions on fictional articles."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from storyfuse.cluster import load_model
from storyfuse.cluster.place import (
    CANDIDATES,
    MAX_POSTINGS,
    SAMPLE,
    MemoryIndex,
    ModelScorer,
    Thresholds,
    cluster_in_memory,
    consolidate,
    event_id_for,
    key_weights,
    place,
    place_and_add,
    score,
)
from storyfuse.cluster.profile import Profile, lead_text, profile_of
from storyfuse.models import Mention

from conftest import MODELS


class TagScorer:
    """Probability 0.9 for two articles whose ids share the tag before ':', else 0.1."""

    thresholds = Thresholds(join=0.5, merge=0.5, split=0.3)

    def __init__(self):
        self.calls = 0

    def __call__(self, a: Profile, others: Sequence[Profile]) -> np.ndarray:
        self.calls += len(others)
        tag = a.article_id.split(":")[0]
        return np.array([0.9 if o.article_id.split(":")[0] == tag else 0.1 for o in others])


def simple(aid: str, text: str = "Brackenford warehouse blaze timber roof collapsed") -> Profile:
    return profile_of(aid, None, text, (), None)


def groups(assignment: dict[str, str]) -> list[set[str]]:
    by: dict[str, set[str]] = {}
    for article, event in assignment.items():
        by.setdefault(event, set()).add(article)
    return sorted(by.values(), key=lambda g: sorted(g))


def test_event_ids_are_stable_and_named_after_the_first_article():
    assert event_id_for("a") == event_id_for("a") != event_id_for("b")
    assert event_id_for("a").startswith("ev-")


def test_an_article_joins_the_event_it_is_probable_in():
    index = MemoryIndex()
    first = place_and_add(simple("fire:1"), index, TagScorer())
    assert place_and_add(simple("fire:2"), index, TagScorer()) == first == event_id_for("fire:1")


def test_an_article_below_the_threshold_starts_a_new_event():
    index = MemoryIndex()
    place_and_add(simple("fire:1"), index, TagScorer())
    placed = place(simple("tram:1"), index, TagScorer())
    assert placed.event_id is None and placed.probability == pytest.approx(0.1)


def test_only_events_sharing_a_key_are_scored():
    index, scorer = MemoryIndex(), TagScorer()
    place_and_add(simple("fire:1"), index, scorer)
    scorer.calls = 0
    placed = place(simple("fire:2", "Oskerby council tram vote harbour university"), index, scorer)
    assert (placed.event_id, scorer.calls) == (None, 0)


def test_a_small_event_sharing_rare_names_is_a_candidate_beside_bigger_events_sharing_words():
    index, scorer = MemoryIndex(), TagScorer()
    words = "harbour ferry storm crossing delayed passengers stranded quay"
    for family in range(CANDIDATES + 2):  # big events of the same kind, holding every word of the kind
        for n in range(3):
            place_and_add(profile_of(f"kind{family}:{n}", None, words, (), None), index, scorer)
    ivo = (Mention("Ivo Brandt", 0, 10, "PERSON"),)
    place_and_add(profile_of("brandt:1", None, "Ivo Brandt ferry", ivo, None), index, scorer)
    newcomer = profile_of("brandt:2", None, "Ivo Brandt " + words, ivo, None)
    candidates = index.candidates(newcomer.keys(index.weights()), CANDIDATES)
    assert len(candidates) == CANDIDATES
    assert index.event_of["brandt:1"] in candidates


def test_a_key_held_by_fewer_events_weighs_more():
    weights = key_weights({"e:ivo brandt": 1, "w:ferry": 40, "w:the": MAX_POSTINGS + 1}, 1000)
    assert weights["e:ivo brandt"] > weights["w:ferry"] > 0
    assert "w:the" not in weights  # too common to find anything: left out, which bounds the cost


def test_the_score_against_an_event_does_not_grow_with_its_size():
    small, big = MemoryIndex(), MemoryIndex()
    scorer = TagScorer()
    place_and_add(simple("fire:0"), small, scorer)
    for n in range(12):
        place_and_add(simple(f"fire:{n}"), big, scorer)
    newcomer = simple("tram:x")
    assert score(newcomer, list(small.events), small, scorer) == score(newcomer, list(big.events), big, scorer)


def test_an_article_is_compared_with_a_bounded_sample_of_a_big_event():
    index, scorer = MemoryIndex(), TagScorer()
    for n in range(40):
        place_and_add(simple(f"fire:{n}"), index, scorer)
    scorer.calls = 0
    place(simple("fire:new"), index, scorer)
    assert scorer.calls == SAMPLE


class OrderScorer(TagScorer):
    """Like TagScorer, but the first two articles of one tag look unrelated to each other."""

    def __call__(self, a: Profile, others: Sequence[Profile]) -> np.ndarray:
        out = super().__call__(a, others)
        pair = {"fire:1", "fire:2"}
        return np.array([0.1 if {a.article_id, o.article_id} == pair else p for p, o in zip(out, others)])


def test_consolidation_merges_events_the_model_says_are_one():
    index, scorer = MemoryIndex(), OrderScorer()
    for aid in ("fire:1", "fire:2"):
        place_and_add(simple(aid), index, scorer)
    assert len(index.events) == 2
    scorer.thresholds = Thresholds(0.5, 0.05, 0.0)
    changed = consolidate(index, scorer, list(index.events))
    assert groups(index.event_of) == [{"fire:1", "fire:2"}]
    assert changed == {event_id_for("fire:1"), event_id_for("fire:2")}


def test_a_merge_keeps_the_id_of_the_larger_event():
    index, scorer = MemoryIndex(), TagScorer()
    index.add(simple("fire:1"), "ev-small")
    for n in range(2, 5):
        index.add(simple(f"fire:{n}"), "ev-big")
    consolidate(index, scorer, ["ev-small"])
    assert set(index.events) == {"ev-big"}


def test_consolidation_moves_out_a_member_that_does_not_hold():
    index, scorer = MemoryIndex(), TagScorer()
    for aid in ("fire:1", "fire:2", "fire:3", "tram:1"):
        index.add(simple(aid), "ev-fire")
    consolidate(index, scorer, ["ev-fire"])
    assert groups(index.event_of) == [{"fire:1", "fire:2", "fire:3"}, {"tram:1"}]
    assert index.event_of["fire:1"] == "ev-fire"  # the part holding the founder keeps the id


def test_clustering_in_memory_groups_by_tag_in_any_order():
    ids = ["fire:1", "tram:1", "fire:2", "tram:2", "fire:3"]
    for order in (ids, ids[::-1]):
        assert groups(cluster_in_memory([simple(a) for a in order], TagScorer())) == [
            {"fire:1", "fire:2", "fire:3"}, {"tram:1", "tram:2"}]


# --- the shipped model ----------------------------------------------------------------------------

PM = "Prime Minister Elsa Varga"


def article(aid: str, title: str, text: str, people: Sequence[str], places: Sequence[str], date: str | None):
    """A profile as a run builds it (the lead embedded by the shared MiniLM encoder)."""
    mentions = [Mention(p, 0, 1, "PERSON") for p in people] + [Mention(p, 0, 1, "GPE") for p in places]
    lead = MODELS.encoder.encode([lead_text(title, text)])[0]
    return profile_of(aid, title, text, mentions, date, lead, published=date is not None)


VISIT = [
    article("visit:1", "Varga opens Lindqvist bridge in Oskerby",
            f"{PM} opened the new Lindqvist bridge across the Skarn river in Oskerby on Tuesday. The bridge "
            "cost 210 million crowns and took four years to build.", ["Elsa Varga"], ["Oskerby"], "2024-05-14"),
    article("visit:2", "Lindqvist bridge opens to traffic",
            "The Lindqvist bridge over the Skarn in Oskerby opened on Tuesday after four years of building. "
            "Elsa Varga cut the ribbon; the crossing cost 210 million crowns.", ["Elsa Varga"], ["Oskerby"],
            "2024-05-14"),
]
STRIKE = [
    article("strike:1", "Dock workers strike in Marrow Bay",
            f"Dock workers at Marrow Bay walked out on Monday over pay, halting container traffic. {PM} urged "
            "both sides to return to talks with the port authority.", ["Elsa Varga"], ["Marrow Bay"], "2024-05-13"),
    article("strike:2", "Marrow Bay port at a standstill as dockers strike",
            "Container ships queued outside Marrow Bay as dockers stopped work over wages. Elsa Varga called on "
            "the port authority and the union to resume negotiations.", ["Elsa Varga"], ["Marrow Bay"],
            "2024-05-13"),
]


def test_two_events_sharing_a_head_of_state_stay_apart():
    assignment = cluster_in_memory(VISIT + STRIKE, load_model())
    assert groups(assignment) == [{"strike:1", "strike:2"}, {"visit:1", "visit:2"}]


def test_the_same_kind_of_event_a_year_apart_stays_apart_by_its_details_and_dates():
    later = [
        article("visit24:1", "Varga opens Halvorsen tunnel in Oskerby",
                f"{PM} returned to Oskerby on Wednesday to open the Halvorsen tunnel under the Skarn river. The "
                "tunnel cost 95 million crowns.", ["Elsa Varga"], ["Oskerby"], "2025-06-11"),
        article("visit24:2", "Halvorsen tunnel opens in Oskerby",
                "The Halvorsen tunnel under the Skarn in Oskerby opened on Wednesday. Elsa Varga, who opened the "
                "Lindqvist bridge a year ago, said the 95 million crown tunnel was finished on time.",
                ["Elsa Varga"], ["Oskerby"], "2025-06-11"),
    ]
    assignment = cluster_in_memory(VISIT + later, load_model())
    assert groups(assignment) == [{"visit24:1", "visit24:2"}, {"visit:1", "visit:2"}]


def test_the_model_probability_is_calibrated_between_zero_and_one():
    index = MemoryIndex()
    p = ModelScorer(load_model(), index)(VISIT[0], [VISIT[1], STRIKE[0]])
    assert 0.0 <= p.min() and p.max() <= 1.0
    assert p[0] > load_model().thresholds.join > p[1]
