"""Printing scores: ours, the baselines computed in the same run, and the published anchor."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def print_scores(result: dict) -> None:
    table = Table(title=f"storyfuse eval {result['task']}: {result['dataset']} {result['split']} split, "
                        f"{result['documents']} documents, {result['gold_events']} events")
    for column in ("system", "B³ precision", "B³ recall", "B³ F1"):
        table.add_column(column, justify="left" if column == "system" else "right")
    rows = [
        (f"storyfuse (threshold {result['cluster_threshold']}, {result['predicted_events']} events)", result["storyfuse"]),
        (f"TF-IDF average linkage (distance {result['baseline_tfidf_average_linkage']['distance_threshold_tuned_on_dev']}"
         ", tuned on dev)", result["baseline_tfidf_average_linkage"]),
        ("one event per topic", result["one_event_per_topic"]),
        ("one event per document", result["one_event_per_document"]),
    ]
    for name, score in rows:
        table.add_row(name, f"{score['precision']:.3f}", f"{score['recall']:.3f}", f"{score['f1']:.3f}")
    console = Console()
    console.print(table)
    console.print(f"Published anchor: {result['published_anchor']}")
