"""``storyfuse eval TASK``: scorers and dataset loaders, one module per task.

Every task returns one result object of the same shape (``EvalResult``): ``task``,
``dataset``, ``split``, ``documents``, ``metrics``, ``rows`` (each ``{"system": name,
<metric>: value}``; storyfuse's own row is named exactly ``storyfuse``, baselines computed in
the same run beside it), ``published_anchor`` and, for a cross-validated split (``cv``),
``folds`` with each fold's figures. Extra keys are welcome.

Conventions: a model is tuned (features, settings) by cross-validation inside the training
part only; the development split is scored, never tuned on. The data sets live outside the
repository (``--data``, ``$STORYFUSE_DATA`` or ``../shared/data``); nothing here copies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict


class EvalResult(TypedDict):
    task: str
    dataset: str
    split: str
    documents: int
    metrics: list[str]
    rows: list[dict[str, Any]]
    published_anchor: str
    folds: NotRequired[list[dict[str, Any]]]


@dataclass(frozen=True)
class EvalTask:
    module: str  # defines evaluate(split, data, config) -> EvalResult
    help: str
    default_split: str


TASKS: dict[str, EvalTask] = {
    "cluster": EvalTask("storyfuse.eval.cluster", "event clustering, B³ on ECB+ (--split dev|train|all)", "dev"),
    "quotes": EvalTask("storyfuse.eval.quotes", "direct quotes and speakers on PolNeAR (--split dev|train|cv)", "dev"),
    "conflicts": EvalTask("storyfuse.eval.conflicts", "contradictions: changed figures caught, flags on real ECB+ "
                          "articles labelled (--split dev|train|all)", "dev"),
    "align": EvalTask("storyfuse.eval.align", "same claim or not, MRPC sentence pairs (--split cv|test)", "cv"),
    "dates": EvalTask("storyfuse.eval.dates", "DATE values on TempEval-3 (all)", "all"),
    "entities": EvalTask("storyfuse.eval.entities", "cross-document names, B³ on MEANTIME + ECB+ (--split dev|train|all)", "dev"),
    "metadata": EvalTask("storyfuse.eval.metadata", "title, author, date, outlet on trafilatura-eval (--split all|train|dev)", "all"),
    "junk": EvalTask("storyfuse.eval.junk", "page-junk lines, trafilatura-eval held-out sites (--split dev|train)",
                     "dev"),
    "extraction": EvalTask("storyfuse.eval.extraction", "main text, trafilatura-eval held-out sites (--split dev)",
                           "dev"),
}


def check_result(result: dict[str, Any]) -> EvalResult:
    """The shape every task returns; raises ValueError naming what is missing."""
    for key in ("task", "dataset", "split", "documents", "metrics", "rows", "published_anchor"):
        if key not in result:
            raise ValueError(f"eval result of {result.get('task')!r} has no {key!r}")
    if not any(r.get("system") == "storyfuse" for r in result["rows"]):
        raise ValueError(f"eval result of {result['task']!r} has no row named 'storyfuse'")
    for row in result["rows"]:
        missing = [m for m in result["metrics"] if m not in row]
        if missing:
            raise ValueError(f"row {row.get('system')!r} lacks {missing}")
    if result["split"] == "cv" and not result.get("folds"):
        raise ValueError("a cross-validated result lists its folds")
    return result  # type: ignore[return-value]
