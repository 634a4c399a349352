"""Per-article components: named steps over a typed record, each declaring what it needs and
what it sets (as spaCy's pipeline components do).

The per-article part of the pipeline (clean, NLP, quotes, dates, duplicate signatures) is a
pure map over ``Work`` records: a component sees the configuration and the models, never the
store or any corpus state, so the map can run in other processes. The order of the
components is data, checked when the pipeline is built (``check_order``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .config import Config
from .context import Models
from .models import (
    AnalysedArticle,
    Analysis,
    Article,
    NlpResult,
    Quote,
    RawDocument,
    Rejection,
    Signature,
    TimeExpr,
)

log = logging.getLogger(__name__)

FIELDS = ("raw", "article", "nlp", "quotes", "dates", "signature")


@dataclass(frozen=True, slots=True)
class Work:
    """One article in flight through the per-article map."""

    raw: RawDocument
    article: Article | None = None
    rejection: Rejection | None = None  # set when the input cannot become an article
    nlp: NlpResult | None = None
    quotes: tuple[Quote, ...] = ()
    dates: tuple[TimeExpr, ...] = ()
    signature: Signature | None = None
    not_analysed: str | None = None  # why the NLP stages did not run, or failed, on this article

    @property
    def analysed(self) -> bool:
        return self.nlp is not None and self.not_analysed is None

    def result(self) -> AnalysedArticle:
        """The map's output for a stored article."""
        assert self.article is not None and self.signature is not None
        if self.analysed and self.nlp is not None:
            analysis = Analysis(self.article.id, True, None, self.nlp.sentences, self.nlp.mentions,
                                self.quotes, self.dates)
        else:
            analysis = Analysis(self.article.id, False, self.not_analysed)
        return AnalysedArticle(self.article, analysis, self.signature)


@dataclass(frozen=True, slots=True)
class MapEnv:
    """What a component may use: the configuration, the loaded models, the NLP processes."""

    config: Config
    models: Models
    workers: int = 1


@dataclass(frozen=True)
class Component:
    name: str
    requires: tuple[str, ...]
    sets: tuple[str, ...]
    apply: Callable[[list[Work], MapEnv], list[Work]]


class ComponentOrderError(ValueError):
    pass


def check_order(components: Sequence[Component], given: tuple[str, ...] = ("raw",)) -> None:
    """Every component finds what it requires set by the input or an earlier component."""
    available = set(given)
    for c in components:
        unknown = (set(c.requires) | set(c.sets)) - set(FIELDS)
        if unknown:
            raise ComponentOrderError(f"component {c.name!r} names unknown fields {sorted(unknown)}")
        missing = set(c.requires) - available
        if missing:
            raise ComponentOrderError(
                f"component {c.name!r} requires {sorted(missing)}, which no earlier component sets; "
                f"order: {', '.join(x.name for x in components)}")
        available |= set(c.sets)


def run_components(works: list[Work], components: Sequence[Component], env: MapEnv) -> list[Work]:
    """The map: every component over the batch, in order."""
    for component in components:
        works = component.apply(works, env)
    return works


def analysing(step: Callable[[Work, MapEnv], Work]) -> Callable[[list[Work], MapEnv], list[Work]]:
    """A per-article analysis step over a batch: it runs on analysed articles only, and an
    error in one article marks that article not analysed, with the reason, instead of
    stopping the run."""

    def apply(works: list[Work], env: MapEnv) -> list[Work]:
        out = []
        for work in works:
            if not work.analysed:
                out.append(work)
                continue
            try:
                out.append(step(work, env))
            except Exception as err:  # a bug in one stage must not sink the run: store it, say why
                log.exception("analysis of %s failed", work.raw.id)
                out.append(failed(work, err))
        return out

    return apply


def failed(work: Work, err: Exception) -> Work:
    return dataclasses.replace(work, nlp=None, quotes=(), dates=(), not_analysed=(
        f"analysis failed ({type(err).__name__}: {err}); stored without entities, quotes and dates"))


def each_article(step: Callable[[Work, MapEnv], Work]) -> Callable[[list[Work], MapEnv], list[Work]]:
    """A step over every work that became an article."""

    def apply(works: list[Work], env: MapEnv) -> list[Work]:
        return [step(w, env) if w.article is not None else w for w in works]

    return apply
