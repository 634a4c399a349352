"""``storyfuse train junk``: the page-junk line model (``clean.junk``) from the trafilatura-eval
pages of the training sites (``eval.junk``: lines labelled by the benchmark's snippets).

Two sets of trees share the hashed-words model: one for lines of saved text (text features
only), one for the lines of an HTML page (with each line's place in the page). Every choice is made
by cross-validation inside the training sites (seeded folds of whole sites; the hashed-words
score a fold's trees learn from is itself out-of-fold): the two thresholds of each shape
(outside and inside the body) are those that reach junk precision 0.95 with the most recall
while losing a must-keep snippet on at most 2 % of pages, else the best F0.5 (precision
weighs twice: losing article text is worse than keeping a line of furniture). The held-out
sites are scored once, at the end, for the card.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from .. import trained
from ..clean.html import TRAFILATURA
from ..clean.junk import FEATURES, TEXT_FEATURES, WORDS_SCORE, JunkModel, decide, hashed_words, line_features
from ..eval.data import dataset_dir
from ..eval.junk import LabelledPage, labelled_pages, line_scores
from ..learning import TreeEnsemble, group_folds
from ..train import SEED

FOLDS = 5
TREES: dict[str, Any] = dict(max_iter=300, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=10,
                             l2_regularization=1.0)
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.3, 0.96, 0.05))
PRECISION_GOAL, LOSS_LIMIT = 0.95, 0.02
Probabilities = dict[int, np.ndarray]


class _Data:
    """Features of every line of every page (with the page features), computed once."""

    def __init__(self, pages: list[LabelledPage]):
        self.pages = pages
        self.x = [line_features(lp.lines, lp.dom) for lp in pages]
        self.h = [hashed_words(lp.lines) if lp.lines else None for lp in pages]

    def rows(self, docs: list[int]) -> list[tuple[int, int, int]]:
        return [(d, i, y) for d in docs for i, y in enumerate(self.pages[d].labels) if y is not None]

    def words(self, model: LogisticRegression, docs: list[int]) -> Probabilities:
        return {d: model.predict_proba(self.h[d])[:, 1] if self.h[d] is not None else np.zeros(0) for d in docs}

    def features(self, d: int, words: np.ndarray, page: bool) -> np.ndarray:
        x = self.x[d].copy()
        if len(x):
            x[:, WORDS_SCORE] = words
            if not page:
                x[:, TEXT_FEATURES:] = np.nan
        return x


def _fit_words(data: _Data, docs: list[int]) -> LogisticRegression:
    rows = data.rows(docs)
    h = sp.vstack([data.h[d][i] for d, i, _ in rows])  # type: ignore[index]
    return LogisticRegression(C=4.0, max_iter=3000).fit(h, [y for *_, y in rows])


def _folds(data: _Data, docs: list[int]) -> list[tuple[list[int], list[int]]]:
    """(training docs, held docs) of each fold, whole sites per fold."""
    out = []
    for fold in group_folds([data.pages[d].page.site for d in docs], FOLDS, SEED):
        held = [docs[i] for i in fold]
        taken = set(held)
        out.append(([d for d in docs if d not in taken], held))
    return out


Trees = dict[bool, HistGradientBoostingClassifier]  # one model for saved text, one for page lines


def _fit(data: _Data, docs: list[int]) -> tuple[LogisticRegression, Trees]:
    """The words model and the trees of each shape, the trees learning from out-of-fold
    word scores."""
    words_oof: Probabilities = {}
    for rest, held in _folds(data, docs):
        words_oof.update(data.words(_fit_words(data, rest), held))
    rows = data.rows(docs)
    trees = {}
    for page in (False, True):
        x = {d: data.features(d, words_oof[d], page) for d in {d for d, *_ in rows}}
        features = np.array([x[d][i] for d, i, _ in rows])[:, : None if page else TEXT_FEATURES]
        trees[page] = HistGradientBoostingClassifier(**TREES, random_state=SEED).fit(features, [y for *_, y in rows])
    return _fit_words(data, docs), trees


def _apply(data: _Data, words: LogisticRegression, trees: Trees, docs: list[int], page: bool) -> Probabilities:
    scores = data.words(words, docs)
    width = None if page else TEXT_FEATURES
    return {d: trees[page].predict_proba(data.features(d, scores[d], page)[:, :width])[:, 1] if len(data.x[d])
            else np.zeros(0) for d in docs}


def _choose(data: _Data, docs: list[int], p: Probabilities) -> tuple[tuple[float, float], dict[str, float]]:
    best: tuple[Any, ...] | None = None
    by_page = {data.pages[d].page.page_id: p[d] for d in docs}
    chosen = [data.pages[d] for d in docs]
    for outside, inside in itertools.product(THRESHOLDS, THRESHOLDS):
        if inside < outside:
            continue

        def junk(lp: LabelledPage, o: float = outside, i: float = inside) -> list[bool]:
            return decide(lp.lines, by_page[lp.page.page_id], o, i)

        s = line_scores(chosen, junk)
        reaches = s["precision"] >= PRECISION_GOAL and s["pages_losing_a_snippet"] <= LOSS_LIMIT
        # Short of the goal, precision counts twice (F0.5): losing article text is worse than
        # keeping a line of furniture.
        f_half = 1.25 * s["precision"] * s["recall"] / max(1e-9, 0.25 * s["precision"] + s["recall"])
        key = (reaches, s["recall"] if reaches else f_half)
        if best is None or key > best[0]:
            best = (key, (outside, inside), s)
    assert best is not None
    return best[1], best[2]


def _scores(data: _Data, docs: list[int], p: Probabilities, thresholds: tuple[float, float]) -> dict[str, float]:
    by_page = {data.pages[d].page.page_id: p[d] for d in docs}

    def junk(lp: LabelledPage) -> list[bool]:
        return decide(lp.lines, by_page[lp.page.page_id], *thresholds)

    return line_scores([data.pages[d] for d in docs], junk)


def _extraction_threshold(data: _Data, docs: list[int], p: Probabilities) -> tuple[float, dict[str, float]]:
    """The probability above which a line of trafilatura's main text is dropped, chosen for
    the extraction benchmark's F1 on the training sites (out-of-fold probabilities)."""
    import trafilatura

    outputs = {}
    for d in docs:
        page = data.pages[d].page
        url = page.url if page.url.startswith("http") else None
        text = trafilatura.extract(page.html, url=url, **TRAFILATURA) or ""
        outputs[d] = [line for line in text.split("\n") if line.strip()]
    best: tuple[float, float, dict[str, float]] | None = None
    for threshold in (*THRESHOLDS, 0.97, 0.98, 0.99, 1.01):
        tp = fn = fp = 0
        for d in docs:
            lp = data.pages[d]
            junk = {_key(line) for line, q in zip(lp.lines, p[d]) if q >= threshold}
            junk -= {_key(line) for line, q in zip(lp.lines, p[d]) if q < threshold}
            kept = _key(" ".join(line for line in outputs[d] if _key(line) not in junk))
            tp += sum(1 for s in lp.page.with_snippets if _key(s) in kept)
            fn += sum(1 for s in lp.page.with_snippets if _key(s) not in kept)
            fp += sum(1 for s in lp.page.without_snippets if _key(s) in kept)
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        if best is None or f1 > best[1]:
            best = (threshold, f1, {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)})
    assert best is not None
    return best[0], best[2]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def train(data: str | None = None, out: Path | None = None) -> dict[str, Any]:
    started = time.time()
    pages, train_ids, held_ids = labelled_pages(data)
    features = _Data(pages)
    train_docs = [d for d, lp in enumerate(pages) if lp.page.page_id in train_ids]
    held_docs = [d for d, lp in enumerate(pages) if lp.page.page_id in held_ids]
    # Cross-validation inside the training sites: out-of-fold probabilities for both shapes.
    cv: dict[bool, Probabilities] = {False: {}, True: {}}
    for rest, held in _folds(features, train_docs):
        words, trees = _fit(features, rest)
        for page in (False, True):
            cv[page].update(_apply(features, words, trees, held, page))
    chosen = {page: _choose(features, train_docs, cv[page]) for page in (False, True)}
    extraction, extraction_cv = _extraction_threshold(features, train_docs, cv[True])
    words, trees = _fit(features, train_docs)
    held_out = {("page" if page else "text"): _scores(features, held_docs, _apply(features, words, trees, held_docs,
                                                                                    page), chosen[page][0])
                for page in (False, True)}
    arrays = {"words_weights": np.asarray(words.coef_[0], dtype=np.float32),
              "words_bias": np.array([float(words.intercept_[0])]),
              **TreeEnsemble.from_sklearn(trees[False]).arrays("text_"),
              **TreeEnsemble.from_sklearn(trees[True]).arrays("page_")}
    params = {"features": list(FEATURES), "text": list(chosen[False][0]), "page": list(chosen[True][0]),
              "extraction": extraction,
              "hashed_features": int(words.coef_.shape[1])}
    root = dataset_dir("trafilatura-eval", data)
    card = trained.make_card(
        "junk", seed=SEED, data_root=root.parent, data_files=[root / "tests" / "evaldata.json"],
        settings={"trees": TREES, "folds": FOLDS, "thresholds": {"text": chosen[False][0], "page": chosen[True][0],
                                                                 "extraction": extraction},
                  "training_pages": len(train_docs), "held_out_pages": len(held_docs),
                  "selection": f"junk precision >= {PRECISION_GOAL} with the most recall, snippet loss <= {LOSS_LIMIT}"},
        scores={"cv_training_sites": {"text": chosen[False][1], "page": chosen[True][1],
                                      "extraction_second_pass": extraction_cv},
                "held_out_sites": held_out},
        description="Page-junk lines of saved text and of HTML pages: boosted trees over line features, "
                    "hashed words and (for pages) each line's place in the page (clean.junk).",
    )
    card["seconds"] = round(time.time() - started)
    trained.save("junk", arrays, params, card, out)
    JunkModel.from_trained(trained.load("junk", out))  # the written model loads
    return card
