"""``storyfuse eval junk``: page-junk lines on the trafilatura-eval pages, held-out sites.

The data set (also what ``storyfuse train junk`` learns from): each page turned to text with
its junk, one line per block element (``clean.blocks.page_lines``), and each line labelled by
the benchmark's snippets: junk when it holds a must-drop snippet, kept when it holds a
must-keep one; lines with neither, or both, are left out of training and scoring. Pages are
split by site (the registered domain of the original URL, archive copies counted as their
origin) so that no site is in both the training part and the scored part.

Scored: line-level precision and recall of junk, and the share of pages where a must-keep
snippet is lost (not found in the kept lines), for the lines as saved text (the model sees
the text only: the issue's measure) and as lines of the HTML page (the model also sees each
line's place in the page, as in ``storyfuse extract``). Beside it, in the same run: the
hand-written pattern list storyfuse used before (``clean.text.is_junk_line``), and
trafilatura's own decision (a line is junk when trafilatura's main text does not hold it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..clean.blocks import page_blocks
from .pages import Page, load_pages, train_test_by_site

ANCHOR = ("targets: junk precision ≥ 0.95 and recall ≥ 0.90, a must-keep snippet lost on ≤ 2 % of pages "
          "(trafilatura loses one on about 14 %; issue 6)")
TEST_SHARE = 0.3  # held-out share of sites, the same split for training and scoring


@dataclass(frozen=True)
class LabelledPage:
    page: Page
    lines: list[str]
    labels: list[int | None]  # 1 junk, 0 keep, None unlabelled
    dom: list[tuple[float, ...]]  # what each line's place in the page says (DOM_FEATURES)


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def label_lines(lines: Sequence[str], keep: Sequence[str], drop: Sequence[str]) -> list[int | None]:
    keep_n, drop_n = [_norm(s) for s in keep if s.strip()], [_norm(s) for s in drop if s.strip()]
    out: list[int | None] = []
    for line in lines:
        low = _norm(line)
        kept, dropped = any(s in low for s in keep_n), any(s in low for s in drop_n)
        out.append(1 if dropped and not kept else 0 if kept and not dropped else None)
    return out


def labelled_pages(data: str | None = None) -> tuple[list[LabelledPage], set[str], set[str]]:
    """Every page as labelled lines, with the ids of the training and the held-out part."""
    pages = load_pages(data)
    train, held_out = train_test_by_site(pages, TEST_SHARE)
    out = []
    for page in pages:
        blocks = page_blocks(page.html)
        lines = [b.text for b in blocks]
        out.append(LabelledPage(page, lines, label_lines(lines, page.with_snippets, page.without_snippets),
                                [b.dom for b in blocks]))
    return out, train, held_out


def line_scores(pages: Sequence[LabelledPage], junk: Callable[[LabelledPage], Sequence[bool]]) -> dict[str, float]:
    """Precision and recall of junk over the labelled lines, and the share of pages that
    lose a must-keep snippet."""
    tp = fp = fn = lost = 0
    for lp in pages:
        verdict = list(junk(lp))
        for is_junk, label in zip(verdict, lp.labels):
            if label is None:
                continue
            tp += is_junk and label == 1
            fp += is_junk and label == 0
            fn += (not is_junk) and label == 1
        kept = _norm(" ".join(line for line, j in zip(lp.lines, verdict) if not j))
        lost += any(_norm(s) not in kept for s in lp.page.with_snippets if s.strip() and _norm(s) in _norm(
            " ".join(lp.lines)))
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(1e-9, precision + recall), 4),
            "pages_losing_a_snippet": round(lost / max(1, len(pages)), 4)}


def evaluate(split: str = "dev", data: str | None = None, config: object = None) -> dict:
    import trafilatura

    from ..clean.text import is_junk_line
    from ..context import Models

    if split not in ("dev", "train"):
        raise ValueError(f"unknown split {split!r}: use dev (held-out sites) or train")
    pages, train, held_out = labelled_pages(data)
    chosen = [lp for lp in pages if lp.page.page_id in (held_out if split == "dev" else train)]
    model = Models().junk

    def trafilatura_junk(lp: LabelledPage) -> list[bool]:
        url = lp.page.url if lp.page.url.startswith("http") else None
        kept = _norm(trafilatura.extract(lp.page.html, url=url) or "")
        return [_norm(line) not in kept for line in lp.lines]

    labelled = sum(1 for lp in chosen for label in lp.labels if label is not None)
    return {
        "task": "junk", "dataset": "trafilatura-eval pages as block lines", "split": split,
        "documents": len(chosen), "labelled_lines": labelled,
        "junk_lines": int(np.sum([label == 1 for lp in chosen for label in lp.labels])),
        "metrics": ["precision", "recall", "f1", "pages_losing_a_snippet"],
        "rows": [
            {"system": "storyfuse", **line_scores(chosen, lambda lp: model.junk(lp.lines))},
            {"system": "storyfuse, lines of the HTML page", **line_scores(chosen, lambda lp: model.junk(lp.lines, lp.dom))},
            {"system": "pattern list (storyfuse before, same run)",
             **line_scores(chosen, lambda lp: [is_junk_line(line) for line in lp.lines])},
            {"system": "trafilatura 2.3 main text (same run)", **line_scores(chosen, trafilatura_junk)},
        ],
        "published_anchor": ANCHOR,
    }
