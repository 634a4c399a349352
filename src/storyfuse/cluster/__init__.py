"""Event clustering: which articles report the same real-world event.

- ``profile``: what clustering knows of an article and how two articles compare;
- ``place``: the learned, calibrated pair model, online placement and consolidation;
- ``stored``: the store's events as the index placement works on;
- ``threads``: events that continue one another.

A run places each new article (``place_articles``) and then consolidates the events it
touched (``consolidate_pending``); the events waiting for consolidation are kept in the
store, so a run killed in between finishes the job on the next.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from .. import trained
from .place import (
    ROUNDS,
    EventIndex,
    MemoryIndex,
    ModelScorer,
    PairModel,
    Placement,
    Scorer,
    Thresholds,
    cluster_in_memory,
    consolidate,
    event_id_for,
    place,
    place_and_add,
)
from .profile import Profile, estimate_date, lead_text, profile_from_analysis, profile_of
from .stored import ClusterStore, StoredIndex

__all__ = [
    "ClusterStore", "EventIndex", "MemoryIndex", "ModelScorer", "PairModel", "Placement", "Profile", "Scorer",
    "StoredIndex", "Thresholds", "cluster_in_memory", "consolidate", "consolidate_pending", "estimate_date",
    "event_id_for", "lead_text", "load_model", "place", "place_and_add", "place_articles", "profile_from_analysis",
    "profile_of",
]


@functools.cache
def load_model() -> PairModel:
    """The shipped pair model (``storyfuse train cluster`` rebuilds it); immutable."""
    return PairModel.from_trained(trained.load("cluster"))


def place_articles(profiles: Iterable[Profile], store: ClusterStore, model: PairModel,
                   on_placed: Callable[[], None] = lambda: None) -> None:
    """Each article into the most probable event, or a new one; each placement is committed
    with the article (the store marks its event for consolidation)."""
    index = StoredIndex(store)
    scorer = ModelScorer(model, index)
    for profile in profiles:
        place_and_add(profile, index, scorer)
        on_placed()


def consolidate_pending(store: ClusterStore, pending: list[str], model: PairModel,
                        on_event: Callable[[], None] = lambda: None) -> set[str]:
    """Merge and split the events waiting for consolidation, then again what that changed (at
    most ``ROUNDS`` times, as in training); returns the events changed."""
    index = StoredIndex(store)
    scorer = ModelScorer(model, index)
    changed: set[str] = set()
    touched: Iterable[str] = pending
    for _ in range(ROUNDS):
        touched = consolidate(index, scorer, touched, on_event)
        changed |= touched
        if not touched:
            break
    return changed
