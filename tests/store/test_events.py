"""Tests for the SQLite event, clustering and story repositories: membership, what clustering
keeps (profiles as text, word counts, the key index, merges with aliases, moves, pending
consolidation) and stories as typed records."""

from __future__ import annotations

from storyfuse.models import (
    Analysis,
    Article,
    Entity,
    EventStory,
    Fact,
    FactSentence,
    PendingArticle,
    StoredEntity,
    StoredEvent,
)
from storyfuse.store import Store


def add_article(store: Store, aid: str, published: str | None, text: str | None = None,
                duplicate_of: str | None = None, analysed: bool = True) -> None:
    text = text or f"The Marrow Bay ferry {aid} sailed late after the storm."
    article = Article(aid, f"inbox/{aid}.txt", "Bay Crier", None, f"Ferry {aid}", None, published, None, "en", text)
    store.articles.add(article, Analysis(aid, analysed), f"h-{aid}", f"c-{aid}", duplicate_of, None)


def assign(store: Store, article_id: str, event_id: str = "ev-ferry", terms: list[str] | None = None,
           keys: list[str] | None = None) -> None:
    store.clustering.add(article_id, event_id, f'{{"id": "{article_id}"}}', None,
                         terms if terms is not None else ["ferry", "storm"], keys if keys is not None else ["w:ferry"])


def save_story(store: Store, event_id: str, title: str, start: str | None, end: str | None,
               facts: tuple[Fact, ...] = ()) -> EventStory:
    story = EventStory(event_id, title, start, end, facts, (), ("ent-bay",) if facts else (), ())
    store.stories.save(story)
    return story




# --- what clustering keeps --------------------------------------------------------------------


def test_add_counts_each_term_and_the_documents(store):
    add_article(store, "bay:1", "2031-06-10")
    add_article(store, "bay:2", "2031-06-11")
    assign(store, "bay:1", terms=["ferry", "storm"])
    assign(store, "bay:2", terms=["ferry"])
    assert store.clustering.term_counts(["ferry", "storm", "gale"]) == {"ferry": 2, "storm": 1}
    assert store.clustering.doc_count() == 2


def test_add_places_the_article_and_creates_its_event_with_it_as_founder(store):
    add_article(store, "bay:1", "2031-06-10")
    assign(store, "bay:1", "ev-ferry")
    assert store.events.event_of("bay:1") == "ev-ferry"
    assert store.events.pending() == []
    assert store.clustering.size("ev-ferry") == 1
    assert store.clustering.pending_consolidation() == ["ev-ferry"]


def test_candidates_rank_events_by_shared_keys(store):
    for aid, event, keys in (("bay:1", "ev-a", ["w:ferry"]), ("bay:2", "ev-b", ["w:ferry", "e:marrow bay"]),
                             ("bay:3", "ev-c", ["w:tram"])):
        add_article(store, aid, "2031-06-10")
        assign(store, aid, event, keys=keys)
    assert store.clustering.candidates({"w:ferry": 1, "e:marrow bay": 1}, 5) == ["ev-b", "ev-a"]
    assert store.clustering.candidates({"w:ferry": 1, "e:marrow bay": 1}, 1) == ["ev-b"]
    assert store.clustering.candidates({"w:bus": 1}, 5) == []


def test_postings_count_the_events_holding_each_key(store):
    for aid, event, keys in (("bay:1", "ev-a", ["w:ferry"]), ("bay:2", "ev-b", ["w:ferry", "e:marrow bay"])):
        add_article(store, aid, "2031-06-10")
        assign(store, aid, event, keys=keys)
    assert store.clustering.postings(["w:ferry", "e:marrow bay", "w:bus"]) == {"w:ferry": 2, "e:marrow bay": 1}


def test_candidates_rank_events_by_the_weight_of_shared_keys(store):
    for aid, event, keys in (("bay:1", "ev-a", ["w:ferry", "w:storm"]), ("bay:2", "ev-b", ["e:marrow bay"])):
        add_article(store, aid, "2031-06-10")
        assign(store, aid, event, keys=keys)
    assert store.clustering.candidates({"w:ferry": 1, "w:storm": 1, "e:marrow bay": 5}, 5) == ["ev-b", "ev-a"]


def test_samples_of_many_events_are_their_founders_and_latest_members(store):
    for n in range(5):
        add_article(store, f"bay:{n}", "2031-06-10")
        assign(store, f"bay:{n}", "ev-a" if n < 4 else "ev-b")
    samples = store.clustering.samples(["ev-a", "ev-b", "ev-none"], 3)
    assert samples == {"ev-a": store.clustering.docs("ev-a", 3), "ev-b": store.clustering.docs("ev-b", 3), "ev-none": []}
    assert [s[0] for s in samples["ev-a"]] == ['{"id": "bay:0"}', '{"id": "bay:2"}', '{"id": "bay:3"}']


def test_docs_sample_is_the_founder_and_the_latest_members(store):
    for n in range(5):
        add_article(store, f"bay:{n}", "2031-06-10")
        assign(store, f"bay:{n}")
    sample = store.clustering.docs("ev-ferry", 3)
    assert [s[0] for s in sample] == ['{"id": "bay:0"}', '{"id": "bay:3"}', '{"id": "bay:4"}']
    assert len(store.clustering.docs("ev-ferry")) == 5


def test_merge_moves_members_and_keeps_the_old_id_as_an_alias(store):
    add_article(store, "bay:1", "2031-06-10")
    add_article(store, "bay:2", "2031-06-11")
    assign(store, "bay:1", "ev-a", keys=["w:ferry"])
    assign(store, "bay:2", "ev-b", keys=["w:storm"])
    store.clustering.merge("ev-a", "ev-b")
    assert store.events.members("ev-a") == ["bay:1", "bay:2"]
    assert not store.events.exists("ev-b")
    assert store.events.resolve("ev-b") == "ev-a"
    assert store.events.aliases("ev-a") == ["ev-b"]
    assert store.clustering.candidates({"w:storm": 1}, 5) == ["ev-a"]
    assert store.clustering.taken("ev-b")


def test_an_alias_follows_a_second_merge(store):
    for aid, event in (("bay:1", "ev-a"), ("bay:2", "ev-b"), ("bay:3", "ev-c")):
        add_article(store, aid, "2031-06-10")
        assign(store, aid, event)
    store.clustering.merge("ev-b", "ev-c")
    store.clustering.merge("ev-a", "ev-b")
    assert store.events.resolve("ev-c") == "ev-a"


def test_move_takes_a_member_and_its_copies_to_another_event(store):
    add_article(store, "bay:1", "2031-06-10")
    add_article(store, "bay:2", "2031-06-11")
    add_article(store, "bay:2-copy", "2031-06-11", duplicate_of="bay:2")
    assign(store, "bay:1", "ev-a")
    assign(store, "bay:2", "ev-a")
    store.events.place_without_clustering("bay:2-copy", "ev-a")
    save_story(store, "ev-a", "A", None, None)
    store.clustering.move("bay:2", "ev-new", ["w:storm"])
    assert store.events.members("ev-new") == ["bay:2", "bay:2-copy"]
    assert store.events.members("ev-a") == ["bay:1"]
    assert store.events.dirty() == ["ev-a", "ev-new"]


def test_consolidated_clears_pending_and_drops_emptied_events(store):
    add_article(store, "bay:1", "2031-06-10")
    assign(store, "bay:1", "ev-a")
    store.clustering.move("bay:1", "ev-b", [])
    store.clustering.consolidated(["ev-a", "ev-b"])
    assert store.clustering.pending_consolidation() == []
    assert not store.events.exists("ev-a")
    assert store.events.exists("ev-b")


def test_a_demoted_article_leaves_what_clustering_keeps(store):
    add_article(store, "bay:1", "2031-06-10")
    add_article(store, "bay:0", "2031-06-09")
    assign(store, "bay:1", "ev-a")
    store.articles.mark_duplicates(["bay:1"], "bay:0")
    assert store.clustering.size("ev-a") == 0
    assert [p.id for p in store.events.pending()] == ["bay:0", "bay:1"]


def test_a_removed_article_leaves_what_clustering_keeps(store):
    add_article(store, "bay:1", "2031-06-10")
    assign(store, "bay:1", "ev-a")
    store.articles.remove("bay:1")
    assert store.clustering.docs("ev-a") == []
    assert store.clustering.pending_consolidation() == ["ev-a"]


# --- membership -------------------------------------------------------------------------------

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
    assign(store, "bay:1")
    save_story(store, "ev-ferry", "Ferry late", "2031-06-10", "2031-06-12")
    store.events.place_without_clustering("bay:1-copy", "ev-ferry")
    assert store.events.pending() == []
    assert store.events.event_of("bay:1-copy") == "ev-ferry"
    assert store.events.dirty() == ["ev-ferry"]


# --- stories ----------------------------------------------------------------------------------


def test_assigned_event_is_dirty(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1")
    assert store.events.dirty() == ["ev-ferry"]


def test_save_story_clears_dirty(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1")
    save_story(store, "ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12")
    assert store.events.dirty() == []


def test_a_new_member_makes_a_saved_event_dirty_again(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-12")
    assign(store, "bay:1")
    save_story(store, "ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12")
    assign(store, "bay:2")
    assert store.events.dirty() == ["ev-ferry"]


def test_a_story_is_saved_with_the_state_its_next_update_starts_from(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1")
    store.stories.save(EventStory("ev-ferry", "Ferry sails late", None, None, (), (), (), ()), '{"several": true}')
    assert store.stories.state("ev-ferry") == '{"several": true}'


def test_a_removed_member_clears_the_story_state_of_its_event(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-12")
    assign(store, "bay:1")
    assign(store, "bay:2")
    store.stories.save(EventStory("ev-ferry", "Ferry sails late", None, None, (), (), (), ()), '{"several": true}')
    store.articles.remove("bay:2")
    assert store.stories.state("ev-ferry") is None and store.events.dirty() == ["ev-ferry"]


def test_a_rewritten_article_counts_a_revision_and_keeps_its_event_story_state(store):
    add_article(store, "bay:1", "2031-06-11", "The Marrow Bay ferry sailed late.\nShare this\nIt docked at noon.")
    assign(store, "bay:1")
    store.stories.save(EventStory("ev-ferry", "Ferry sails late", None, None, (), (), (), ()), '{"several": true}')
    article = store.articles.get(["bay:1"])[0]
    shorter = Article(**{**{f: getattr(article, f) for f in article.__slots__}, "text": "The Marrow Bay ferry sailed late."})
    store.articles.rewrite(shorter, Analysis("bay:1", True), [])
    assert store.articles.states(["bay:1"])["bay:1"].revision == 1
    assert store.stories.state("ev-ferry") == '{"several": true}' and store.events.dirty() == ["ev-ferry"]


def test_entity_names_are_read_for_the_ids_asked(store):
    store.entities.save([StoredEntity(Entity("ent-bay", "Marrow Bay", "GPE", ()), {"GPE": 1}),
                         StoredEntity(Entity("ent-ann", "Ann Roe", "PERSON", ()), {"PERSON": 1})])
    assert store.entities.names(["ent-ann", "ent-none"]) == {"ent-ann": "Ann Roe"}


def test_events_returns_the_story_fields_merged(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1")
    fact = Fact("f1", "The ferry sailed late.", "single_source", ("bay:1",), 1,
                sentences=(FactSentence("bay:1", 0, 22, "The ferry sailed late."),), date="2031-06-11")
    story = save_story(store, "ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12", (fact,))
    assert store.stories.events() == [StoredEvent("ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12",
                                                  ("bay:1",), story)]


def test_events_lists_an_event_without_a_story_with_an_empty_one(store):
    add_article(store, "bay:1", "2031-06-11")
    add_article(store, "bay:2", "2031-06-11")
    assign(store, "bay:1", "ev-a")
    assign(store, "bay:2", "ev-b")
    save_story(store, "ev-b", "B", "2031-06-10", "2031-06-12")
    events = {e.id: e for e in store.stories.events()}
    assert set(events) == {"ev-a", "ev-b"}
    assert (events["ev-a"].story, events["ev-a"].title) == (None, None)


def test_events_are_oldest_first_and_filtered_by_ids_and_since(store):
    for n, day in enumerate(["2031-06-20", "2031-06-01", "2031-06-10"]):
        add_article(store, f"bay:{n}", day)
        assign(store, f"bay:{n}", f"ev-{n}")
        save_story(store, f"ev-{n}", f"E{n}", day, day)
    assert [e.id for e in store.stories.events()] == ["ev-1", "ev-2", "ev-0"]
    assert [e.id for e in store.stories.events(ids=["ev-0", "ev-1"])] == ["ev-1", "ev-0"]
    assert [e.id for e in store.stories.events(since="2031-06-10")] == ["ev-2", "ev-0"]


def test_drop_event_removes_it(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1")
    save_story(store, "ev-ferry", "Ferry sails late", "2031-06-10", "2031-06-12")
    store.events.drop("ev-ferry")
    assert store.stories.events() == []
    assert store.events.dirty() == []
    assert store.clustering.candidates({"w:ferry": 1}, 5) == []


def test_drop_event_leaves_its_articles_without_an_event(store):
    add_article(store, "bay:1", "2031-06-11")
    assign(store, "bay:1")
    store.events.drop("ev-ferry")
    assert [a.id for a in store.articles.get(["bay:1"])] == ["bay:1"]
    assert store.events.event_of("bay:1") is None
