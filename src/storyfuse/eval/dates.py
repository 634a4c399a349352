"""``storyfuse eval dates``: DATE expressions and their values on TempEval-3 (TBAQ-cleaned).

Each document's creation time is its publication date. Span recall counts gold DATE
TIMEX3s overlapped by a predicted expression; value precision, recall and F1 count
predicted values equal to the gold value (a prediction overlapping only a DURATION, TIME or
SET expression is not a DATE claim and is not counted). The published anchors are printed
beside: they are over all TIMEX3 types on the test set, so compare loosely.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..context import Models
from ..dates import find_dates
from .data import dataset_dir

ANCHOR = ("HeidelTime on the TempEval-3 test set, all types: relaxed F1 ≈ 90, value F1 ≈ 78 (compare loosely); "
          "dateparser search_dates with the creation time as base: DATE value F1 ≈ 0.05 (data README)")
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_tml(path: Path) -> tuple[str, str, list[tuple[int, int, dict]]]:
    """(text, creation date, [(start, end, TIMEX3 attributes)]) of one .tml file."""
    raw = path.read_text(encoding="utf-8")
    dct_match, body_match = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S), re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if dct_match is None or body_match is None:
        raise ValueError(f"{path}: not a TimeML document (no DCT or TEXT)")
    dct, body = dct_match[1], body_match[1]
    pieces: list[str] = []
    length, position = 0, 0
    open_timexes, timexes = [], []
    for m in _TAG.finditer(body):
        piece = html.unescape(body[position:m.start()])
        pieces.append(piece)
        length += len(piece)
        position = m.end()
        if m[2] != "TIMEX3":
            continue
        if not m[1]:
            if not m[3].rstrip().endswith("/"):
                open_timexes.append((length, dict(_ATTR.findall(m[3]))))
        elif open_timexes:
            start, attrs = open_timexes.pop()
            timexes.append((start, length, attrs))
    pieces.append(html.unescape(body[position:]))
    return "".join(pieces), dct[:10], timexes


def load_documents(data: str | None) -> list[tuple[str, str, str, list]]:
    root = dataset_dir("tempeval3", data) / "Training" / "TBAQ-cleaned"
    paths = sorted(list((root / "TimeBank").glob("*.tml")) + list((root / "AQUAINT").glob("*.tml")))
    return [(p.stem, *read_tml(p)) for p in paths]


def evaluate(split: str = "all", data: str | None = None, config=None) -> dict:
    from ..config import Config

    config = config or Config()
    docs = load_documents(data)
    results = Models(config.nlp.model).nlp.analyse([text for _, text, _, _ in docs], config.nlp.batch_size)
    gold_n = found = right = claims = claims_right = 0
    for (_, text, dct, timexes), result in zip(docs, results):
        predicted = find_dates(text, result.time_spans, dct, result.sentences)
        dates_ = [(a, b, t) for a, b, t in timexes if t.get("type") == "DATE"]
        others = [(a, b) for a, b, t in timexes if t.get("type") != "DATE"]
        for a, b, t in dates_:
            gold_n += 1
            overlapping = [p for p in predicted if p.start < b and a < p.end]
            if overlapping:
                found += 1
                best = max(overlapping, key=lambda p: min(b, p.end) - max(a, p.start))
                right += best.value == t.get("value")
        for p in predicted:
            if p.value is None:
                continue
            gold_here = [t for a, b, t in dates_ if p.start < b and a < p.end]
            if not gold_here and any(p.start < b and a < p.end for a, b in others):
                continue
            claims += 1
            claims_right += any(t.get("value") == p.value for t in gold_here)
    precision, recall = claims_right / max(1, claims), right / max(1, gold_n)
    return {
        "task": "dates", "dataset": "TempEval-3 TBAQ-cleaned", "split": "all", "documents": len(docs),
        "metrics": ["span_recall", "value_precision", "value_recall", "value_f1"],
        "rows": [{"system": "storyfuse", "span_recall": round(found / max(1, gold_n), 4),
                  "value_precision": round(precision, 4), "value_recall": round(recall, 4),
                  "value_f1": round(2 * precision * recall / max(1e-9, precision + recall), 4)}],
        "gold_dates": gold_n,
        "published_anchor": ANCHOR,
    }
