"""Tests for storyfuse.cluster: online, time-aware event clustering."""

from __future__ import annotations

import dataclasses
import math

import pytest

from storyfuse.cluster import (
    CENTROID_TERMS,
    ArticleFeatures,
    Assignment,
    EventProfile,
    add_to_event,
    article_features,
    assign,
    cluster_batch,
    cosine,
    days_apart,
    entity_similarity,
    event_id_for,
    score,
    tfidf,
)
from storyfuse.config import ClusterConfig

CONFIG = ClusterConfig()

# Fictional articles about three events: a warehouse fire in Brackenford in March 2023, another
# warehouse fire in the same town a year later, and a tram vote in Oskerby that same week.
ARTICLES = [
    ("fire23-a", "Blaze destroys timber warehouse in Brackenford",
     "Fire crews fought a blaze at a timber warehouse on Millrace Road in Brackenford overnight. "
     "The roof collapsed and thick smoke drifted over the river. Nobody was inside the warehouse "
     "when the fire started.",
     {"brackenford", "millrace-road", "brackenford-fire-service"}, "2023-03-14"),
    ("fire23-b", "Brackenford warehouse fire: roof collapses",
     "A timber warehouse in Brackenford burned through the night as firefighters tried to contain "
     "the blaze. The Brackenford fire service said the roof collapsed before dawn. Residents near "
     "Millrace Road were told to keep windows shut because of smoke.",
     {"brackenford", "millrace-road", "brackenford-fire-service"}, "2023-03-14"),
    ("fire23-c", "Cause of Brackenford timber warehouse blaze investigated",
     "Investigators are examining the burned timber warehouse in Brackenford a day after the fire. "
     "The fire service said the blaze may have started in an electrical cupboard.",
     {"brackenford", "brackenford-fire-service"}, "2023-03-15"),
    ("fire24-a", "Fire guts paint warehouse in Brackenford",
     "Firefighters battled a fire at a paint warehouse on Kiln Lane in Brackenford overnight. "
     "The roof collapsed and smoke spread across the town. The warehouse was empty when the blaze started.",
     {"brackenford", "kiln-lane", "brackenford-fire-service"}, "2024-03-12"),
    ("fire24-b", "Brackenford paint warehouse blaze: smoke warning",
     "A paint warehouse in Brackenford was destroyed by fire on Kiln Lane. The Brackenford fire "
     "service told residents to keep windows closed because of the smoke from the blaze.",
     {"brackenford", "kiln-lane", "brackenford-fire-service"}, "2024-03-12"),
    ("tram-a", "Oskerby council approves new tram line",
     "Oskerby city council voted to approve a tram line linking the harbour to the university. "
     "Councillors backed the plan after a long debate about the cost of the tracks.",
     {"oskerby", "oskerby-city-council", "oskerby-university"}, "2024-03-13"),
    ("tram-b", "Tram line to university gets council backing in Oskerby",
     "The tram line from the harbour to Oskerby university won the backing of the city council. "
     "Construction of the tracks could begin next year, the council said.",
     {"oskerby", "oskerby-city-council", "oskerby-university"}, "2024-03-13"),
    ("tram-c", "Oskerby tram plan: what the council vote means",
     "After the council vote, Oskerby expects the tram line to carry students from the harbour to "
     "the university. Opponents of the tram say the cost of the tracks is too high.",
     {"oskerby", "oskerby-city-council"}, "2024-03-14"),
]
EXPECTED_GROUPS = [
    {"fire23-a", "fire23-b", "fire23-c"},
    {"fire24-a", "fire24-b"},
    {"tram-a", "tram-b", "tram-c"},
]


def features_of(rows=ARTICLES, dated: bool = True) -> list[ArticleFeatures]:
    return [article_features(i, t, x, e, d if dated else None) for i, t, x, e, d in rows]


def groups(assignments: list[Assignment]) -> list[set[str]]:
    by_event: dict[str, set[str]] = {}
    for a in assignments:
        by_event.setdefault(a.event.id, set()).add(a.article_id)
    return sorted(by_event.values(), key=lambda g: sorted(g))


def norm(vec: dict[int, float]) -> float:
    return math.sqrt(sum(v * v for v in vec.values()))


def profile_of(features: ArticleFeatures, event_id: str = "ev-x") -> EventProfile:
    """A one-article event built the way ``assign`` builds a fresh one."""
    vec = tfidf(features.terms, {t: 1 for t in features.terms}, 1)
    return add_to_event(EventProfile(event_id, {}, 0), vec, features)


# --- event ids and features ----------------------------------------------------------------------


def test_event_id_for_is_stable_and_prefixed():
    assert event_id_for("fire23-a") == event_id_for("fire23-a")
    assert event_id_for("fire23-a").startswith("ev-") and len(event_id_for("fire23-a")) == 13


def test_event_id_for_differs_between_articles():
    assert event_id_for("fire23-a") != event_id_for("fire23-b")


def test_article_features_keeps_id_entities_and_date():
    f = article_features("a1", "Title", "Some body text here.", ["oskerby", "oskerby"], "2024-03-13")
    assert (f.article_id, f.entities, f.date) == ("a1", frozenset({"oskerby"}), "2024-03-13")


def test_article_features_counts_the_headline_twice():
    (term,) = article_features("probe", None, "quarry", [], None).terms
    f = article_features("a1", "Quarry", "Lorem.", [], None)
    assert f.terms[term] == 2


def test_article_features_counts_repeated_body_words():
    (term,) = article_features("probe", None, "quarry", [], None).terms
    f = article_features("a1", None, "Quarry flooded. The quarry was closed. Quarry workers left.", [], None)
    assert f.terms[term] == 3


def test_article_features_drops_english_stop_words():
    assert article_features("a1", None, "the and of which", [], None).terms == {}


def test_article_features_include_word_bigrams():
    terms = article_features("u", None, "tram line", [], None).terms
    assert len(terms) == 3  # "tram", "line", "tram line"


# --- tfidf and cosine ----------------------------------------------------------------------------


def test_tfidf_has_unit_norm():
    f = features_of()[0]
    vec = tfidf(f.terms, {t: 2 for t in f.terms}, 8)
    assert norm(vec) == pytest.approx(1.0)


def test_tfidf_weighs_rare_terms_above_common_ones():
    vec = tfidf({1: 1, 2: 1}, {1: 1, 2: 50}, 100)
    assert vec[1] > vec[2]


def test_tfidf_is_sublinear_in_term_count():
    vec = tfidf({1: 10, 2: 1}, {}, 10)
    assert vec[1] / vec[2] == pytest.approx(1 + math.log(10))


def test_tfidf_of_no_terms_is_empty():
    assert tfidf({}, {}, 10) == {}


def test_cosine_of_a_unit_vector_with_itself_is_one():
    vec = tfidf({1: 2, 5: 1, 9: 3}, {}, 4)
    assert cosine(vec, vec) == pytest.approx(1.0)


def test_cosine_of_disjoint_vectors_is_zero():
    assert cosine({1: 1.0}, {2: 1.0}) == 0.0


def test_cosine_is_symmetric():
    a, b = {1: 0.6, 2: 0.8}, {2: 0.5, 3: 0.5, 4: 0.5, 5: 0.5}
    assert cosine(a, b) == cosine(b, a) == pytest.approx(0.4)


# --- entity_similarity and days_apart ------------------------------------------------------------


def test_entity_similarity_is_shared_over_geometric_mean_of_sizes():
    assert entity_similarity(frozenset({"a", "b"}), {"a": 3, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1, "h": 1, "i": 1}) \
        == pytest.approx(1 / 4)


def test_entity_similarity_of_identical_sets_is_one():
    assert entity_similarity(frozenset({"a", "b"}), {"a": 1, "b": 5}) == pytest.approx(1.0)


def test_entity_similarity_with_no_entities_is_zero():
    assert entity_similarity(frozenset(), {"a": 1}) == 0.0
    assert entity_similarity(frozenset({"a"}), {}) == 0.0


def test_days_apart_inside_the_span_is_zero():
    assert days_apart("2024-03-13", "2024-03-12", "2024-03-15") == 0.0


def test_days_apart_before_the_span_counts_to_its_start():
    assert days_apart("2024-03-09", "2024-03-12", "2024-03-15") == 3.0


def test_days_apart_after_the_span_counts_to_its_end():
    assert days_apart("2024-03-20", "2024-03-12", "2024-03-15") == 5.0


def test_days_apart_ignores_the_time_of_day():
    assert days_apart("2024-03-16T23:59:00+00:00", "2024-03-12", "2024-03-15T08:00:00") == 1.0


def test_days_apart_with_an_unknown_date_is_none():
    assert days_apart(None, "2024-03-12", "2024-03-15") is None
    assert days_apart("2024-03-12", None, None) is None


# --- score ---------------------------------------------------------------------------------------


def _event_and_article(article_date: str) -> tuple[dict[int, float], ArticleFeatures, EventProfile]:
    first, second = features_of()[0], features_of()[1]
    event = profile_of(first)
    moved = dataclasses.replace(second, date=article_date)
    return tfidf(moved.terms, {}, 2), moved, event


def test_score_within_the_span_mixes_text_and_entity_similarity():
    vec, features, event = _event_and_article("2023-03-14")
    expected = CONFIG.text_weight * cosine(vec, event.centroid) + CONFIG.entity_weight * entity_similarity(
        features.entities, event.entities)
    assert score(vec, features, event, CONFIG) == pytest.approx(expected)


def test_score_is_zero_beyond_the_window():
    vec, features, event = _event_and_article("2023-03-25")  # 11 days after the span
    assert score(vec, features, event, CONFIG) == 0.0


def test_score_is_positive_at_the_edge_of_the_window():
    vec, features, event = _event_and_article("2023-03-24")  # exactly 10 days
    assert score(vec, features, event, CONFIG) > 0.0


def test_score_decays_with_distance_in_days():
    values = [score(*_event_and_article(day), CONFIG) for day in ("2023-03-14", "2023-03-16", "2023-03-19", "2023-03-23")]
    assert values == sorted(values, reverse=True) and len(set(values)) == 4


def test_score_decays_exponentially_with_date_decay_days():
    near = score(*_event_and_article("2023-03-14"), CONFIG)
    far = score(*_event_and_article("2023-03-21"), CONFIG)  # 7 days = one decay constant
    assert far == pytest.approx(near * math.exp(-1))


def test_score_without_dates_does_not_decay():
    vec, features, event = _event_and_article("2023-03-14")
    undated = dataclasses.replace(features, date=None)
    assert score(vec, undated, event, CONFIG) == pytest.approx(score(vec, features, event, CONFIG))


def test_score_window_is_a_parameter():
    vec, features, event = _event_and_article("2023-04-04")  # 21 days after
    assert score(vec, features, event, CONFIG) == 0.0
    assert score(vec, features, event, CONFIG.model_copy(update=dict(window_days=30))) > 0.0


# --- assign --------------------------------------------------------------------------------------


def test_assign_joins_a_similar_event_above_the_threshold():
    f = features_of()
    event = profile_of(f[0], "ev-fire")
    result = assign(f[1], [event], {t: 1 for t in f[1].terms}, 2, CONFIG)
    assert (result.created, result.event.id, result.event.size) == (False, "ev-fire", 2)
    assert result.score >= CONFIG.threshold


def test_assign_creates_an_event_named_after_the_article_when_nothing_is_close():
    f = features_of()
    event = profile_of(f[0], "ev-fire")
    tram = f[5]
    result = assign(tram, [event], {}, 2, CONFIG)
    assert (result.created, result.event.id, result.event.size) == (True, event_id_for("tram-a"), 1)


def test_assign_with_no_candidates_creates_an_event_with_score_zero():
    result = assign(features_of()[0], [], {}, 1, CONFIG)
    assert (result.created, result.score) == (True, 0.0)


def test_assign_picks_the_most_similar_of_several_events():
    f = features_of()
    fire, tram = profile_of(f[0], "ev-fire"), profile_of(f[5], "ev-tram")
    result = assign(f[6], [fire, tram], {}, 3, CONFIG)
    assert result.event.id == "ev-tram"


def test_assign_respects_the_threshold_parameter():
    f = features_of()
    event = profile_of(f[0], "ev-fire")
    strict = CONFIG.model_copy(update=dict(threshold=0.99))
    result = assign(f[1], [event], {}, 2, strict)
    assert result.created and result.event.id == event_id_for("fire23-b")


# --- add_to_event --------------------------------------------------------------------------------


def _features(id: str, entities: set[str], date: str | None) -> ArticleFeatures:
    return ArticleFeatures(id, {1: 1}, frozenset(entities), date)


def test_add_to_event_increments_size():
    event = add_to_event(EventProfile("ev", {}, 0), {1: 1.0}, _features("a", set(), None))
    event = add_to_event(event, {2: 1.0}, _features("b", set(), None))
    assert event.size == 2


def test_add_to_event_widens_the_span_both_ways():
    event = add_to_event(EventProfile("ev", {}, 0), {1: 1.0}, _features("a", set(), "2024-03-12"))
    event = add_to_event(event, {1: 1.0}, _features("b", set(), "2024-03-15"))
    event = add_to_event(event, {1: 1.0}, _features("c", set(), "2024-03-10"))
    assert (event.start, event.end) == ("2024-03-10", "2024-03-15")


def test_add_to_event_undated_article_keeps_the_span():
    event = add_to_event(EventProfile("ev", {}, 1, {}, "2024-03-12", "2024-03-13"), {1: 1.0}, _features("a", set(), None))
    assert (event.start, event.end) == ("2024-03-12", "2024-03-13")


def test_add_to_event_counts_entities_across_members():
    event = add_to_event(EventProfile("ev", {}, 0), {1: 1.0}, _features("a", {"oskerby", "tram"}, None))
    event = add_to_event(event, {1: 1.0}, _features("b", {"oskerby"}, None))
    assert dict(event.entities) == {"oskerby": 2, "tram": 1}


def test_add_to_event_does_not_mutate_the_old_profile():
    old = EventProfile("ev", {1: 1.0}, 1, {"oskerby": 1}, "2024-03-12", "2024-03-12")
    add_to_event(old, {2: 1.0}, _features("b", {"oskerby"}, "2024-03-14"))
    assert (old.size, dict(old.entities), old.end, old.centroid) == (1, {"oskerby": 1}, "2024-03-12", {1: 1.0})


def test_add_to_event_centroid_is_the_mean_of_the_members():
    event = add_to_event(EventProfile("ev", {}, 0), {1: 1.0}, _features("a", set(), None))
    event = add_to_event(event, {2: 1.0}, _features("b", set(), None))
    assert event.centroid == pytest.approx({1: 0.5, 2: 0.5})


def test_add_to_event_centroid_weighs_every_member_equally():
    event = EventProfile("ev", {}, 0)
    for term in (1, 2, 3):  # three orthogonal members: their mean points equally at each
        event = add_to_event(event, {term: 1.0}, _features(f"a{term}", set(), None))
    assert event.centroid == pytest.approx({1: 1 / 3, 2: 1 / 3, 3: 1 / 3})


def test_add_to_event_centroid_is_bounded_to_the_strongest_terms():
    big = {t: 1.0 + t / 10_000 for t in range(CENTROID_TERMS * 3)}
    n = norm(big)
    event = add_to_event(EventProfile("ev", {}, 0), {t: v / n for t, v in big.items()}, _features("a", set(), None))
    assert len(event.centroid) == CENTROID_TERMS
    assert set(event.centroid) == set(range(CENTROID_TERMS * 2, CENTROID_TERMS * 3))


def test_add_to_event_first_member_is_the_centroid():
    vector = {t: 1.0 / math.sqrt(10) for t in range(10)}
    event = add_to_event(EventProfile("ev", {}, 0), vector, _features("a", set(), None))
    assert event.centroid == pytest.approx(vector)


# --- cluster_batch -------------------------------------------------------------------------------


def test_cluster_batch_groups_articles_by_event():
    assignments, _ = cluster_batch(features_of(), {}, {}, 0, CONFIG)
    assert groups(assignments) == EXPECTED_GROUPS


def test_cluster_batch_keeps_the_same_kind_of_event_a_year_apart_separate():
    assignments, _ = cluster_batch(features_of(), {}, {}, 0, CONFIG)
    event_of = {a.article_id: a.event.id for a in assignments}
    assert event_of["fire23-a"] != event_of["fire24-a"]


def test_cluster_batch_without_dates_merges_the_two_fires():
    # The control for the test above: it is the dates, not the wording, that keep them apart.
    assignments, _ = cluster_batch(features_of(dated=False), {}, {}, 0, CONFIG)
    event_of = {a.article_id: a.event.id for a in assignments}
    assert event_of["fire23-a"] == event_of["fire24-a"]


def test_cluster_batch_result_does_not_depend_on_input_order():
    forward, _ = cluster_batch(features_of(), {}, {}, 0, CONFIG)
    backward, _ = cluster_batch(list(reversed(features_of())), {}, {}, 0, CONFIG)
    assert {a.article_id: a.event.id for a in forward} == {a.article_id: a.event.id for a in backward}


def test_cluster_batch_processes_oldest_first():
    assignments, _ = cluster_batch(list(reversed(features_of())), {}, {}, 0, CONFIG)
    dates = [f.date for f in sorted(features_of(), key=lambda f: (f.date, f.article_id))]
    by_id = {f.article_id: f.date for f in features_of()}
    assert [by_id[a.article_id] for a in assignments] == dates


def test_cluster_batch_names_events_after_their_first_article():
    assignments, _ = cluster_batch(features_of(), {}, {}, 0, CONFIG)
    ids = {a.event.id for a in assignments}
    assert ids == {event_id_for("fire23-a"), event_id_for("fire24-a"), event_id_for("tram-a")}


def test_cluster_batch_updates_events_in_place():
    events: dict[str, EventProfile] = {}
    cluster_batch(features_of(), events, {}, 0, CONFIG)
    assert sorted(e.size for e in events.values()) == [2, 3, 3]


def test_cluster_batch_returns_the_new_document_count_and_updates_df():
    df: dict[int, int] = {}
    feats = features_of()
    _, n_docs = cluster_batch(feats, {}, df, 5, CONFIG)
    assert n_docs == 5 + len(feats)
    assert df == {t: sum(t in f.terms for f in feats) for t in df}
    assert set(df) == set().union(*(f.terms for f in feats))


def test_cluster_batch_joins_a_new_article_to_a_stored_event():
    events: dict[str, EventProfile] = {}
    df: dict[int, int] = {}
    _, n_docs = cluster_batch(features_of(ARTICLES[:5]), events, df, 0, CONFIG)
    later = features_of(ARTICLES[5:])
    assignments, _ = cluster_batch(later, events, df, n_docs, CONFIG)
    assert [a.created for a in assignments] == [True, False, False]
    assert len(events) == 3


def test_cluster_batch_a_wide_window_without_decay_merges_the_year_apart_fires():
    loose = CONFIG.model_copy(update=dict(window_days=400, date_decay_days=1e9))
    assignments, _ = cluster_batch(features_of(), {}, {}, 0, loose)
    event_of = {a.article_id: a.event.id for a in assignments}
    assert event_of["fire23-a"] == event_of["fire24-a"]
