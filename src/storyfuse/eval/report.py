"""Printing scores: ours, the baselines computed in the same run, and the published anchor."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def print_scores(result: dict) -> None:
    table = Table(title=f"storyfuse eval {result['task']}: {result['dataset']}, {result['split']} split, "
                        f"{result['documents']} documents")
    table.add_column("system")
    for metric in result["metrics"]:
        table.add_column(metric.replace("_", " "), justify="right")
    for row in result["rows"]:
        table.add_row(row["system"], *(f"{row[m]:.3f}" for m in result["metrics"]))
    console = Console()
    console.print(table)
    console.print(f"Published anchor: {result['published_anchor']}")
