"""``storyfuse eval extraction``: main-text extraction on the trafilatura-eval pages that the
junk model was not trained on (the held-out sites of ``eval.junk``), with that benchmark's
method: per page, a must-keep snippet found in the output is a true positive, one missing a
false negative; a must-drop snippet found is a false positive. Precision and recall over all
snippets, and the time per page.

Beside storyfuse (``storyfuse extract``: trafilatura, then the learned junk pass), in the
same process on the same pages: trafilatura 2.3 with its default settings and with
``include_comments=False, favor_precision=True``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .junk import TEST_SHARE
from .pages import Page, load_pages, train_test_by_site

ANCHOR = ("published (2026-08, all pages): trafilatura 2.2.0 F1 0.924, magic-html 0.889, justext 0.862, "
          "news-please 0.836, readability-lxml 0.826, goose3 0.810, newspaper4k 0.801, raw HTML 0.667; "
          "target: F1 at least 0.01 above the better trafilatura setting, at no more than 1.5x its time per page")


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def benchmark(pages: list[Page], extract: Callable[[Page], str]) -> dict[str, float]:
    tp = fn = fp = 0
    started = time.perf_counter()
    outputs = [_norm(extract(page)) for page in pages]
    seconds = time.perf_counter() - started
    for page, out in zip(pages, outputs):
        for snippet in page.with_snippets:
            if _norm(snippet) in out:
                tp += 1
            else:
                fn += 1
        fp += sum(1 for snippet in page.without_snippets if _norm(snippet) in out)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(1e-9, precision + recall), 4),
            "ms_per_page": round(1000 * seconds / max(1, len(pages)), 1)}


def evaluate(split: str = "dev", data: str | None = None, config: object = None) -> dict:
    import trafilatura

    from ..clean import clean_document
    from ..config import Config
    from ..context import Models
    from ..errors import InputError
    from ..models import RawDocument

    if split not in ("dev", "train", "all"):
        raise ValueError(f"unknown split {split!r}: use dev (held-out sites), train or all")
    pages = load_pages(data)
    train, held_out = train_test_by_site(pages, TEST_SHARE)
    chosen = [p for p in pages if split == "all" or p.page_id in (held_out if split == "dev" else train)]
    cfg = config if isinstance(config, Config) else Config()
    junk = Models().junk
    junk.probabilities(["warm-up line"])  # loads the word lists before the clock starts

    def url(page: Page) -> str | None:
        return page.url if page.url.startswith("http") else None

    def ours(page: Page) -> str:
        doc = RawDocument(page.page_id, page.page_id, "html", page.html, {"url": url(page) or ""})
        try:
            article = clean_document(doc, cfg.clean, junk)
        except InputError:
            return ""
        return f"{article.title or ''}\n{article.text}"

    def theirs(**settings: Any) -> Callable[[Page], str]:
        return lambda page: trafilatura.extract(page.html, url=url(page), **settings) or ""

    rows = [
        {"system": "storyfuse", **benchmark(chosen, ours)},
        {"system": "trafilatura 2.3, default settings (same run)", **benchmark(chosen, theirs())},
        {"system": "trafilatura 2.3, include_comments=False, favor_precision=True (same run)",
         **benchmark(chosen, theirs(include_comments=False, favor_precision=True))},
    ]
    return {"task": "extraction", "dataset": "trafilatura-eval pages", "split": split, "documents": len(chosen),
            "metrics": ["precision", "recall", "f1", "ms_per_page"], "rows": rows, "published_anchor": ANCHOR}
