"""``storyfuse train quotes``: whether a quotation is speech, learned on PolNeAR.

Examples: every direct quote the rules find (``quotes.find_quotes`` without the model) in
PolNeAR's training documents, labelled speech when it matches a gold direct attribution the
way ``storyfuse eval quotes`` scores it (half its tokens inside the gold Content). A
logistic model over ``speech.features``; its C and the threshold below which a quote is
dropped are chosen by 5-fold cross-validation over whole documents (the threshold maximises
the direct-quote F1 of the out-of-fold probabilities, counting the gold quotes the rules
never find as misses), probabilities calibrated by isotonic regression on the out-of-fold
scores. The development documents are scored once, at the end.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import trained
from ..context import Models
from ..eval.data import dataset_dir
from ..eval.quotes import _QUOTE_MARK, _names_a_person, _speaker_right, _tokens, load_split
from ..learning import LinearModel, TreeEnsemble, expected_calibration_error, group_folds
from ..models import Quote
from ..quotes import find_quotes
from ..speakers import DENSE as SPEAKER_DENSE
from ..speakers import ArticleContext, SpeakerModel, candidates
from ..speakers import features as speaker_features
from ..speech import DENSE, HASHED, SpeechModel, features
from ..train import SEED

C_GRID = (0.03, 0.1, 0.3, 1.0)
FOLDS = 5
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.05))


def analysed(split: str, data: str | None) -> tuple[list, list]:
    """PolNeAR documents of a split and spaCy's results on them."""
    docs = load_split(split, data)
    return docs, list(Models().nlp.analyse([text for _, text, _ in docs]))


def _direct_gold(text: str, gold: list) -> list:
    return [g for g in gold if any(_QUOTE_MARK.search(text[a:b]) for a, b in g.content)]


def _share(text: str, q: Quote, g) -> float:
    tokens = [t for a, b in q.parts() for t in _tokens(text, a, b)]
    return sum(any(a <= t0 and t1 <= b for a, b in g.content) for t0, t1 in tokens) / max(1, len(tokens))


def examples(docs: list, results: list) -> tuple[np.ndarray, np.ndarray, list[int], int]:
    """Features, labels and document of every rule-found direct quote, and the number of
    gold direct quotes (the recall denominator)."""
    rows, labels, groups, gold_total = [], [], [], 0
    for d, ((_, text, gold), r) in enumerate(zip(docs, results)):
        direct = _direct_gold(text, gold)
        gold_total += len(direct)
        for q in find_quotes(text, r.sentences, r.mentions):
            if q.kind != "direct":
                continue
            rows.append(features(text, q))
            labels.append(int(max((_share(text, q, g) for g in direct), default=0.0) >= 0.5))
            groups.append(d)
    return np.vstack(rows), np.array(labels), groups, gold_total


@dataclass(frozen=True)
class SpeakerCase:
    """One scored quote: its candidates' features, which of them are right, the rules' pick."""

    rows: np.ndarray
    right: np.ndarray
    rule: int | None
    document: int


def speaker_cases(docs: list, results: list) -> list[SpeakerCase]:
    """Every rule-found direct quote matching a gold one whose source names a person (the
    quotes ``storyfuse eval quotes`` scores speakers on), each matched once, in order."""
    cases = []
    for d, ((_, text, gold), r) in enumerate(zip(docs, results)):
        direct = _direct_gold(text, gold)
        quotes = list(find_quotes(text, r.sentences, r.mentions))
        context = ArticleContext.of(text, r.mentions, [s.start for s in r.sentences], quotes)
        used: set[int] = set()
        for q in (q for q in quotes if q.kind == "direct"):
            share, best = max(((_share(text, q, g), i) for i, g in enumerate(direct) if i not in used),
                              default=(0.0, -1))
            if share < 0.5:
                continue
            used.add(best)
            source = direct[best].source
            source_text = " ".join(text[a:b] for a, b in source)
            if not source or not _names_a_person(source_text):
                continue
            found = candidates(context, q)
            right = np.array([_speaker_right(dataclasses.replace(q, speaker=m.text, speaker_start=m.start,
                                                                 speaker_end=m.end), source, source_text)
                              for m in found], dtype=bool)
            rule = next((i for i, m in enumerate(found) if m.start == q.speaker_start), None)
            rows = speaker_features(context, q, found) if found else np.zeros((0, len(SPEAKER_DENSE)))
            cases.append(SpeakerCase(rows, right, rule, d))
    return cases


def speaker_accuracy(cases: list[SpeakerCase], p: list[np.ndarray], margin: float, sure: float) -> float:
    """Share of cases whose chosen name is right, choosing as ``SpeakerModel.choose`` does."""
    right = 0
    for case, probabilities in zip(cases, p):
        if len(case.right) == 0:
            continue
        best = int(np.argmax(probabilities))
        pick: int | None
        if case.rule is not None:
            pick = best if best != case.rule and probabilities[best] >= probabilities[case.rule] + margin else case.rule
        else:
            pick = best if probabilities[best] >= sure else None
        right += pick is not None and bool(case.right[pick])
    return round(right / max(1, len(cases)), 4)


def _speaker_fit(cases: list[SpeakerCase], setting: tuple[float, int, int]) -> TreeEnsemble:
    """Boosted trees (learning rate, trees, smallest leaf) over the candidates of the cases
    that have a right one."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    usable = [k for k in cases if len(k.right) and k.right.any()]
    rate, trees, leaf = setting
    model = HistGradientBoostingClassifier(learning_rate=rate, max_iter=trees, min_samples_leaf=leaf,
                                           early_stopping=False, random_state=SEED)
    return TreeEnsemble.from_sklearn(model.fit(np.vstack([k.rows for k in usable]),
                                               np.concatenate([k.right for k in usable]).astype(int)))


def speaker_out_of_fold(cases: list[SpeakerCase], setting: tuple[float, int, int]) -> list[np.ndarray]:
    p: list[np.ndarray] = [np.zeros(0)] * len(cases)
    for held in group_folds([k.document for k in cases], FOLDS, SEED):
        held_set = set(held)
        model = _speaker_fit([k for i, k in enumerate(cases) if i not in held_set], setting)
        for i in held:
            if len(cases[i].right):
                p[i] = model.probability(cases[i].rows)
    return p


def _standardise(x: np.ndarray, dense: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale of the dense features; the hashed ones stay 0/1."""
    mean = np.zeros(x.shape[1])
    scale = np.ones(x.shape[1])
    mean[:dense] = x[:, :dense].mean(axis=0)
    std = x[:, :dense].std(axis=0)
    scale[:dense] = np.where(std == 0, 1.0, std)
    return mean, scale


def fit(x: np.ndarray, y: np.ndarray, c: float, dense: int = len(DENSE)) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = _standardise(x, dense)
    logistic = LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit((x - mean) / scale, y)
    return LinearModel(np.asarray(logistic.coef_[0], dtype=np.float64), float(logistic.intercept_[0]), mean, scale)


def f1_at(p: np.ndarray, y: np.ndarray, gold_total: int, threshold: float) -> dict[str, float]:
    kept = p >= threshold
    tp, fp = int((kept & (y == 1)).sum()), int((kept & (y == 0)).sum())
    precision, recall = tp / max(1, tp + fp), tp / max(1, gold_total)
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(1e-9, precision + recall), 4)}


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: list[int], c: float) -> np.ndarray:
    p = np.zeros(len(y))
    for held in group_folds(groups, FOLDS, SEED):
        held_set = set(held)
        rest = [i for i in range(len(y)) if i not in held_set]
        p[held] = fit(x[rest], y[rest], c).raw(x[held])
    return p


@dataclass(frozen=True)
class Fitted:
    """Both models fitted on some training documents, with what the card reports of the fit."""

    speech: SpeechModel
    speakers: SpeakerModel
    c: float
    threshold: float
    labels: np.ndarray  # speech or not, per rule-found direct quote
    gold_total: int
    out_of_fold: np.ndarray  # the chosen C's out-of-fold probabilities (uncalibrated)
    calibrated: np.ndarray  # the same, calibrated
    groups: list[int]
    speaker_cases: list[SpeakerCase]
    speaker_out_of_fold: list[np.ndarray]
    speaker_settings: tuple[tuple[float, int, int], float, float]  # trees' setting, margin, sure
    speaker_cv: float


def fit_models(docs: list, results: list) -> Fitted:
    """The speech model (C by out-of-fold log loss, isotonic calibration, threshold by
    out-of-fold F1) and the speaker ranker (C, margin and certainty by out-of-fold speaker
    accuracy), fitted on ``docs``."""
    from sklearn.isotonic import IsotonicRegression
    from sklearn.metrics import log_loss

    x, y, groups, gold_total = examples(docs, results)
    by_c = {c: out_of_fold(x, y, groups, c) for c in C_GRID}
    c = min(C_GRID, key=lambda c: (round(log_loss(y, np.clip(by_c[c], 1e-6, 1 - 1e-6)), 6), c))
    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(by_c[c], y)
    calibrated = isotonic.predict(by_c[c])
    threshold = max(THRESHOLDS, key=lambda t: (f1_at(calibrated, y, gold_total, t)["f1"], -t))
    final = fit(x, y, c)
    model = LinearModel(final.weights, final.bias, final.mean, final.scale,
                        np.asarray(isotonic.X_thresholds_, dtype=np.float64),
                        np.asarray(isotonic.y_thresholds_, dtype=np.float64))
    cases = speaker_cases(docs, results)
    by_setting = {t: speaker_out_of_fold(cases, t) for t in SPEAKER_SETTINGS}
    scored = {(t, m, s): speaker_accuracy(cases, by_setting[t], m, s)
              for t in SPEAKER_SETTINGS for m in MARGINS for s in SURE}
    # ties go to fewer trees, then to keeping the rules' choice (larger margin and certainty)
    setting, margin, sure = max(scored, key=lambda k: (scored[k], -k[0][1], k[1], k[2]))
    ranker = SpeakerModel(_speaker_fit(cases, setting), margin, sure)
    return Fitted(SpeechModel(model, threshold), ranker, c, threshold, y, gold_total, by_c[c], calibrated, groups,
                  cases, by_setting[setting], (setting, margin, sure), scored[(setting, margin, sure)])


def train(data: str | None = None, out: Path | None = None) -> dict[str, Any]:
    from sklearn.isotonic import IsotonicRegression

    started = time.time()
    docs, results = analysed("train", data)
    dev_docs, dev_results = analysed("dev", data)
    fitted = fit_models(docs, results)
    y, groups, gold_total, threshold = fitted.labels, fitted.groups, fitted.gold_total, fitted.threshold
    # The calibration error is measured on folds the calibration did not see.
    held_out_calibrated = np.zeros(len(y))
    for held in group_folds(groups, FOLDS, SEED + 1):
        rest = np.setdiff1d(np.arange(len(y)), held)
        fold_isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(fitted.out_of_fold[rest], y[rest])
        held_out_calibrated[held] = fold_isotonic.predict(fitted.out_of_fold[held])
    model = fitted.speech.model
    dev_x, dev_y, _, dev_gold = examples(dev_docs, dev_results)
    dev_p = model.probability(dev_x)
    root = dataset_dir("polnear", data)
    card = trained.make_card(
        "quotes", seed=SEED, data_root=root.parent, data_files=[root / "data" / "metadata.tsv"],
        settings={"C": fitted.c, "C_grid": list(C_GRID), "threshold": threshold, "folds": FOLDS,
                  "training_quotes": int(len(y)), "training_speech": int(y.sum()),
                  "selection": "C by out-of-fold log loss; threshold by out-of-fold direct-quote F1"},
        scores={"cv_training_documents": {"without_model": f1_at(np.ones(len(y)), y, gold_total, 0.5),
                                          "with_model": f1_at(fitted.calibrated, y, gold_total, threshold),
                                          "ece_held_out_folds": round(expected_calibration_error(held_out_calibrated, y), 4)},
                "development_documents": {"without_model": f1_at(np.ones(len(dev_y)), dev_y, dev_gold, 0.5),
                                          "with_model": f1_at(dev_p, dev_y, dev_gold, threshold)}},
        description="Whether a quotation is speech (not a title, term or scare quote): a calibrated logistic "
                    "model over the quote's form, its surroundings and hashed neighbouring words (speech); "
                    "and who said it: a boosted-tree ranker over the names near the quote (speakers).",
    )
    card["speakers"] = speaker_card(fitted, dev_docs, dev_results)
    card["seconds"] = round(time.time() - started)
    ranker = fitted.speakers
    params = {"features": list(DENSE), "hashed_features": HASHED, "threshold": threshold,
              "speaker_margin": ranker.margin, "speaker_sure": ranker.sure,
              "speaker_features": list(SPEAKER_DENSE)}
    trained.save("quotes", {**model.arrays(), **ranker.model.arrays("speaker_")}, params, card, out)
    SpeechModel.from_trained(trained.load("quotes", out))  # the written models load
    SpeakerModel.from_trained(trained.load("quotes", out))
    return card


# boosted trees: learning rate, number of trees, smallest leaf
SPEAKER_SETTINGS = ((0.05, 200, 20), (0.1, 100, 20), (0.05, 400, 40))
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.5, 2.0)  # 2.0: never replace the rules' choice
SURE = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 2.0)  # 2.0: never name one where the rules found none


def speaker_card(fitted: Fitted, dev_docs: list, dev_results: list) -> dict:
    """What the card says of the speaker ranker: its settings, cross-validated and
    development speaker accuracy beside the rules'."""
    (rate, trees, leaf), margin, sure = fitted.speaker_settings
    model = fitted.speakers.model
    dev_cases = speaker_cases(dev_docs, dev_results)
    dev_p = [model.probability(k.rows) if len(k.right) else np.zeros(0) for k in dev_cases]
    return {"settings": {"learning_rate": rate, "trees": trees, "min_samples_leaf": leaf, "margin": margin,
                         "sure": sure, "cases": len(fitted.speaker_cases),
                         "selection": "trees' setting, margin and certainty by out-of-fold speaker accuracy"},
            "scores": {"cv_training_documents": {"rules": speaker_accuracy(fitted.speaker_cases, fitted.speaker_out_of_fold,
                                                                           2.0, 2.0),
                                                 "with_model": fitted.speaker_cv},
                       "development_documents": {"rules": speaker_accuracy(dev_cases, dev_p, 2.0, 2.0),
                                                 "with_model": speaker_accuracy(dev_cases, dev_p, margin, sure)}}}
