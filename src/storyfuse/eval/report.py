"""Printing scores: ours, the baselines computed in the same run, and the published anchor."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def _cell(value) -> str:
    return f"{value:.3f}" if isinstance(value, float | int) else str(value)


def print_scores(result: dict) -> None:
    table = Table(title=f"storyfuse eval {result['task']}: {result['dataset']}, {result['split']} split, "
                        f"{result['documents']} documents")
    table.add_column("system")
    for metric in result["metrics"]:
        table.add_column(metric.replace("_", " "), justify="right")
    per_fold = all("fold_f1" in row for row in result["rows"])
    if per_fold:  # a cross-validated result: the worst fold and every fold beside the mean
        table.add_column("worst fold f1", justify="right")
        table.add_column("f1 per fold", justify="right")
    for row in result["rows"]:
        extra = [f"{row['worst_fold_f1']:.3f}", " ".join(f"{v:.3f}" for v in row["fold_f1"])] if per_fold else []
        table.add_row(row["system"], *(_cell(row[m]) for m in result["metrics"]), *extra)
    console = Console()
    console.print(table)
    if result.get("folds"):
        if all(isinstance(f, dict) for f in result["folds"]):
            console.print("Folds: " + "; ".join(", ".join(f"{k} {v}" for k, v in f.items()) for f in result["folds"]))
        else:
            console.print("Folds (topics held out): " + "; ".join(", ".join(map(str, f)) for f in result["folds"]))
    if isinstance(result.get("threads"), dict):
        t = result["threads"]
        console.print(f"Threads: {t['threads']}; event pairs linked across topics: {t['event_pairs_across_topics']}; "
                      f"topics whose two events are linked: {t['topics_with_their_two_events_linked']} "
                      f"{t['linked_topics']}")
    if "worst_fold_gap_to_stronger_baseline" in result:
        console.print(f"Worst fold against the stronger baseline: {result['worst_fold_gap_to_stronger_baseline']:+.3f}")
    console.print(f"Published anchor: {result['published_anchor']}")
