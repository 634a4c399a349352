"""Tests for the browse repository (what the web UI reads), on SQLite and PostgreSQL: events
listings with filters and pages, search over articles, facts and quotes, and entities."""

from __future__ import annotations

from storyfuse.models import (
    MATCH_END,
    MATCH_START,
    Analysis,
    Article,
    Entity,
    EventFilter,
    EventQuote,
    EventStory,
    Fact,
    Mention,
    Quote,
    StoredEntity,
)
from storyfuse.store import Store
from storyfuse.store.sqlite.browse import fts_query


def _article(store: Store, aid: str, source: str, published: str, text: str, entity: str | None = None,
             quote: str | None = None) -> None:
    mentions = (Mention("Ilse Varga", 0, 10, "PERSON", entity),) if entity else ()
    quotes = (Quote(quote, 20, 20 + len(quote), "direct", "Ilse Varga", 0, 10, entity),) if quote else ()
    article = Article(aid, f"in/{aid}.txt", source, None, f"Title {aid}", None, published, None, "en", text)
    store.articles.add(article, Analysis(aid, True, mentions=mentions, quotes=quotes), f"h-{aid}", f"c-{aid}", None,
                       None)


def _event(store: Store, event_id: str, members: list[str], start: str, end: str, facts: tuple[Fact, ...] = (),
           quotes: tuple[EventQuote, ...] = ()) -> None:
    for a in members:
        store.clustering.add(a, event_id, f'{{"id": "{a}"}}', None, ["ferry"], ["w:ferry"])
    store.stories.save(EventStory(event_id, f"Event {event_id}", start, end, facts, quotes, (), ()))


def _fact(fid: str, text: str, articles: tuple[str, ...]) -> Fact:
    return Fact(fid, text, "corroborated", articles, len(articles))


def _fill(store: Store) -> None:
    store.entities.save([StoredEntity(Entity("ent-varga", "Ilse Varga", "PERSON", ("Varga",)), {"PERSON": 2})])
    _article(store, "a1", "Bay Crier", "2026-01-05", "Ilse Varga said the Marrow Bay ferry sailed late.",
             "ent-varga", "we sailed as soon as we could")
    _article(store, "a2", "Isle Times", "2026-01-06", "The Marrow Bay ferry sailed two hours late after the storm.")
    _article(store, "a3", "Isle Times", "2026-03-01", "Brightwater council approved the harbour budget.")
    _article(store, "a4", "Bay Crier", "2026-02-10", "Harbour pilots went on strike at Brightwater.")
    _event(store, "ev-ferry", ["a1", "a2"], "2026-01-05", "2026-01-06",
           (_fact("f-late", "The Marrow Bay ferry sailed two hours late.", ("a1", "a2")),),
           (EventQuote("q-1", "We sailed as soon as the swell allowed it.", "direct", "Ilse Varga", "ent-varga",
                       ("a1",)),))
    _event(store, "ev-budget", ["a3"], "2026-03-01", "2026-03-01")
    _event(store, "ev-strike", ["a4"], "2026-02-10", "2026-02-10")


def test_events_newest_first(store):
    _fill(store)
    rows, total = store.browse.events(EventFilter())
    assert [r.id for r in rows] == ["ev-budget", "ev-strike", "ev-ferry"] and total == 3


def test_events_by_size_counts_articles_and_outlets(store):
    _fill(store)
    rows, _ = store.browse.events(EventFilter(order="size"))
    assert (rows[0].id, rows[0].articles, rows[0].outlets) == ("ev-ferry", 2, 2)


def test_events_page_and_total(store):
    _fill(store)
    rows, total = store.browse.events(EventFilter(offset=1, limit=1))
    assert [r.id for r in rows] == ["ev-strike"] and total == 3


def test_events_filtered_by_outlet_dates_and_entity(store):
    _fill(store)
    assert {r.id for r in store.browse.events(EventFilter(outlet="Bay Crier"))[0]} == {"ev-ferry", "ev-strike"}
    assert [r.id for r in store.browse.events(EventFilter(since="2026-02-01", until="2026-02-28"))[0]] == ["ev-strike"]
    rows, total = store.browse.events(EventFilter(entity="ent-varga"))
    assert [r.id for r in rows] == ["ev-ferry"] and total == 1


def test_search_finds_articles_facts_and_quotes_with_marked_matches(store):
    _fill(store)
    hits = store.browse.search("ferry")
    assert {(h.kind, h.ref) for h in hits} == {("article", "a1"), ("article", "a2"), ("fact", "f-late")}
    assert all(f"{MATCH_START}ferry{MATCH_END}" in h.snippet.lower() for h in hits)
    quote = store.browse.search("swell")
    assert [(h.kind, h.ref, h.event_id, h.title) for h in quote] == [("quote", "q-1", "ev-ferry", "Event ev-ferry")]


def test_search_finds_a_quote_by_its_speaker(store):
    _fill(store)
    assert ("quote", "q-1") in {(h.kind, h.ref) for h in store.browse.search("Varga swell")}


def test_search_needs_every_word(store):
    _fill(store)
    assert {h.ref for h in store.browse.search("ferry storm")} == {"a2"}


def test_search_pages(store):
    _fill(store)
    first, second = store.browse.search("ferry", limit=2), store.browse.search("ferry", limit=2, offset=2)
    assert len(first) == 2 and len(second) == 1 and not {h.ref for h in first} & {h.ref for h in second}


def test_a_story_saved_again_replaces_its_search_texts(store):
    _fill(store)
    store.stories.save(EventStory("ev-ferry", "Ferry", None, None, (_fact("f-new", "A new fact on tides.", ("a1",)),),
                                  (), (), ()))
    assert [h.ref for h in store.browse.search("tides")] == ["f-new"]
    assert not [h for h in store.browse.search("hours") if h.kind == "fact"]


def test_a_merged_event_takes_its_search_texts_away(store):
    _fill(store)
    store.clustering.merge("ev-budget", "ev-ferry")
    assert not [h for h in store.browse.search("ferry") if h.kind != "article"]


def test_search_of_operators_only_finds_nothing_and_fails_not(store):
    _fill(store)
    assert store.browse.search('"') == [] and store.browse.search("-*:") == []


def test_entities_are_read_in_the_order_asked(store):
    _fill(store)
    assert [e.name for e in store.browse.entities(["ent-none", "ent-varga"])] == ["Ilse Varga"]


def test_entity_events_and_quotes(store):
    _fill(store)
    assert [r.id for r in store.browse.entity_events("ent-varga")] == ["ev-ferry"]
    quotes = store.browse.speaker_quotes("ent-varga")
    assert [(q.article_id, q.event_id, q.kind) for q in quotes] == [("a1", "ev-ferry", "direct")]


def test_outlets_count_articles(store):
    _fill(store)
    assert store.browse.outlets() == [("Bay Crier", 2), ("Isle Times", 2)]


def test_fingerprint_changes_when_a_story_is_saved(store):
    _fill(store)
    before = store.browse.fingerprint()
    store.clustering.merge("ev-budget", "ev-strike")
    assert store.browse.fingerprint() != before


def test_fts_query_quotes_every_word_and_keeps_phrases():
    assert fts_query('ferry "marrow bay" -late') == '"ferry" "marrow bay" "late"'
    assert fts_query('NEAR( AND "') == '"NEAR" "AND"'
    assert fts_query('"" - *') is None


def test_find_entity_by_name_alias_or_start_of_name(store):
    _fill(store)
    assert store.browse.find_entity("ilse  varga").id == "ent-varga"
    assert store.browse.find_entity("Varga").id == "ent-varga"
    assert store.browse.find_entity("Ilse V").id == "ent-varga"
    assert store.browse.find_entity("Nobody") is None and store.browse.find_entity("%") is None


def test_a_story_saved_again_rewrites_only_the_texts_that_changed(store):
    _fill(store)
    before = {r[1]: r[0] for r in store._db.all("SELECT pk, ref FROM story_texts WHERE event_id = 'ev-ferry'")}
    story = store.stories.events(["ev-ferry"])[0].story
    store.stories.save(story)
    same = {r[1]: r[0] for r in store._db.all("SELECT pk, ref FROM story_texts WHERE event_id = 'ev-ferry'")}
    assert same == before
    changed = EventStory(story.event_id, story.title, story.start, story.end,
                         (*story.facts, _fact("f-more", "A second ferry was cancelled.", ("a2",))), story.quotes, (), ())
    store.stories.save(changed)
    after = {r[1]: r[0] for r in store._db.all("SELECT pk, ref FROM story_texts WHERE event_id = 'ev-ferry'")}
    assert {k: v for k, v in after.items() if k != "f-more"} == before and "f-more" in after


def test_thread_basis_reads_actors_and_subjects_of_every_story(store):
    _fill(store)
    story = store.stories.events(["ev-ferry"])[0].story
    store.stories.save(EventStory(story.event_id, story.title, story.start, story.end, story.facts, story.quotes, (),
                                  (), actors=("ent-varga", "ent-bay"), subjects=("ent-varga",)))
    basis = {b[0]: b for b in store.browse.thread_basis()}
    assert basis["ev-ferry"] == ("ev-ferry", "2026-01-05", ["ent-varga", "ent-bay"], ["ent-varga"])
    assert basis["ev-budget"][2:] == ([], [])


def test_status_counts_are_read_from_the_stories(store):
    _fill(store)
    counts = store.browse.status_counts(["ev-ferry", "ev-budget", "ev-none"])
    assert counts["ev-ferry"] == {"corroborated": 1, "contradicted": 0, "single_source": 0}
    assert counts["ev-budget"] == counts["ev-none"] == {"corroborated": 0, "contradicted": 0, "single_source": 0}


def test_find_entity_folds_the_case_of_any_letter(tmp_path):
    with Store(tmp_path / "news.db") as store:  # SQLite: its own lower() knows ASCII only
        store.entities.save([StoredEntity(Entity("ent-e", "Émile Ørsted", "PERSON", ("Ørsted",)), {"PERSON": 1})])
        assert store.browse.find_entity("émile ørsted").id == "ent-e"
        assert store.browse.find_entity("ØRSTED").id == "ent-e"
