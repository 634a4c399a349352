"""Tests for the repositories (on SQLite and on PostgreSQL, see ``conftest``) of articles, analyses, reuse, entities, rejections and runs,
and for storing one article with everything found in it (``pipeline.store_article``)."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from storyfuse.dedupe import content_hash, text_hash
from storyfuse.entities import EntityIndex
from storyfuse.models import (
    AnalysedArticle,
    Analysis,
    Article,
    DedupeResult,
    Entity,
    EventStory,
    Mention,
    Quote,
    Reuse,
    Sentence,
    Signature,
    TimeExpr,
)
from storyfuse.pipeline import store_article
from storyfuse.store import Store

from store_backends import INTEGRITY, sql

TEXT = (
    "Councillor Petra Halloran opened the Brightwater ferry terminal on 2031-06-14. "
    '"It is a good day for the island," Halloran said. '
    "The terminal cost forty million crowns."
)
OTHER_TEXT = "Storms closed the Skerrow lighthouse road for a second night, the coastguard said."


def make_article(aid: str = "isle-times:1", text: str = TEXT, title: str | None = "Brightwater ferry terminal opens",
                 input: str | None = None, source: str | None = "Isle Times",
                 published: str | None = "2031-06-14T09:00:00+00:00") -> Article:
    return Article(
        id=aid, input=input or f"inbox/{aid}.txt", source=source, url=f"https://isle-times.example/{aid}",
        title=title, author="Rhea Osk", published=published, dateline="BRIGHTWATER", language="en",
        text=text, removed=("Share this story", "Advertisement"),
    )


def span(text: str, part: str, last: bool = False) -> tuple[int, int]:
    start = text.rindex(part) if last else text.index(part)
    return start, start + len(part)


def make_analysis(article: Article, entity: str | None = None) -> Analysis:
    """Sentences, two mentions (with ``entity``), a direct quote and a date of TEXT."""
    text = article.text
    if text != TEXT:
        return Analysis(article.id, True, None, (Sentence(0, len(text)),))
    s1, s2, s3 = text.index("Councillor"), text.index('"It is'), text.index("The terminal")
    full, short = span(text, "Petra Halloran"), span(text, "Halloran", last=True)
    quote = span(text, "It is a good day for the island,")
    date = span(text, "2031-06-14")
    return Analysis(
        article.id, True, None,
        sentences=(Sentence(s1, s2 - 1), Sentence(s2, s3 - 1), Sentence(s3, len(text))),
        mentions=(Mention("Petra Halloran", *full, "PERSON", entity), Mention("Halloran", *short, "PERSON", entity)),
        quotes=(Quote("It is a good day for the island,", *quote, "direct", "Halloran", *short, entity),),
        dates=(TimeExpr("2031-06-14", *date, "2031-06-14"),),
    )


def make_dedupe(article: Article, bands: tuple[int, ...] = (), reuses: tuple[Reuse, ...] = (),
                duplicate_of: str | None = None) -> DedupeResult:
    return DedupeResult(text_hash(article.text), bands, duplicate_of, reuses)


def add(store: Store, article: Article, analysis: Analysis | None = None, dedupe: DedupeResult | None = None,
        index: EntityIndex | None = None, run_id: int | None = None) -> None:
    dedupe = dedupe or make_dedupe(article)
    record = AnalysedArticle(article, analysis or make_analysis(article),
                             Signature(dedupe.text_hash, content_hash(article.text), dedupe.bands))
    store_article(store, record, record.analysis, dedupe, index if index is not None else EntityIndex(), run_id,
                  replace=False)


def count(store: Store, table: str) -> int:
    return sql(store, f"SELECT count(*) FROM {table}")[0][0]


def counts(store: Store) -> dict[str, int]:
    return {t: count(store, t) for t in ("articles", "sentences", "mentions", "quotes", "dates", "reuse_bands",
                                         "reuses", "entities")}


def halloran() -> Entity:
    return Entity("ent-halloran", "Petra Halloran", "PERSON", ("Petra Halloran", "Halloran"))


def index_with(entity: Entity, changed: bool = True) -> EntityIndex:
    index = EntityIndex()
    index.add(entity, labels=Counter({"PERSON": 2}))
    if changed:
        index.changed.add(entity.id)
    return index




# --- reading back -----------------------------------------------------------------------------


def test_added_article_reads_back_equal(store):
    article = make_article()
    add(store, article)
    assert store.articles.get([article.id]) == [article]


def test_unknown_article_is_left_out(store):
    assert store.articles.get(["nobody:1"]) == []


def test_a_quote_reads_back_with_its_segments(store):
    article = make_article()
    analysis = make_analysis(article)
    quote = analysis.quotes[0]
    middle = quote.start + 5
    split = dataclasses.replace(quote, segments=((quote.start, middle), (middle + 1, quote.end)))
    analysis = dataclasses.replace(analysis, quotes=(split,))
    add(store, article, analysis)
    assert store.articles.analyses([article.id])[article.id].quotes == (split,)


def test_article_analysis_reads_back_equal(store):
    article = make_article()
    analysis = make_analysis(article)
    add(store, article, analysis)
    assert store.articles.analyses([article.id]) == {article.id: analysis}


def test_not_analysed_article_reads_back_with_its_reason(store):
    article = make_article(text="Le terminal a ouvert ses portes ce matin.")
    analysis = Analysis(article.id, False, "language 'fr' is not analysed")
    add(store, article, analysis)
    assert store.articles.analyses([article.id]) == {article.id: analysis}


def test_article_count_grows_with_each_article(store):
    add(store, make_article("isle-times:1"))
    add(store, make_article("isle-times:2", OTHER_TEXT))
    assert store.articles.count() == 2


def test_duplicate_of_is_stored_with_the_article(store):
    add(store, make_article("isle-times:1"))
    copy = make_article("isle-times:1b")
    add(store, copy, dedupe=make_dedupe(copy, duplicate_of="isle-times:1"))
    assert store.articles.states([copy.id])[copy.id].duplicate_of == "isle-times:1"


# --- dedupe lookups ---------------------------------------------------------------------------


def test_stored_hash_is_the_hash_of_the_exact_text(store):
    article = make_article()
    add(store, article)
    assert store.articles.content_hash(article.id) == content_hash(TEXT) != content_hash(TEXT.replace(".", "!", 1))


def test_stored_hash_of_an_unknown_id_is_none(store):
    assert store.articles.content_hash("nobody:1") is None


def test_article_with_hash_finds_another_article_with_the_same_text(store):
    add(store, make_article("isle-times:1"))
    assert store.reuse.article_with_hash(text_hash(TEXT), exclude="coast-radio:9") == "isle-times:1"


def test_article_with_hash_excludes_the_asking_article(store):
    add(store, make_article("isle-times:1"))
    assert store.reuse.article_with_hash(text_hash(TEXT), exclude="isle-times:1") is None


def _three_banded_articles(store: Store) -> None:
    a1, a2, a3 = make_article("a:1"), make_article("a:2", OTHER_TEXT), make_article("a:3", OTHER_TEXT + " Again.")
    add(store, a1, dedupe=make_dedupe(a1, bands=(11, 12, 13)))
    add(store, a2, dedupe=make_dedupe(a2, bands=(13, 14)))
    add(store, a3, dedupe=make_dedupe(a3, bands=(99,)))


def test_articles_with_bands_finds_only_articles_sharing_a_band(store):
    _three_banded_articles(store)
    assert sorted(store.reuse.articles_with_bands([12, 14, -5], exclude="new:1", limit=10)) == ["a:1", "a:2"]


def test_articles_with_bands_lists_the_most_shared_first(store):
    _three_banded_articles(store)
    # a:1 shares three of these bands, a:2 two, a:3 one.
    assert store.reuse.articles_with_bands([11, 12, 13, 14, 99], exclude="new:1", limit=10) == ["a:1", "a:2", "a:3"]


def test_articles_with_bands_excludes_the_asking_article(store):
    a1 = make_article("a:1")
    add(store, a1, dedupe=make_dedupe(a1, bands=(11, 12)))
    assert store.reuse.articles_with_bands([11, 12], exclude="a:1", limit=10) == []


def test_articles_with_bands_stops_at_the_limit(store):
    for n in range(3):
        article = make_article(f"a:{n}", f"{OTHER_TEXT} Number {n}.")
        add(store, article, dedupe=make_dedupe(article, bands=(7,)))
    assert len(store.reuse.articles_with_bands([7], exclude="new:1", limit=2)) == 2


def test_articles_with_no_bands_is_empty(store):
    assert store.reuse.articles_with_bands([], exclude="new:1", limit=10) == []


def test_reuse_basis_gives_text_source_and_published(store):
    add(store, make_article("isle-times:1"))
    assert store.reuse.reuse_basis("isle-times:1") == (TEXT, "Isle Times", "2031-06-14T09:00:00+00:00")


# --- reuse ------------------------------------------------------------------------------------


def _original_and_rewrite(store: Store) -> Reuse:
    original = make_article("isle-times:1")
    rewrite = make_article("coast-radio:4", OTHER_TEXT, source="Coast Radio")
    reuse = Reuse("coast-radio:4", "isle-times:1", "rewrite", 0.4, "isle-times:1")
    add(store, original)
    add(store, rewrite, dedupe=make_dedupe(rewrite, reuses=(reuse,)))
    return reuse


def test_reuses_of_the_reusing_article_names_its_source(store):
    reuse = _original_and_rewrite(store)
    assert store.reuse.of(["coast-radio:4"]) == {"coast-radio:4": [reuse]}


def test_reuses_of_the_reused_article_names_the_article_reusing_it(store):
    _original_and_rewrite(store)
    assert store.reuse.of(["isle-times:1"])["isle-times:1"] == [
        Reuse("isle-times:1", "coast-radio:4", "rewrite", 0.4, "isle-times:1")]


def test_reuses_among_keeps_pairs_inside_the_set(store):
    reuse = _original_and_rewrite(store)
    assert store.reuse.among(["coast-radio:4", "isle-times:1"]) == [reuse]
    assert store.reuse.among(["coast-radio:4"]) == []


# --- full-text search ---------------------------------------------------------------------------


def test_search_finds_an_article_by_a_word_of_its_text(store):
    add(store, make_article("isle-times:1"))
    add(store, make_article("isle-times:2", OTHER_TEXT, title="Lighthouse road shut"))
    assert store.articles.search("crowns") == [("isle-times:1", "Brightwater ferry terminal opens")]


def test_search_finds_an_article_by_a_word_of_its_title(store):
    add(store, make_article("isle-times:1", OTHER_TEXT, title="Skerrow keeps its lamp lit"))
    add(store, make_article("isle-times:2"))
    assert store.articles.search("lamp") == [("isle-times:1", "Skerrow keeps its lamp lit")]


def test_search_ignores_diacritics(store):
    add(store, make_article("isle-times:1", "The ferry to Fjällsund sailed on time.", title="Ferry news"))
    assert [r[0] for r in store.articles.search("fjallsund")] == ["isle-times:1"]


def test_search_for_an_absent_word_finds_nothing(store):
    add(store, make_article("isle-times:1"))
    assert store.articles.search("volcano") == []


# --- removing ---------------------------------------------------------------------------------


def test_remove_article_deletes_the_article(store):
    add(store, make_article("isle-times:1"))
    store.articles.remove("isle-times:1")
    assert store.articles.get(["isle-times:1"]) == []
    assert store.articles.count() == 0


def test_remove_article_deletes_its_analysis_rows(store):
    article = make_article("isle-times:1")
    add(store, article, dedupe=make_dedupe(article, bands=(1, 2)))
    assert count(store, "sentences") and count(store, "mentions") and count(store, "quotes") and count(store, "dates")
    store.articles.remove("isle-times:1")
    for table in ("sentences", "mentions", "quotes", "dates", "reuse_bands"):
        assert count(store, table) == 0, table


def test_remove_article_deletes_reuse_rows_pointing_at_it(store):
    _original_and_rewrite(store)
    store.articles.remove("isle-times:1")
    assert store.reuse.of(["coast-radio:4"]) == {"coast-radio:4": []}


def test_remove_article_clears_duplicate_of_of_its_copies(store):
    add(store, make_article("isle-times:1"))
    copy = make_article("isle-times:1b")
    add(store, copy, dedupe=make_dedupe(copy, duplicate_of="isle-times:1"))
    store.articles.remove("isle-times:1")
    assert store.articles.states([copy.id])[copy.id].duplicate_of is None


def test_remove_article_drops_it_from_the_search_index(store):
    add(store, make_article("isle-times:1"))
    store.articles.remove("isle-times:1")
    assert store.articles.search("crowns") == []


def test_remove_article_marks_its_event_dirty(store):
    add(store, make_article("isle-times:1"))
    add(store, make_article("isle-times:2", OTHER_TEXT))
    store.clustering.add("isle-times:1", "ev-terminal", "{}", None, ["terminal"], ["w:terminal"])
    store.stories.save(EventStory("ev-terminal", "Ferry terminal opens", "2031-06-14", "2031-06-14", (), (), (), ()))
    assert store.events.dirty() == []
    store.articles.remove("isle-times:1")
    assert store.events.dirty() == ["ev-terminal"]
    assert store.clustering.pending_consolidation() == ["ev-terminal"]


# --- rejections and runs ----------------------------------------------------------------------


def test_rejection_reads_back(store):
    store.rejections.add("inbox/blank.html", "no main text found", None)
    assert store.rejections.list() == [("inbox/blank.html", "no main text found")]


def test_same_rejection_twice_is_stored_once(store):
    store.rejections.add("inbox/blank.html", "no main text found", None)
    store.rejections.add("inbox/blank.html", "no main text found", None)
    assert store.rejections.list() == [("inbox/blank.html", "no main text found")]


def test_rejections_of_a_run_are_only_that_runs(store):
    first, second = store.runs.start(["inbox"]), store.runs.start(["inbox"])
    store.rejections.add("inbox/a.html", "no main text found", first)
    store.rejections.add("inbox/b.html", "not UTF-8", second)
    assert store.rejections.list(second) == [("inbox/b.html", "not UTF-8")]


def test_adding_an_article_removes_the_rejection_of_its_input(store):
    store.rejections.add("inbox/terminal.txt", "id already stored with a different text", None)
    store.rejections.add("inbox/other.txt", "no main text found", None)
    add(store, make_article("isle-times:1", input="inbox/terminal.txt"))
    assert store.rejections.list() == [("inbox/other.txt", "no main text found")]


def test_start_run_gives_a_new_id_each_time(store):
    first, second = store.runs.start(["a.txt"]), store.runs.start(["b.txt"])
    assert second > first


def test_finish_run_records_the_counts(store):
    run_id = store.runs.start(["inbox"])
    store.runs.finish(run_id, read=5, added=3, already=1, rejected=1)
    (row,) = sql(store, "SELECT inputs, read, added, already_stored, rejected, finished FROM runs WHERE id = ?",
                 (run_id,))
    assert row[:5] == ('["inbox"]', 5, 3, 1, 1)
    assert row[5] is not None


def test_article_records_the_run_that_added_it(store):
    run_id = store.runs.start(["inbox"])
    add(store, make_article("isle-times:1"), run_id=run_id)
    assert sql(store, "SELECT run_id FROM articles WHERE id = 'isle-times:1'") == [(run_id,)]


# --- sentence vectors -------------------------------------------------------------------------


def test_sentence_vectors_round_trip(store):
    store.vectors.save([("h1", b"\x00\x01\x02"), ("h2", b"\xff" * 8)])
    assert store.vectors.get(["h1", "h2", "h1"]) == {"h1": b"\x00\x01\x02", "h2": b"\xff" * 8}


def test_sentence_vectors_leaves_out_unknown_hashes(store):
    store.vectors.save([("h1", b"\x01")])
    assert store.vectors.get(["h1", "missing"]) == {"h1": b"\x01"}


def test_saving_a_known_sentence_vector_keeps_the_first(store):
    store.vectors.save([("h1", b"\x01")])
    store.vectors.save([("h1", b"\x02")])
    assert store.vectors.get(["h1"]) == {"h1": b"\x01"}


# --- all or nothing -------------------------------------------------------------------------


def test_adding_an_id_twice_fails_and_writes_nothing(store):
    add(store, make_article("isle-times:1"))
    before = counts(store)
    with pytest.raises(INTEGRITY):
        add(store, make_article("isle-times:1"), index=index_with(halloran()))
    assert counts(store) == before


def test_failure_late_in_add_article_leaves_no_half_written_article(store):
    article = make_article("isle-times:1")
    bad_reuse = Reuse(article.id, "never-stored:1", "rewrite", 0.5, "never-stored:1")  # foreign key fails
    with pytest.raises(INTEGRITY):
        add(store, article, make_analysis(article, "ent-halloran"), make_dedupe(article, bands=(3,), reuses=(bad_reuse,)),
            index_with(halloran()))
    assert counts(store) == dict.fromkeys(counts(store), 0)
    assert store.articles.search("crowns") == []
    add(store, article)  # the connection is usable: no transaction was left open


# --- entities ---------------------------------------------------------------------------------


def test_changed_entities_are_written_with_the_article(store):
    article = make_article()
    add(store, article, make_analysis(article, "ent-halloran"), index=index_with(halloran()))
    assert store.entities.get() == [halloran()]


def test_entity_index_reloads_the_written_entities(store):
    article = make_article()
    add(store, article, make_analysis(article, "ent-halloran"), index=index_with(halloran()))
    reloaded = EntityIndex.from_stored(store.entities.all())
    assert reloaded.entities == {"ent-halloran": halloran()}
    assert reloaded.labels["ent-halloran"] == Counter({"PERSON": 2})
    assert reloaded.surnames["halloran"] == {"ent-halloran"}
    assert reloaded.changed == set()


def test_writing_entities_clears_the_changed_set(store):
    index = index_with(halloran())
    add(store, make_article(), index=index)
    assert index.changed == set()


def test_unchanged_entities_are_not_written(store):
    add(store, make_article(), index=index_with(halloran(), changed=False))
    assert store.entities.get() == []


def test_a_changed_entity_overwrites_its_stored_version(store):
    index = index_with(halloran())
    add(store, make_article("isle-times:1"), index=index)
    wider = Entity("ent-halloran", "Petra Halloran", "PERSON", ("Petra Halloran", "Halloran", "Cllr Halloran"))
    index.add(wider, labels=Counter({"PERSON": 3}))
    index.changed.add(wider.id)
    add(store, make_article("isle-times:2", OTHER_TEXT), index=index)
    reloaded = EntityIndex.from_stored(store.entities.all())
    assert reloaded.entities["ent-halloran"] == wider
    assert reloaded.labels["ent-halloran"] == Counter({"PERSON": 3})


def test_mentions_link_their_article_to_the_entity(store):
    article = make_article()
    add(store, article, make_analysis(article, "ent-halloran"), index=index_with(halloran()))
    assert store.entities.articles() == {"ent-halloran": ["isle-times:1"]}


def test_failed_add_article_keeps_the_index_changes_for_the_next_article(store):
    index = index_with(halloran())
    first = make_article("isle-times:1")
    bad_reuse = Reuse(first.id, "never-stored:1", "rewrite", 0.5, "never-stored:1")
    with pytest.raises(INTEGRITY):
        add(store, first, make_analysis(first, "ent-halloran"), make_dedupe(first, reuses=(bad_reuse,)), index)
    second = make_article("isle-times:2")
    add(store, second, make_analysis(second, "ent-halloran"), index=index)
    assert store.entities.get() == [halloran()]
