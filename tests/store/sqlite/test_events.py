"""Tests for the SQLite event and story repositories: centroids, clustering state, candidate events
(through ``cluster.candidate_events``) and stories as typed records."""

from __future__ import annotations

import pytest

from storyfuse.cluster import candidate_events
from storyfuse.config import ClusterConfig
from storyfuse.models import (
    Analysis,
    Article,
    EventProfile,
    EventStory,
    Fact,
    FactSentence,
    PendingArticle,
    StoredEvent,
)
from storyfuse.store import Store
from storyfuse.store.sqlite.events import pack_centroid, unpack_centroid


def add_article(store: Store, aid: str, published: str | None, text: str | None = None,
                duplicate_of: str | None = None, analysed: bool = True) -> None:
    text = text or f"The Marrow Bay ferry {aid} sailed late after the storm."
    article = Article(aid, f"inbox/{aid}.txt", "Bay Crier", None, f"Ferry {aid}", None, published, None, "en", text)
    store.articles.add(article, Analysis(aid, analysed), f"h-{aid}", f"c-{aid}", duplicate_of, None)


def profile(eid: str = "ev-ferry", start: str | None = "2031-06-10", end: str | None = "2031-06-12",
            size: int = 1, centroid: dict[int, float] | None = None,
            entities: dict[str, int] | None = None) -> EventProfile:
    return EventProfile(eid, centroid if centroid is not None else {3: 0.5, 7: 0.75, 1_000_000: 0.25}, size,
                        entities if entities is not None else {"ent-bay": 1}, start, end)


def assign(store: Store, article_id: str, event: EventProfile, terms: list[int] | None = None) -> None:
    store.events.place(article_id, event, terms if terms is not None else [3, 7])


def candidates(store: Store, date: str | None, window_days: int) -> list[EventProfile]:
    return candidate_events(store.events, date, ClusterConfig(window_days=window_days))


def save_story(store: Store, event_id: str, title: str, start: str | None, end: str | None,
               facts: tuple[Fact, ...] = ()) -> EventStory:
    story = EventStory(event_id, title, start, end, facts, (), ("ent-bay",) if facts else (), ())
    store.stories.save(story)
    return story


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
    assert candidates(store, "2031-06-11", 3) == [event]


def test_save_assignment_counts_each_term_once_per_document(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-11")
    assign(store, "bay:1", profile(), terms=[3, 7])
    assign(store, "bay:2", profile(size=2), terms=[7, 11])
    assert store.events.document_frequencies([3, 7, 11, 99]) == {3: 1, 7: 2, 11: 1}


def test_save_assignment_counts_the_documents(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-11")
    assert store.events.document_count() == 0
    assign(store, "bay:1", profile())
    assign(store, "bay:2", profile(size=2))
    assert store.events.document_count() == 2


def test_save_assignment_places_the_article_in_the_event(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    assert store.events.event_of("bay:1") == "ev-ferry"
    assert store.events.members("ev-ferry") == ["bay:1"]


def test_save_assignment_marks_the_article_clustered(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-12")
    assign(store, "bay:1", profile())
    assert [p.id for p in store.events.pending()] == ["bay:2"]


def test_save_assignment_updates_an_existing_event(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-14")
    assign(store, "bay:1", profile())
    grown = profile(end="2031-06-14", size=2, centroid={3: 1.0}, entities={"ent-bay": 2})
    assign(store, "bay:2", grown)
    assert candidates(store, "2031-06-14", 1) == [grown]
    assert [(e.start, e.end) for e in store.stories.events()] == [("2031-06-10", "2031-06-14")]


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
    assert sorted(e.id for e in candidates(store, "2031-06-10", 3)) == ["ev-1", "ev-2"]


def test_candidate_events_window_includes_an_event_exactly_window_days_away(store):
    _events_around_june(store)
    assert sorted(e.id for e in candidates(store, "2031-06-10", 7)) == ["ev-0", "ev-1", "ev-2", "ev-3"]


def test_candidate_events_accept_a_full_timestamp(store):
    _events_around_june(store)
    assert sorted(e.id for e in candidates(store, "2031-06-10T23:15:00+02:00", 3)) == ["ev-1", "ev-2"]


def test_candidate_events_include_undated_events(store):
    _events_around_june(store)
    add_article(store, "bay:undated", None)
    assign(store, "bay:undated", profile("ev-undated", None, None))
    assert "ev-undated" in [e.id for e in candidates(store, "2031-06-10", 3)]


def test_candidate_events_for_an_undated_article_are_all_recent_events(store):
    _events_around_june(store)
    assert sorted(e.id for e in candidates(store, None, 3)) == ["ev-0", "ev-1", "ev-2", "ev-3", "ev-4"]


# --- pending articles -------------------------------------------------------------------------


def test_pending_articles_are_unclustered_articles_oldest_first(store):
    add_article(store, "bay:late", "2031-06-12T08:00:00")
    add_article(store, "bay:early", "2031-06-10")
    add_article(store, "bay:undated", None)
    assert [p.id for p in store.events.pending()] == ["bay:undated", "bay:early", "bay:late"]


def test_pending_articles_carry_what_clustering_needs(store):
    add_article(store, "bay:1", "2031-06-10", text="Gales kept the Marrow Bay ferry in port.")
    assert store.events.pending() == [PendingArticle("bay:1", "Ferry bay:1", "Gales kept the Marrow Bay ferry in port.",
                                                     "2031-06-10", True, None)]


def test_place_without_clustering_takes_the_article_out_of_pending(store):
    add_article(store, "bay:1", "2031-06-10")
    add_article(store, "bay:1-copy", "2031-06-10", duplicate_of="bay:1")
    assign(store, "bay:1", profile())
    save_story(store, "ev-ferry", "Ferry late", "2031-06-10", "2031-06-12")
    store.events.place_without_clustering("bay:1-copy", "ev-ferry")
    assert store.events.pending() == []
    assert store.events.event_of("bay:1-copy") == "ev-ferry"
    assert store.events.dirty() == ["ev-ferry"]


# --- stories ----------------------------------------------------------------------------------


def test_assigned_event_is_dirty(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    assert store.events.dirty() == ["ev-ferry"]


def test_save_story_clears_dirty(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    save_story(store, "ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12")
    assert store.events.dirty() == []


def test_a_new_member_makes_a_saved_event_dirty_again(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-12")
    assign(store, "bay:1", profile())
    save_story(store, "ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12")
    assign(store, "bay:2", profile(size=2))
    assert store.events.dirty() == ["ev-ferry"]


def test_events_returns_the_story_fields_merged(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    fact = Fact("f1", "The ferry sailed late.", "single_source", ("bay:1",), 1,
                sentences=(FactSentence("bay:1", 0, 22, "The ferry sailed late."),), date="2031-06-11")
    story = save_story(store, "ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12", (fact,))
    assert store.stories.events() == [StoredEvent("ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12",
                                                  ("bay:1",), story)]


def test_events_lists_an_event_without_a_story_with_an_empty_one(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-11")
    assign(store, "bay:1", profile("ev-a"))
    assign(store, "bay:2", profile("ev-b"))
    save_story(store, "ev-b", "B", "2031-06-10", "2031-06-12")
    events = {e.id: e for e in store.stories.events()}
    assert set(events) == {"ev-a", "ev-b"}
    assert (events["ev-a"].story, events["ev-a"].title) == (None, None)


def test_events_are_oldest_first_and_filtered_by_ids_and_since(store):
    for n, day in enumerate(["2031-06-20", "2031-06-01", "2031-06-10"]):
        add_article(store, f"bay:{n}", day)
        assign(store, f"bay:{n}", profile(f"ev-{n}", day, day))
        save_story(store, f"ev-{n}", f"E{n}", day, day)
    assert [e.id for e in store.stories.events()] == ["ev-1", "ev-2", "ev-0"]
    assert [e.id for e in store.stories.events(ids=["ev-0", "ev-1"])] == ["ev-1", "ev-0"]
    assert [e.id for e in store.stories.events(since="2031-06-10")] == ["ev-2", "ev-0"]


def test_drop_event_removes_it(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    save_story(store, "ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12")
    store.events.drop("ev-ferry")
    assert store.stories.events() == []
    assert store.events.dirty() == []
    assert candidates(store, "2031-06-11", 3) == []


def test_drop_event_leaves_its_articles_without_an_event(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1", profile())
    store.events.drop("ev-ferry")
    assert [a.id for a in store.articles.get(["bay:1"])] == ["bay:1"]
    assert store.events.event_of("bay:1") is None
