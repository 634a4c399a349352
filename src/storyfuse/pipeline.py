"""The pipeline: wires the stages, batch and incremental.

``run`` reads inputs, cleans them, analyses English articles in spaCy batches, resolves
entities, finds reuse and stores each article in its own transaction; then places every
article not yet in an event (oldest first), then recomputes the stories of the events that
changed. Each step works from what the store says is pending, so a run killed at any point
is finished by running again, without duplicates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from . import cluster as cluster_stage
from .clean import clean_document
from .config import Config
from .corroborate import (
    Member, Unit, build_facts, build_timeline, fact_units, group_quotes, independent_groups, sentence_tokens,
)
from .embed import DIMENSIONS, embed_sentences, pack, unpack
from .dates import find_dates
from .dedupe import content_hash, find_reuse
from .entities import EntityIndex, name_key, resolve_mentions
from .errors import InputError
from .export import story_record
from .ingest import read_inputs
from .models import Analysis, Article, EventStory, Mention, Quote, Rejection
from .nlp import LANGUAGES, analyse_texts
from .quotes import find_quotes
from .store import Store
from .summarize import summarize

log = logging.getLogger(__name__)


class Progress:
    """What the pipeline reports while it works; the CLI draws it, tests ignore it."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def message(self, text: str) -> None: ...


@dataclass
class RunReport:
    read: int = 0
    added: int = 0
    already_stored: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: int = 0
    not_analysed: int = 0
    events_updated: list[str] = field(default_factory=list)
    run_id: int | None = None

    @property
    def counts_add_up(self) -> bool:
        return self.read == self.added + self.already_stored + len(self.rejected)


def run(
    inputs: list[str],
    store: Store,
    config: Config,
    *,
    source: str | None = None,
    workers: int = 1,
    replace: bool = False,
    progress: Progress | None = None,
) -> RunReport:
    progress = progress or Progress()
    store.acquire_writer(on_wait=progress.message)
    report = RunReport(run_id=store.start_run(inputs))
    try:
        _ingest(read_inputs(inputs, config.ingest, source), store, config, report, workers, replace, progress)
        place_pending(store, config, progress)
        report.events_updated = update_stories(store, config, progress)
    finally:
        store.finish_run(report.run_id, report.read, report.added, report.already_stored, len(report.rejected))
        store.release_writer()
    return report


def _ingest(items: Iterable, store: Store, config: Config, report: RunReport, workers: int,
            replace: bool, progress: Progress) -> None:
    progress.stage("reading")
    index = store.entity_index()
    batch: list[Article] = []
    replacing: set[str] = set()
    seen: dict[str, str] = {}  # id -> content hash of what this run has taken so far

    def reject(input: str, reason: str) -> None:
        report.rejected.append(Rejection(input, reason))
        store.reject(input, reason, report.run_id)

    for item in items:
        report.read += 1
        progress.advance()
        if isinstance(item, Rejection):
            reject(item.input, item.reason)
            continue
        try:
            article = clean_document(item, config.clean)
        except InputError as err:
            reject(err.input, err.reason)
            continue
        except Exception as err:  # e.g. a parser crashing on a malformed page: reject it, go on
            log.exception("cleaning %s failed", item.input)
            reject(item.input, f"cleaning failed ({type(err).__name__}: {err})")
            continue
        digest = content_hash(article.text)
        if article.id in seen:
            if seen[article.id] == digest:
                report.already_stored += 1
            else:
                reject(article.input, f"id {article.id!r} was given twice in this run with different texts; "
                                      "give one of them another id")
            continue
        known = store.stored_hash(article.id)
        seen[article.id] = digest
        if known == digest:
            report.already_stored += 1
            store.forget_rejection(article.input)
            continue
        if known is not None:
            if not replace:
                reject(article.input, f"id {article.id!r} is already stored with a different text; "
                                      "use --replace to overwrite it, or give the input another id")
                continue
            replacing.add(article.id)
        batch.append(article)
        if len(batch) >= config.nlp.batch_size:
            _store_batch(batch, replacing, store, config, index, report, workers)
            batch = []
    if batch:
        _store_batch(batch, replacing, store, config, index, report, workers)


def _store_batch(batch: list[Article], replacing: set[str], store: Store, config: Config, index: EntityIndex,
                 report: RunReport, workers: int) -> None:
    english = [a for a in batch if a.language in LANGUAGES and len(a.text) <= config.nlp.max_chars]
    results = dict(zip((a.id for a in english), analyse_texts((a.text for a in english), config.nlp, workers)))
    for article in batch:
        result = results.get(article.id)
        if result is not None:
            try:
                analysis = analyse_article(article, result, index)
            except Exception as err:  # a bug in one stage must not sink the run: store it, say why
                log.exception("analysis of %s failed", article.id)
                analysis = Analysis(article.id, False, f"analysis failed ({type(err).__name__}: {err}); "
                                                       "stored without entities, quotes and dates")
        else:
            analysis = Analysis(article.id, False, _not_analysed_reason(article, config))
        report.not_analysed += not analysis.analysed
        dedupe = find_reuse(article, store, config.dedupe)
        store.add_article(article, analysis, dedupe, index, report.run_id, replace=article.id in replacing)
        report.added += 1
        report.duplicates += bool(dedupe.duplicate_of or dedupe.demoted)


def _not_analysed_reason(article: Article, config: Config) -> str:
    if article.language not in LANGUAGES:
        return f"language {article.language!r} is not analysed (the NLP stages are English only for now)"
    return (f"text of {len(article.text):,} characters is over the NLP limit "
            f"([nlp] max_chars = {config.nlp.max_chars:,}); stored without analysis")


def analyse_article(article: Article, result, index: EntityIndex) -> Analysis:
    """Quotes, dates and entities of one article from its spaCy result."""
    mentions = resolve_mentions(result.mentions, index)
    quotes = tuple(
        dataclasses.replace(q, speaker_entity=_speaker_entity(q, mentions)) if q.speaker is not None else q
        for q in find_quotes(article.text, result.sentences, mentions)
    )
    dates = find_dates(article.text, result.time_spans, article.published)
    return Analysis(article.id, True, None, result.sentences, mentions, quotes, dates)


def _speaker_entity(quote: Quote, mentions: tuple[Mention, ...]) -> str | None:
    """The entity of the mention the quote's speaker is; a name the NER missed ("Petrakis")
    takes the entity of a mention of the same article that ends with it ("Rosalind Petrakis")."""
    for m in mentions:
        if (m.start, m.end) == (quote.speaker_start, quote.speaker_end):
            return m.entity
    key = name_key(quote.speaker or "")
    owners = {m.entity for m in mentions if m.entity and (name_key(m.text) == key or name_key(m.text).endswith(" " + key))}
    return owners.pop() if len(owners) == 1 else None


def place_pending(store: Store, config: Config, progress: Progress) -> int:
    """Put every stored article not yet in an event into one (oldest first), after rebuilding
    the profiles of events that lost a member (a replaced or demoted article)."""
    for event_id in store.stale_events():
        rebuild_profile(event_id, store)
    pending = store.pending_articles()
    progress.stage("clustering", len(pending))
    originals = [p for p in pending if p["analysed"] and not p["duplicate_of"]]
    for p in originals:
        features = _features(p, store)
        terms = list(features.terms)
        df = store.document_frequencies(terms)
        n_docs = store.document_count() + 1
        df = {t: df.get(t, 0) + 1 for t in terms}  # the article counts itself
        candidates = store.candidate_events(features.date, config.cluster.window_days)
        result = cluster_stage.assign(features, candidates, df, n_docs, config.cluster)
        if result.created and store.event_exists(result.event.id):
            # The id of an event this article started before it was replaced: a new event needs its own.
            fresh = cluster_stage.event_id_for(f"{p['id']}#{content_hash(p['text'])[:8]}")
            result = dataclasses.replace(result, event=dataclasses.replace(result.event, id=fresh))
        store.save_assignment(result, terms)
        progress.advance()
    placed = {p["id"] for p in originals}
    for p in pending:
        if p["id"] in placed:
            continue
        event = store.event_of(p["duplicate_of"]) if p["duplicate_of"] and p["analysed"] else None
        store.place_without_clustering(p["id"], event)
        progress.advance()
    return len(pending)


def _features(row: dict, store: Store) -> cluster_stage.ArticleFeatures:
    return cluster_stage.article_features(
        row["id"], row["title"], row["text"], store.article_entities(row["id"]), (row["published"] or "")[:10] or None)


def rebuild_profile(event_id: str, store: Store) -> None:
    """An event's centroid, entities and span from its remaining members (or no event)."""
    members = store.clustered_members(event_id)
    if not members:
        store.drop_event(event_id)
        return
    n_docs = store.document_count()
    profile = cluster_stage.EventProfile(event_id, {}, 0)
    for row in members:
        features = _features(row, store)
        vector = cluster_stage.tfidf(features.terms, store.document_frequencies(list(features.terms)), n_docs)
        profile = cluster_stage.add_to_event(profile, vector, features)
    store.replace_profile(profile)


def update_stories(store: Store, config: Config, progress: Progress) -> list[str]:
    """Recompute the story of every event whose membership changed."""
    dirty = store.dirty_events()
    progress.stage("corroborating", len(dirty))
    names = {e.id: e.name for e in store.entities()}
    for event_id in dirty:
        ids = store.event_members(event_id)
        if not ids:
            store.drop_event(event_id)
            continue
        story = build_story(event_id, ids, store, config, names)
        store.save_story(event_id, story.title, story.start, story.end, story_record(story))
        progress.advance()
    return dirty


def build_story(event_id: str, ids: list[str], store: Store, config: Config, names: dict[str, str]) -> EventStory:
    articles = store.articles(ids)
    rows = store.article_rows(ids)
    members = [Member(a, store.analysis(a.id), rows[a.id]["duplicate_of"]) for a in articles]
    reuses = store.reuses_among(ids)
    units = fact_units(members, config.corroborate.min_sentence_words)
    # Alignment across outlets needs embeddings only when there are two independent sources;
    # copies of one text align on identical sentences alone.
    sources = {m.article.id: m.article.source for m in members}
    analysed = [m.article.id for m in members if m.analysis.analysed]
    vectors = sentence_vectors(units, store) if len(independent_groups(analysed, sources, reuses)) > 1 else None
    facts = build_facts(event_id, members, units, vectors, reuses, config.corroborate)
    quotes = group_quotes(event_id, members, names)
    timeline = build_timeline(facts)
    summary = summarize(facts, config.summarize)
    entity_counts = Counter(m.entity for mem in members for m in mem.analysis.mentions if m.entity)
    start, end = _span(articles, facts)
    return EventStory(
        event_id=event_id, title=_title(members), start=start, end=end, facts=facts, quotes=quotes,
        entities=tuple(e for e, _ in entity_counts.most_common()), timeline=timeline, summary=summary,
    )


def sentence_vectors(units: list[Unit], store: Store) -> np.ndarray:
    """Embeddings of the units, computed once per distinct sentence and kept in the store."""
    keys = [content_hash(u.text)[:20] for u in units]
    cached = store.sentence_vectors(keys)
    missing = list(dict.fromkeys(k for k in keys if k not in cached))
    if missing:
        text_of = {k: u.text for k, u in zip(keys, units)}
        fresh = embed_sentences([text_of[k] for k in missing])
        rows = [(k, pack(v)) for k, v in zip(missing, fresh)]
        store.save_sentence_vectors(rows)
        cached.update(rows)
    if not keys:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.vstack([unpack(cached[k]) for k in keys])


def _title(members: list[Member]) -> str:
    """The headline that shares the most words with the other headlines (earliest on ties):
    the most typical title, not the one with the most unusual angle."""
    titled = [m.article for m in members if m.article.title and not m.duplicate_of]
    if not titled:
        first = members[0].article.text
        return first[:80].rsplit(" ", 1)[0] + "…" if len(first) > 80 else first
    words = {a.id: set(sentence_tokens(a.title).split()) - {"NUM"} for a in titled}

    def centrality(a: Article) -> float:
        mine = words[a.id]
        return sum(len(mine & words[b.id]) / (len(mine | words[b.id]) or 1) for b in titled if b is not a)

    return min(titled, key=lambda a: (-centrality(a), a.published or "", a.id)).title


def _span(articles: list[Article], facts) -> tuple[str | None, str | None]:
    days = sorted(a.published_date for a in articles if a.published_date)
    if not days:
        return None, None
    start, end = days[0], days[-1]
    # What happened just before it was first reported ("on Tuesday night") starts the event.
    for f in facts:
        if f.independent_sources >= 2 and f.date and len(f.date) == 10 and f.date < start:
            if (dt.date.fromisoformat(start) - dt.date.fromisoformat(f.date)).days <= 2:
                start = f.date
    return start, end
