"""The store's events as an ``EventIndex``: profiles are kept as the clustering module writes
them (JSON and a float16 lead vector), read back here, so that the next representation is a
change in this package only."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

from .place import by_kind, event_id_for, key_weights
from .profile import Profile, Weights


class ClusterStore(Protocol):
    """What clustering needs of the store (``store.clustering`` satisfies it)."""

    def term_counts(self, terms: list[str]) -> dict[str, int]: ...

    def doc_count(self) -> int: ...

    def postings(self, keys: list[str]) -> dict[str, int]: ...

    def candidates(self, weights: dict[str, int], limit: int) -> list[str]: ...

    def docs(self, event_id: str, limit: int | None = None) -> list[tuple[str, bytes | None]]: ...

    def samples(self, event_ids: list[str], limit: int) -> dict[str, list[tuple[str, bytes | None]]]: ...

    def size(self, event_id: str) -> int: ...

    def first_seq(self, event_id: str) -> int: ...

    def taken(self, event_id: str) -> bool: ...

    def live(self, event_id: str) -> bool: ...

    def add(self, article_id: str, event_id: str, profile: str, lead: bytes | None, terms: list[str],
            keys: list[str]) -> None: ...

    def move(self, article_id: str, event_id: str, keys: list[str]) -> None: ...

    def merge(self, keep: str, gone: str) -> None: ...


class _Counts(Mapping[str, int]):
    """The store's document frequencies, read on first use and kept for the run."""

    def __init__(self, store: ClusterStore):
        self.store, self.cache = store, {}  # type: ignore[var-annotated]

    def prefetch(self, terms: list[str]) -> None:
        missing = [t for t in terms if t not in self.cache]
        if missing:
            found = self.store.term_counts(missing)
            self.cache.update({t: found.get(t, 0) for t in missing})

    def __getitem__(self, term: str) -> int:
        if term not in self.cache:
            self.prefetch([term])
        return int(self.cache[term])

    def get(self, term: str, default: int = 0) -> int:  # type: ignore[override]
        return self[term]

    def __iter__(self) -> Iterator[str]:
        return iter(self.cache)

    def __len__(self) -> int:
        return len(self.cache)


class StoredIndex:
    def __init__(self, store: ClusterStore):
        self.store = store
        self.counts = _Counts(store)
        self.n_docs = store.doc_count()
        self._profiles: dict[str, dict[int, list[Profile]]] = {}  # event -> size -> sample, for this run's scoring
        self._weights: Weights | None = None

    def weights(self) -> Weights:
        if self._weights is None or self._weights.stale(self.n_docs):
            self._weights = Weights(self.counts, self.n_docs)
        return self._weights

    def candidates(self, keys: list[str], limit: int) -> list[str]:
        weights = key_weights(self.store.postings(keys), self.n_docs)
        return by_kind(weights, limit, self.store.candidates)

    def sample(self, event_id: str, limit: int) -> list[Profile]:
        return self.samples([event_id], limit)[event_id]

    def samples(self, event_ids: list[str], limit: int) -> dict[str, list[Profile]]:
        missing = [e for e in event_ids if limit not in self._profiles.get(e, {})]
        if missing:
            found = self.store.samples(missing, limit)
            for event_id in missing:
                self._profiles.setdefault(event_id, {})[limit] = [Profile.from_json(p, lead) for p, lead in found[event_id]]
            self.counts.prefetch([t for e in missing for p in self._profiles[e][limit] for t in p.body])
        return {e: self._profiles[e][limit] for e in event_ids}

    def _forget(self, *event_ids: str) -> None:
        for event_id in event_ids:
            self._profiles.pop(event_id, None)

    def members(self, event_id: str) -> list[Profile]:
        return [Profile.from_json(p, lead) for p, lead in self.store.docs(event_id)]

    def size(self, event_id: str) -> int:
        return self.store.size(event_id)

    def age(self, event_id: str) -> int:
        return self.store.first_seq(event_id)

    def live(self, event_id: str) -> bool:
        return self.store.live(event_id)

    def new_event_id(self, article_id: str) -> str:
        candidate, n = event_id_for(article_id), 1
        while self.store.taken(candidate):
            candidate, n = event_id_for(f"{article_id}#{n}"), n + 1
        return candidate

    def add(self, profile: Profile, event_id: str) -> None:
        terms = sorted(profile.body)
        self.counts.prefetch(terms)
        keys = profile.keys(self.weights())
        self.store.add(profile.article_id, event_id, profile.to_json(), profile.lead_bytes(), terms, keys)
        self.n_docs += 1
        for t in terms:
            self.counts.cache[t] = self.counts.cache.get(t, 0) + 1
        self._forget(event_id)

    def move(self, profile: Profile, event_id: str) -> None:
        self.store.move(profile.article_id, event_id, profile.keys(self.weights()))
        self._profiles.clear()

    def merge(self, keep: str, gone: str) -> None:
        self.store.merge(keep, gone)
        self._forget(keep, gone)
