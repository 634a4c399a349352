"""``storyfuse train cluster``: the article-pair event model (``cluster.place.PairModel``)
from the ECB+ training topics (every topic but the development ones).

Pairs: every pair of documents within a topic (a topic holds two events of the same kind,
the hard negatives) and a seeded 5 % of the pairs across topics (different events that may
share a head of state or a place). Every choice is made by cross-validation over seeded
folds of whole training topics: the trees' settings by out-of-fold log loss, an isotonic
calibration fitted on the out-of-fold scores (its error on held-out folds is reported), and
the three thresholds of online placement (join, merge, split) by the B³ of clustering each
held-out fold the way a run does (online, then consolidated). The development topics are
scored once, at the end, for the card.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import log_loss, roc_auc_score

from .. import trained
from ..cluster.place import PairModel, Thresholds, cluster_in_memory
from ..cluster.profile import DATE_GAPS, FEATURES, Compared, Profile, Weights, lead_text, profile_from_analysis
from ..eval.data import dataset_dir
from ..eval.ecbplus import DEV_TOPICS, EcbDocument, load_documents
from ..learning import TreeEnsemble, expected_calibration_error, group_folds
from ..train import SEED

FOLDS = 5
CROSS_TOPIC_SHARE = 0.05
AUGMENTED = 0.5  # share of different-event pairs also shown on one date (see ``pairs``)
PERSON = True
HEAD_OF_STATE = "president varga"  # a rare surname, as most prominent names are
SETTINGS: tuple[dict[str, Any], ...] = tuple(
    dict(max_iter=n, learning_rate=0.05, max_leaf_nodes=leaves, min_samples_leaf=20, l2_regularization=1.0)
    for n, leaves in ((100, 3), (200, 3), (100, 7), (200, 7), (200, 15)))
JOIN = (0.3, 0.4, 0.5, 0.6, 0.7)
MERGE_ABOVE_JOIN = (0.0, 0.1, 0.2)
SPLIT = (0.0, 0.1, 0.2)
ORDERS = 3


@dataclass(frozen=True)
class Example:
    profile: Profile
    topic: int
    event: str


def ecb_examples(docs: Sequence[EcbDocument], models: Any) -> list[Example]:
    """Each document's profile, through the same NLP, dates and lead embedding as a run
    (ECB+ has no titles and no publication dates: the first line stands for the title and
    the date is estimated from the text)."""
    from ..dates import find_dates

    results = list(models.nlp.analyse([d.text for d in docs], 32))
    leads = models.encoder.encode([lead_text(None, d.text) for d in docs])
    out = []
    for d, r, lead in zip(docs, results, leads):
        dates = find_dates(d.text, r.time_spans, None, r.sentences)
        out.append(Example(profile_from_analysis(d.doc_id, None, d.text, None, r.mentions, dates, lead),
                           d.topic, d.event))
    return out


def weights_of(examples: Sequence[Example]) -> Weights:
    df: dict[str, int] = {}
    for e in examples:
        for term in e.profile.body:
            df[term] = df.get(term, 0) + 1
    return Weights(df, len(examples))


def _alike(c: Compared, other: Profile, person: bool, weights: Weights) -> Compared:
    """``c`` as if reported on ``other``'s date (and naming one person ``other`` names too)."""
    entities = dict(c.profile.entities)
    if person:
        entities["people"] = tuple(sorted(set(entities.get("people", ())) | {HEAD_OF_STATE}))
    return Compared(dataclasses.replace(c.profile, date=other.date, entities=entities), weights)


SYNTHETIC_START = dt.date(2020, 1, 1)


def _published(a: Compared, b: Compared, same: bool, rng: random.Random,
               weights: Weights) -> tuple[Compared, Compared]:
    """The pair as if both articles carried publication days (ECB+ gives none). Reports of
    one event come within days of each other (most the same or the next day, a few
    follow-ups up to two weeks later). Reports of different events come on the same days
    just as often (a day holds many events): half the different-event pairs get days drawn
    the same way, the other half a week to five years apart. So a short gap says little and
    a long one says much."""
    near = (0, 0, 0, 0, 1, 1, 1, rng.randint(2, 4), rng.randint(2, 4), rng.randint(5, 14))
    if same or rng.random() < 0.5:
        gap = rng.choice(near)
    else:
        gap = int(round(math.exp(rng.uniform(math.log(7), math.log(1800)))))
    first = SYNTHETIC_START + dt.timedelta(days=rng.randint(0, 1500))
    out = []
    for c, day in ((a, first), (b, first + dt.timedelta(days=gap))):
        out.append(Compared(dataclasses.replace(c.profile, date=day.isoformat(), published=True), weights))
    return out[0], out[1]


def pairs(examples: Sequence[Example], weights: Weights, seed: int = SEED,
          augment: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every within-topic pair and a seeded share of cross-topic ones.

    ECB+ pairs two events of a kind years apart, and different topics rarely share a
    person: a model of them alone learns that the same date, or one shared name, makes one
    event. Real news has many events a day and a few names in most of them, so each
    different-event pair is also shown (seeded, ``AUGMENTED`` of them) as if both were
    reported the same day, and half of those as if both named one prominent person. Every
    pair is also shown with publication days (``_published``)."""
    from ..cluster.profile import pair_features

    rng = random.Random(seed)
    compared = [Compared(e.profile, weights) for e in examples]
    rows, labels = [], []
    for (i, a), (j, b) in itertools.combinations(enumerate(examples), 2):
        if a.topic != b.topic and rng.random() > CROSS_TOPIC_SHARE:
            continue
        same = int(a.event == b.event)
        rows.append(pair_features(compared[i], compared[j]))
        labels.append(same)
        if augment:
            ca, cb = _published(compared[i], compared[j], bool(same), rng, weights)
            rows.append(pair_features(ca, cb))
            labels.append(same)
        if augment and not same and rng.random() < AUGMENTED:
            rows.append(pair_features(_alike(compared[i], b.profile, PERSON, weights),
                                      _alike(compared[j], b.profile, PERSON, weights)))
            labels.append(0)
    return np.asarray(rows, dtype=np.float64), np.asarray(labels)


class CachedScorer:
    """Pair probabilities computed once for a held-out fold, so that many thresholds can be
    tried on the same clustering decisions."""

    def __init__(self, probabilities: dict[tuple[str, str], float], thresholds: Thresholds):
        self.p, self.thresholds = probabilities, thresholds

    def __call__(self, a: Profile, others: Sequence[Profile]) -> np.ndarray:
        return np.array([self.p[(a.article_id, b.article_id)] for b in others])


def fold_probabilities(model: PairModel, examples: Sequence[Example]) -> dict[tuple[str, str], float]:
    from ..cluster.profile import pair_features_many

    weights = weights_of(examples)
    compared = [Compared(e.profile, weights) for e in examples]
    out = {}
    for i, a in enumerate(compared[:-1]):
        values = model.probabilities(pair_features_many(a, compared[i + 1:]))
        for b, p in zip(compared[i + 1:], values):
            out[(a.profile.article_id, b.profile.article_id)] = out[(b.profile.article_id, a.profile.article_id)] = float(p)
    return out


def b_cubed_f1(predicted: dict[str, str], examples: Sequence[Example]) -> float:
    from ..eval.cluster import b_cubed

    return b_cubed(predicted, {e.profile.article_id: e.event for e in examples})["f1"]


# Dates only separate: the probability may not rise with a gap in time (see profile._date_features).
MONOTONIC = [-1 if name in DATE_GAPS else 0 for name in FEATURES]


def _trees(x: np.ndarray, y: np.ndarray, setting: dict[str, Any]) -> TreeEnsemble:
    model = HistGradientBoostingClassifier(random_state=SEED, monotonic_cst=MONOTONIC, early_stopping=False, **setting)
    return TreeEnsemble.from_sklearn(model.fit(x, y))


def fit(examples: Sequence[Example], folds: int = FOLDS, seed: int = SEED, log=print) -> tuple[PairModel, dict]:
    """The pair model for ``examples``, every choice by cross-validation over their topics."""
    topics = sorted({e.topic for e in examples})
    parts = [[topics[i] for i in f] for f in group_folds(topics, folds, seed)]
    data = []
    for held in parts:
        train = [e for e in examples if e.topic not in held]
        test = [e for e in examples if e.topic in held]
        weights = weights_of(train)
        x, y = pairs(train, weights, seed)
        xt, yt = pairs(test, weights_of(test), seed, augment=False)
        data.append((train, test, x, y, xt, yt))
    # Trees' settings: out-of-fold log loss.
    losses = []
    for setting in SETTINGS:
        raw = np.concatenate([_trees(x, y, setting).probability(xt) for _, _, x, y, xt, _ in data])
        losses.append(log_loss(np.concatenate([d[5] for d in data]), np.clip(raw, 1e-6, 1 - 1e-6)))
    setting = SETTINGS[int(np.argmin(losses))]
    log(f"  trees: {setting} (out-of-fold log loss {min(losses):.4f})")
    fold_trees = [_trees(x, y, setting) for _, _, x, y, _, _ in data]
    oof = [t.probability(d[4]) for t, d in zip(fold_trees, data)]
    truth = [d[5] for d in data]
    # Calibration error on held-out folds: each fold calibrated by the others' scores.
    held_out = []
    for k in range(len(data)):
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(
            np.concatenate([o for i, o in enumerate(oof) if i != k]),
            np.concatenate([t for i, t in enumerate(truth) if i != k]))
        held_out.append(iso.predict(oof[k]))
    all_p, all_y = np.concatenate(held_out), np.concatenate(truth)
    ece = expected_calibration_error(all_p, all_y)
    auc = roc_auc_score(all_y, all_p)
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(np.concatenate(oof), all_y)
    cx, cy = np.asarray(iso.X_thresholds_, dtype=np.float64), np.asarray(iso.y_thresholds_, dtype=np.float64)
    # Thresholds: the B³ of each held-out fold clustered as a run does.
    cached = []
    for trees, (_, test, *_rest) in zip(fold_trees, data):
        model = PairModel(trees, cx, cy, Thresholds(0.5, 0.5, 0.0))
        cached.append((fold_probabilities(model, test), sorted(test, key=lambda e: e.profile.article_id)))
    grid = [Thresholds(j, round(j + m, 2), s) for j in JOIN for m in MERGE_ABOVE_JOIN for s in SPLIT if j + m < 1]
    # Each held-out fold arrives in ORDERS orders (by id, then shuffled): thresholds that
    # only suit one order of arrival are not chosen.
    orders = [[list(test)] + [random.Random(seed + k).sample(test, len(test)) for k in range(1, ORDERS)]
              for _, test in cached]
    scores, spreads = [], []
    for th in grid:
        runs = [[b_cubed_f1(cluster_in_memory([e.profile for e in order], CachedScorer(p, th)), test)
                 for order in fold_orders] for (p, test), fold_orders in zip(cached, orders)]
        scores.append([float(np.mean(r)) for r in runs])
        spreads.append(max(max(r) - min(r) for r in runs))
    best = int(np.argmax([np.mean(s) for s in scores]))
    thresholds = grid[best]
    log(f"  thresholds: {thresholds} (cross-validated B³ {np.mean(scores[best]):.4f}, "
        f"widest spread over orders of arrival in a fold {spreads[best]:.4f})")
    weights = weights_of(examples)
    x, y = pairs(examples, weights, seed)
    model = PairModel(_trees(x, y, setting), cx, cy, thresholds)
    info = {"folds": [sorted(p) for p in parts], "trees": setting, "oof_log_loss": round(min(losses), 4),
            "pair_auc": round(float(auc), 4), "ece_held_out": round(float(ece), 4),
            "thresholds": thresholds.__dict__, "cv_b3_f1_per_fold": [round(v, 4) for v in scores[best]],
            "cv_b3_f1_mean": round(float(np.mean(scores[best])), 4), "pairs": int(len(y)),
            "cv_order_spread": round(spreads[best], 4), "orders_of_arrival": ORDERS,
            "positive_pairs": int(y.sum())}
    return model, info


def model_arrays(model: PairModel) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    arrays = model.trees.arrays("trees_") | {"calibration_x": model.calibration_x, "calibration_y": model.calibration_y}
    return arrays, {"features": list(FEATURES), **model.thresholds.__dict__}


def train(data: str | None = None, out: Path | None = None, models: Any = None) -> dict[str, Any]:
    from ..context import Models
    from ..eval.cluster import b_cubed

    started = time.time()
    models = models or Models()
    docs = load_documents(data)
    print(f"cluster: analysing {len(docs)} ECB+ documents")
    examples = ecb_examples(docs, models)
    train_part = [e for e in examples if e.topic not in DEV_TOPICS]
    dev_part = [e for e in examples if e.topic in DEV_TOPICS]
    model, info = fit(train_part)
    predicted = cluster_in_memory(sorted((e.profile for e in dev_part), key=lambda p: p.article_id), model)
    dev = b_cubed(predicted, {e.profile.article_id: e.event for e in dev_part})
    root = dataset_dir("ecbplus", data)
    arrays, params = model_arrays(model)
    files = sorted(p for p in (root / "ECB+").rglob("*.xml") if p.parent.name.isdigit())
    card = trained.make_card(
        "cluster", seed=SEED, data_root=root.parent, data_files=[],
        settings={"features": list(FEATURES), "cross_topic_share": CROSS_TOPIC_SHARE, **info},
        scores={"development_b3": dev, "train_seconds": round(time.time() - started, 1)},
        description="The probability that two articles report the same real-world event (gradient-boosted trees "
                    "over TF-IDF similarities of titles, bodies and entities by type, rare words, figures, lead "
                    "embeddings and dates, isotonic-calibrated), with the join, merge and split thresholds of "
                    "online placement.")
    # One digest over the ECB+ files (in path order) rather than a line for each of them.
    digest = hashlib.sha256("".join(f"{p.relative_to(root).as_posix()} {trained.sha256(p)}\n"
                                    for p in files).encode()).hexdigest()
    card["data"] = [{"file": f"{root.name}/ECB+ ({len(files)} topic files)", "sha256": digest}]
    trained.save("cluster", arrays, params, card, out)
    print(f"cluster: development B³ {dev} ({time.time() - started:.0f} s)")
    return card
