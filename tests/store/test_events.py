"""Tests for storyfuse.store.events: centroids, clustering state, candidate events and stories."""

from __future__ import annotations

import pytest

from storyfuse.cluster import Assignment, EventProfile
from storyfuse.dedupe import DedupeResult, text_hash
from storyfuse.entities import EntityIndex
from storyfuse.models import Analysis, Article
from storyfuse.store import Store
from storyfuse.store.events import pack_centroid, unpack_centroid


def add_article(store: Store, aid: str, published: str | None, text: str | None = None,
                duplicate_of: str | None = None, analysed: bool = True) -> None:
    text = text or f"The Marrow Bay ferry {aid} sailed late after the storm."
    article = Article(aid, f"inbox/{aid}.txt", "Bay Crier", None, f"Ferry {aid}", None, published, None, "en", text)
    store.add_article(article, Analysis(aid, analysed), DedupeResult(text_hash(text), (), duplicate_of, ()),
                      EntityIndex(), None)


def profile(eid: str = "ev-ferry", start: str | None = "2031-06-10", end: str | None = "2031-06-12",
            size: int = 1, centroid: dict[int, float] | None = None,
            entities: dict[str, int] | None = None) -> EventProfile:
    return EventProfile(eid, centroid if centroid is not None else {3: 0.5, 7: 0.75, 1_000_000: 0.25}, size,
                        entities if entities is not None else {"ent-bay": 1}, start, end)


def assign(store: Store, article_id: str, event: EventProfile, terms: list[int] | None = None) -> None:
    store.save_assignment(Assignment(article_id, event, True, 0.0), terms if terms is not None else [3, 7])


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.db") as s:
        yield s


# --- centroids --------------------------------------------------------------------------------


def test_centroid_round_trips_through_bytes():
    vec = {0: 1.0, 42: 0.5, 1_048_575: 0.125, 7: -0.25}
    assert unpack_centroid(pack_centroid(vec)) == vec


def test_centroid_weights_are_kept_to_float32_precision():
    vec = {5: 0.1, 9: 0.3333333333}
    back = unpack_centroid(pack_centroid(vec))
    assert back.keys() == vec.keys()
    assert all(abs(back[t] - vec[t]) < 1e-7 for t in vec)


def test_empty_centroid_round_trips():
    assert pack_centroid({}) == b""
    assert unpack_centroid(b"") == {}


def test_packed_centroid_takes_eight_bytes_per_term():
    assert len(pack_centroid({1: 0.5, 2: 0.5, 3: 0.5})) == 24


# --- save_assignment --------------------------------------------------------------------------


def test_save_assignment_writes_the_event_profile(store):
    add_article(store, "bay:1", "2031-06-11")
    event = profile()
    assign(store, "bay:1", event)
    assert store.candidate_events("2031-06-11", 3) == [event]


def test_save_assignment_counts_each_term_once_per_document(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-11")
    assign(store, "bay:1", profile(), terms=[3, 7])
    assign(store, "bay:2", profile(size=2), terms=[7, 11])
    assert store.document_frequencies([3, 7, 11, 99]) == {3: 1, 7: 2, 11: 1}


def test_save_assignment_counts_the_documents(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-11")
    assert store.document_count() == 0
    assign(store, "bay:1", profile())
    assign(store, "bay:2", profile(size=2))
    assert store.document_count() == 2


def test_save_assignment_places_the_article_in_the_event(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    assert store.event_of("bay:1") == "ev-ferry"
    assert store.event_members("ev-ferry") == ["bay:1"]


def test_save_assignment_marks_the_article_clustered(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-12")
    assign(store, "bay:1", profile())
    assert [p["id"] for p in store.pending_articles()] == ["bay:2"]


def test_save_assignment_updates_an_existing_event(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-14")
    assign(store, "bay:1", profile())
    grown = profile(end="2031-06-14", size=2, centroid={3: 1.0}, entities={"ent-bay": 2})
    assign(store, "bay:2", grown)
    assert store.candidate_events("2031-06-14", 1) == [grown]
    assert store.event_span("ev-ferry") == ("2031-06-10", "2031-06-14")


# --- candidate events -------------------------------------------------------------------------


def _events_around_june(store: Store) -> None:
    for n, (start, end) in enumerate([("2031-06-01", "2031-06-03"),   # ends 7 days before the 10th
                                      ("2031-06-08", "2031-06-09"),   # ends 1 day before
                                      ("2031-06-12", "2031-06-20"),   # starts 2 days after
                                      ("2031-06-17", "2031-06-18"),   # starts 7 days after
                                      ("2030-06-10", "2030-06-10")]):  # a year before
        add_article(store, f"bay:{n}", start)
        assign(store, f"bay:{n}", profile(f"ev-{n}", start, end))


def test_candidate_events_are_those_within_the_window(store):
    _events_around_june(store)
    assert sorted(e.id for e in store.candidate_events("2031-06-10", 3)) == ["ev-1", "ev-2"]


def test_candidate_events_window_includes_an_event_exactly_window_days_away(store):
    _events_around_june(store)
    assert sorted(e.id for e in store.candidate_events("2031-06-10", 7)) == ["ev-0", "ev-1", "ev-2", "ev-3"]


def test_candidate_events_accept_a_full_timestamp(store):
    _events_around_june(store)
    assert sorted(e.id for e in store.candidate_events("2031-06-10T23:15:00+02:00", 3)) == ["ev-1", "ev-2"]


def test_candidate_events_include_undated_events(store):
    _events_around_june(store)
    add_article(store, "bay:undated", None)
    assign(store, "bay:undated", profile("ev-undated", None, None))
    assert "ev-undated" in [e.id for e in store.candidate_events("2031-06-10", 3)]


def test_candidate_events_for_an_undated_article_are_all_recent_events(store):
    _events_around_june(store)
    assert sorted(e.id for e in store.candidate_events(None, 3)) == ["ev-0", "ev-1", "ev-2", "ev-3", "ev-4"]


# --- pending articles -------------------------------------------------------------------------


def test_pending_articles_are_unclustered_articles_oldest_first(store):
    add_article(store, "bay:late", "2031-06-12T08:00:00")
    add_article(store, "bay:early", "2031-06-10")
    add_article(store, "bay:undated", None)
    assert [p["id"] for p in store.pending_articles()] == ["bay:undated", "bay:early", "bay:late"]


def test_pending_articles_carry_what_clustering_needs(store):
    add_article(store, "bay:1", "2031-06-10", text="Gales kept the Marrow Bay ferry in port.")
    assert store.pending_articles() == [{"id": "bay:1", "title": "Ferry bay:1", "text": "Gales kept the Marrow Bay "
                                         "ferry in port.", "published": "2031-06-10", "analysed": 1,
                                         "duplicate_of": None}]


def test_place_without_clustering_takes_the_article_out_of_pending(store):
    add_article(store, "bay:1", "2031-06-10")
    add_article(store, "bay:1-copy", "2031-06-10", duplicate_of="bay:1")
    assign(store, "bay:1", profile())
    store.save_story("ev-ferry", "Ferry late", "2031-06-10", "2031-06-12", {})
    store.place_without_clustering("bay:1-copy", "ev-ferry")
    assert store.pending_articles() == []
    assert store.event_of("bay:1-copy") == "ev-ferry"
    assert store.dirty_events() == ["ev-ferry"]


# --- stories ----------------------------------------------------------------------------------


def test_assigned_event_is_dirty(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    assert store.dirty_events() == ["ev-ferry"]


def test_save_story_clears_dirty(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    store.save_story("ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12", {"facts": []})
    assert store.dirty_events() == []


def test_a_new_member_makes_a_saved_event_dirty_again(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-12")
    assign(store, "bay:1", profile())
    store.save_story("ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12", {"facts": []})
    assign(store, "bay:2", profile(size=2))
    assert store.dirty_events() == ["ev-ferry"]


def test_events_returns_the_story_fields_merged(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    story = {"summary": [], "facts": [{"id": "f1", "text": "The ferry sailed late."}], "quotes": [],
             "entities": ["ent-bay"], "timeline": []}
    store.save_story("ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12", story)
    assert store.events() == [{"id": "ev-ferry", "title": "Ferry sails late", "start": "2031-06-10",
                               "end": "2031-06-12", "members": 1, **story}]


def test_events_lists_an_event_without_a_story_with_an_empty_one(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-11")
    assign(store, "bay:1", profile("ev-a"))
    assign(store, "bay:2", profile("ev-b"))
    store.save_story("ev-b", "B", "2031-06-10", "2031-06-12", {})
    events = {e["id"]: e for e in store.events()}
    assert set(events) == {"ev-a", "ev-b"}
    assert (events["ev-a"]["facts"], events["ev-a"]["summary"], events["ev-a"]["title"]) == ([], [], None)


def test_events_are_oldest_first_and_filtered_by_ids_and_since(store):
    for n, day in enumerate(["2031-06-20", "2031-06-01", "2031-06-10"]):
        add_article(store, f"bay:{n}", day)
        assign(store, f"bay:{n}", profile(f"ev-{n}", day, day))
        store.save_story(f"ev-{n}", f"E{n}", day, day, {})
    assert [e["id"] for e in store.events()] == ["ev-1", "ev-2", "ev-0"]
    assert [e["id"] for e in store.events(ids=["ev-0", "ev-1"])] == ["ev-1", "ev-0"]
    assert [e["id"] for e in store.events(since="2031-06-10")] == ["ev-2", "ev-0"]


def test_drop_event_removes_it(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    store.save_story("ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12", {})
    store.drop_event("ev-ferry")
    assert store.events() == []
    assert store.dirty_events() == []
    assert store.candidate_events("2031-06-11", 3) == []


def test_drop_event_leaves_its_articles_without_an_event(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    store.drop_event("ev-ferry")
    assert store.article("bay:1") is not None
    assert store.event_of("bay:1") is None
