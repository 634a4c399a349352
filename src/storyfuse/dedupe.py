"""Dedupe: exact duplicates, syndicated copies and rewrites, with the article each came from.

Exact duplicates share the hash of their normalised text. Text reuse is found with MinHash
(datasketch) over word 5-gram shingles: the signature is cut into bands whose hashes the
store indexes, so a new article meets only the articles that share a band with it, never
the whole corpus. Each candidate is then checked exactly: ``overlap`` is the share of the
shorter text's shingles found in the other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import struct
from typing import Protocol

import numpy as np
from datasketch import MinHash

from .components import Component, MapEnv, Work, each_article
from .config import DedupeConfig
from .models import Article, DedupeResult, RawDocument, Reuse, ReuseKind, Signature

_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_CANDIDATES = 50


class ReuseLookup(Protocol):
    """What dedupe needs to know about the stored corpus (the store's reuse repository)."""

    def article_with_hash(self, text_hash: str, exclude: str) -> str | None: ...

    def articles_with_bands(self, bands: list[int], exclude: str, limit: int) -> list[str]: ...

    def reuse_basis(self, article_id: str) -> tuple[str, str | None, str | None] | None:
        """(text, source, published) of a stored article."""


def text_hash(text: str) -> str:
    """Hash of the words only: case, punctuation and spacing do not make a new text."""
    return hashlib.sha1(" ".join(_WORD.findall(text.casefold())).encode()).hexdigest()


def outlet_key(source: str | None) -> str | None:
    """One outlet however it is written: "The Harbour Ledger" is "Harbour Ledger"."""
    if not source:
        return None
    return re.sub(r"^the\s+|[^a-z0-9]", "", source.casefold()) or None


def content_hash(text: str) -> str:
    """Hash of the exact text: a correction of one figure or sign is a new text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def raw_hash(raw: RawDocument) -> str:
    """Hash of an input as read (its content and what it says of itself): the same input
    read again is already stored, even after its stored text lost lines found to be junk."""
    meta = json.dumps(sorted(raw.meta.items()), ensure_ascii=False)
    return hashlib.sha1(f"{raw.kind}\n{meta}\n{raw.content}".encode()).hexdigest()


def shingles(text: str, size: int) -> set[str]:
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def band_hashes(items: set[str], config: DedupeConfig) -> tuple[int, ...]:
    if not items:
        return ()
    mh = MinHash(num_perm=config.num_perm, seed=1)
    mh.update_batch([s.encode() for s in items])
    rows = config.num_perm // config.bands
    values = mh.hashvalues.astype(np.uint64)
    out = []
    for band in range(config.bands):
        chunk = struct.pack("<I", band) + values[band * rows:(band + 1) * rows].tobytes()
        # Signed 64-bit so SQLite stores it as an INTEGER.
        out.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True))
    return tuple(out)


def overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def signature(article: Article, config: DedupeConfig) -> Signature:
    """The article's duplicate signature: computed without the corpus, in the per-article map."""
    return Signature(text_hash(article.text), content_hash(article.text),
                     band_hashes(shingles(article.text, config.shingle_words), config))


def _sign(work: Work, env: MapEnv) -> Work:
    assert work.article is not None
    return dataclasses.replace(work, signature=dataclasses.replace(signature(work.article, env.config.dedupe),
                                                                  raw_hash=raw_hash(work.raw)))


COMPONENT = Component("signature", requires=("article",), sets=("signature",), apply=each_article(_sign))


def find_reuse(article: Article, lookup: ReuseLookup, config: DedupeConfig, sig: Signature | None = None) -> DedupeResult:
    """Exact duplicates and text reuse of ``article`` among the stored articles (``sig``: its
    signature, when the map computed it already)."""
    sig = sig or signature(article, config)
    digest, bands = sig.text_hash, sig.bands
    own = shingles(article.text, config.shingle_words)
    exact = lookup.article_with_hash(digest, exclude=article.id)
    candidates = lookup.articles_with_bands(list(bands), exclude=article.id, limit=_MAX_CANDIDATES)
    if exact is not None and exact not in candidates:
        candidates.insert(0, exact)
    reuses: list[Reuse] = []
    for other in candidates:
        basis = lookup.reuse_basis(other)
        if basis is None:
            continue
        other_text, other_source, other_published = basis
        share = 1.0 if other == exact else overlap(own, shingles(other_text, config.shingle_words))
        kind = classify(share, article.source, other_source, other == exact, config)
        if kind is not None:
            reuses.append(Reuse(article.id, other, kind, round(share, 3), _origin(article, other, other_published)))
    duplicate_of = demoted = None
    if exact is not None:
        # The same text twice: the later one is the duplicate, even when it was stored first.
        origin = next(r.origin for r in reuses if r.other == exact)
        if origin == article.id:
            demoted = exact
        else:
            duplicate_of = exact
    return DedupeResult(digest, bands, duplicate_of, tuple(sorted(reuses, key=lambda r: -r.overlap)), demoted)


def classify(share: float, source: str | None, other_source: str | None, exact: bool,
             config: DedupeConfig) -> ReuseKind | None:
    mine, theirs = outlet_key(source), outlet_key(other_source)
    same_outlet = not mine or not theirs or mine == theirs
    if exact:
        return "duplicate" if same_outlet else "syndicated"  # the same text run by another outlet
    if share >= 0.9 and same_outlet:
        return "duplicate"  # an outlet republishing its own story under another address
    if share >= config.syndicated_overlap:
        return "syndicated"
    if share >= config.rewrite_overlap:
        return "rewrite"
    return None


def _origin(article: Article, other: str, other_published: str | None) -> str:
    """The earlier of the two; when unknown or equal, the one stored first (the other)."""
    mine, theirs = _instant(article.published), _instant(other_published)
    if mine is not None and theirs is not None and mine < theirs:
        return article.id
    return other


def _instant(stamp: str | None) -> dt.datetime | None:
    """A comparable moment: timestamps without a zone are taken as UTC, dates as midnight."""
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
