"""The pipeline: wires the stages, batch and incremental. No rule of any stage lives here.

A run is a map and a reduce:

- the **map** runs the per-article components (``MAP``: clean, NLP, quotes, dates,
  duplicate signature) over batches of raw documents; it sees the configuration and the
  models, never the store, so it could run anywhere;
- the **reduce** consumes the map's results in input order: the idempotence check, entities
  across articles, duplicates against the stored corpus, and storage (each article in its own
  transaction); then every stored article not yet in an event is placed (oldest first), the
  events touched are consolidated, and the stories of the events that changed are recomputed.

Each corpus step works from what the store says is pending, so a run killed at any point is
finished by running again, without duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from . import clean, cluster, dates, dedupe, nlp, quotes, recurring
from .components import MapEnv, Work, check_order, failed
from .config import Config
from .context import Models, Progress, RunContext
from .corroborate import Member
from .embed import cached_vectors, stored_vectors
from .engines import Engine, LocalEngine
from .entities import EntityIndex, resolve_analysis
from .ingest import AlreadyStored, read_inputs
from .models import AnalysedArticle, Analysis, ArticleState, DedupeResult, PendingArticle, RawDocument, Rejection
from .store.interfaces import Store
from .story import StoryState, update_story

log = logging.getLogger(__name__)

# The per-article map, in order: each component finds what it requires set before it.
CLEANING = (clean.COMPONENT,)
ANALYSIS = (nlp.COMPONENT, quotes.COMPONENT, dates.COMPONENT, dedupe.COMPONENT)
MAP = CLEANING + ANALYSIS
check_order(MAP)


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
    config: Config | None = None,
    *,
    models: Models | None = None,
    source: str | None = None,
    workers: int = 1,
    replace: bool = False,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> RunReport:
    """Add ``inputs`` to ``store`` and update events and stories (see ``run_in``)."""
    ctx = RunContext(store, config or Config(), models, progress or Progress())  # type: ignore[arg-type]
    return run_in(ctx, inputs, source=source, workers=workers, replace=replace, engine=engine)


def run_in(ctx: RunContext, inputs: list[str], *, source: str | None = None, workers: int = 1,
           replace: bool = False, engine: Engine | None = None) -> RunReport:
    """``engine`` runs the per-article map (``engines``: this process when not given); the
    reduce runs here."""
    store = ctx.store
    store.acquire_writer(on_wait=ctx.progress.message)
    report = RunReport(run_id=store.runs.start(inputs))
    try:
        def is_stored(article_id: str) -> bool:
            return store.articles.content_hash(article_id) is not None

        # A feed entry already stored is not fetched again (with --replace it is).
        items = read_inputs(inputs, ctx.config.ingest, source, is_stored=None if replace else is_stored)
        _ingest(ctx, items, report, engine or LocalEngine(), workers, replace)
        place_pending(ctx)
        drop_recurring_lines(ctx)
        report.events_updated = update_stories(ctx)
    finally:
        assert report.run_id is not None
        store.runs.finish(report.run_id, report.read, report.added, report.already_stored, len(report.rejected))
        store.release_writer()
    return report


def _batches(items: Iterable, size: int, progress: Progress) -> Iterator[list]:
    batch = []
    for item in items:
        progress.advance()
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _ingest(ctx: RunContext, items: Iterable, report: RunReport, engine: Engine, workers: int, replace: bool) -> None:
    store, env = ctx.store, MapEnv(ctx.config, ctx.models, workers)
    ctx.progress.stage("reading")
    index = EntityIndex.from_stored(store.entities.all())
    seen: dict[str, str] = {}  # id -> content hash of what this run has taken so far

    def reject(r: Rejection) -> None:
        report.rejected.append(r)
        store.rejections.add(r.input, r.reason, report.run_id)

    # With several NLP processes a batch holds several minibatches a process: spaCy starts its
    # processes for every batch, which costs about as much as analysing a few articles.
    batch_size = ctx.config.nlp.batch_size * (1 if workers == 1 else 4 * workers)
    for batch in _batches(items, batch_size, ctx.progress):
        report.read += len(batch)
        for item in batch:
            if isinstance(item, Rejection):
                reject(item)
            elif isinstance(item, AlreadyStored):  # a feed entry that ingest did not read again
                report.already_stored += 1
                store.rejections.forget(item.input)
        cleaned = engine.map([Work(i) for i in batch if isinstance(i, RawDocument)], CLEANING, env)
        fresh: list[Work] = []
        replacing: set[str] = set()
        for work in cleaned:
            if work.rejection is not None:
                reject(work.rejection)
                continue
            assert work.article is not None
            article = work.article
            digest, raw = dedupe.content_hash(article.text), dedupe.raw_hash(work.raw)
            if article.id in seen:
                if seen[article.id] == digest:
                    report.already_stored += 1
                else:
                    reject(Rejection(article.input, f"id {article.id!r} was given twice in this run with different "
                                                    "texts; give one of them another id"))
                continue
            known = store.articles.content_hash(article.id)
            seen[article.id] = digest
            # The same input again, or the same text from it: even when junk lines found later
            # were removed from the stored text since.
            if known is not None and (known == digest or store.articles.raw_hash(article.id) == raw):
                report.already_stored += 1
                store.rejections.forget(article.input)
                continue
            if known is not None:
                if not replace:
                    reject(Rejection(article.input, f"id {article.id!r} is already stored with a different text; "
                                                    "use --replace to overwrite it, or give the input another id"))
                    continue
                replacing.add(article.id)
            fresh.append(work)
        for work in engine.map(fresh, ANALYSIS, env):
            _reduce(ctx, work, index, report, replace=work.raw.id in replacing)


def _reduce(ctx: RunContext, work: Work, index: EntityIndex, report: RunReport, replace: bool) -> None:
    """One analysed article into the corpus: its entities, its duplicates, the store."""
    store = ctx.store
    record = work.result()
    try:
        analysis = resolve_analysis(record.analysis, index, record.article.text)
    except Exception as err:  # a bug in one stage must not sink the run: store it, say why
        log.exception("entities of %s failed", work.raw.id)
        analysis = failed(work, err).result().analysis
    found = dedupe.find_reuse(record.article, store.reuse, ctx.config.dedupe, record.signature)
    store_article(store, record, analysis, found, index, report.run_id, replace)
    report.added += 1
    report.not_analysed += not analysis.analysed
    report.duplicates += bool(found.duplicate_of or found.demoted)


def store_article(store: Store, record: AnalysedArticle, analysis: Analysis, found: DedupeResult, index: EntityIndex,
           run_id: int | None, replace: bool) -> None:
    """An article with everything found in it, in one transaction; with ``replace`` the stored
    article of the same id goes in that same transaction."""
    article, sig = record.article, record.signature
    with store.transaction():
        if replace:
            store.articles.remove(article.id)
        store.entities.save(index.changed_entities())
        store.articles.add(article, analysis, sig.text_hash, sig.content_hash, found.duplicate_of, run_id,
                           sig.raw_hash)
        store.reuse.add(article.id, sig.bands, found.reuses)
        store.articles.index_lines(article.id, list(recurring.short_lines(article.text)))
        if found.demoted:
            # The stored copy (and its own duplicates) now follow the new, earlier original.
            store.articles.mark_duplicates([found.demoted, *store.articles.duplicates_of(found.demoted)], article.id)
        store.rejections.forget(article.input)
    index.changed.clear()  # only once committed: a rolled-back article leaves them to save next time


PROFILE_BATCH = 256  # articles profiled (lead embeddings) at once when placing


def place_pending(ctx: RunContext) -> int:
    """Put every stored article not yet in an event into one (oldest first), then consolidate
    the events waiting for it (this run's, and any a killed run left)."""
    store = ctx.store
    pending = store.events.pending()
    ctx.progress.stage("clustering", len(pending))
    model = cluster_model(ctx.config)
    originals = [p for p in pending if p.analysed and not p.duplicate_of]
    for start in range(0, len(originals), PROFILE_BATCH):
        cluster.place_articles(profiles(ctx, originals[start:start + PROFILE_BATCH]), store.clustering, model,
                               ctx.progress.advance)
    placed = {p.id for p in originals}
    for p in pending:
        if p.id in placed:
            continue
        event = store.events.event_of(p.duplicate_of) if p.duplicate_of and p.analysed else None
        store.events.place_without_clustering(p.id, event)
        ctx.progress.advance()
    waiting = store.clustering.pending_consolidation()
    if waiting:
        ctx.progress.stage("consolidating", len(waiting))
        cluster.consolidate_pending(store.clustering, waiting, model, ctx.progress.advance)
        store.clustering.consolidated(waiting)
    return len(pending)


def cluster_model(config: Config) -> cluster.PairModel:
    """The shipped pair model, with the thresholds the configuration overrides."""
    model = cluster.load_model()
    c = config.cluster
    if c.join is None and c.merge is None and c.split is None:
        return model
    t = model.thresholds
    return replace(model, thresholds=cluster.Thresholds(t.join if c.join is None else c.join,
                                                        t.merge if c.merge is None else c.merge,
                                                        t.split if c.split is None else c.split))


def profiles(ctx: RunContext, articles: list[PendingArticle]) -> list[cluster.Profile]:
    """Clustering profiles of stored articles: their entities and dates from the stored
    analysis, the embedding of their lead (cached like every sentence vector)."""
    analyses = ctx.store.articles.analyses([a.id for a in articles])
    leads = cached_vectors([cluster.lead_text(a.title, a.text) for a in articles], ctx.models.encoder,
                           ctx.store.vectors)
    return [cluster.profile_from_analysis(a.id, a.title, a.text, a.published, analyses[a.id].mentions,
                                          analyses[a.id].dates, lead) for a, lead in zip(articles, leads)]


def drop_recurring_lines(ctx: RunContext) -> int:
    """Short lines found in articles of different events are junk: they leave every article
    that holds them (earlier ones too). Returns how many articles were re-cleaned."""
    articles = ctx.store.articles
    unchecked = articles.lines_unchecked()
    if not unchecked:
        return 0
    keys = articles.recurring_lines(unchecked)
    holders = articles.holding_lines(keys) if keys else {}
    ids = sorted(holders)
    analyses = articles.analyses(ids)
    changed = 0
    for article in articles.get(ids):
        result = recurring.without_lines(article, analyses[article.id], holders[article.id],
                                         ctx.config.clean.min_text_chars)
        if result is not None:
            articles.rewrite(*result, list(recurring.short_lines(result[0].text)))
            changed += 1
    articles.mark_lines_checked(unchecked)
    return changed


def update_stories(ctx: RunContext) -> list[str]:
    """Update the story of every event whose membership changed, from the state its last
    update left (``story.update_story``): only the articles it does not hold are read."""
    store = ctx.store
    dirty = store.events.dirty()
    ctx.progress.stage("corroborating", len(dirty))
    judge = ctx.models.pair_judge(stored=lambda texts: stored_vectors(texts, store.vectors)) if dirty else None
    roles = ctx.models.figure_roles.kept_in(store.roles) if dirty else None

    def vectors(texts: list[str]):
        return cached_vectors(texts, ctx.models.encoder, store.vectors)

    for event_id in dirty:
        ids = store.events.members(event_id)
        if not ids:
            store.events.drop(event_id)
            continue
        known = store.articles.states(ids)
        state = StoryState.load(store.stories.state(event_id))
        story, state = update_story(event_id, state, ids, {a: s.duplicate_of for a, s in known.items()},
                                    _member_loader(store, known), store.reuse.among(ids), vectors, ctx.config,
                                    store.entities.names, judge, roles,
                                    {a: s.revision for a, s in known.items()})
        with store.transaction():
            store.stories.save(story, state.dump())
            if roles is not None:
                roles.flush()
        ctx.progress.advance()
    return dirty


def _member_loader(store: Store, known: dict[str, ArticleState]) -> Callable[[list[str]], list[Member]]:
    """Reads members of an event from the store (``known``: their states, read already)."""

    def load(wanted: list[str]) -> list[Member]:
        analyses = store.articles.analyses(wanted)
        return [Member(a, analyses[a.id], known[a.id].duplicate_of) for a in store.articles.get(wanted)]

    return load
