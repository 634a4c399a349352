"""What the command line shows: progress while running, then the events and the counts."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from .context import Progress
from .models import StoredEvent
from .pipeline import RunReport

err_console = Console(stderr=True)
# Redirected output is read later, often in a wide window: do not squeeze tables to 80 columns.
out_console = Console() if sys.stdout.isatty() else Console(width=160)


class TerminalProgress(Progress):
    """A rich progress bar on a terminal; silent when output goes to a file or pipe."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self._bar = RichProgress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err_console, transient=True,
        ) if self.enabled else None
        self._task: TaskID | None = None

    def __enter__(self):
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar:
            self._bar.stop()

    def stage(self, name: str, total: int | None = None) -> None:
        if not self._bar:
            return
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self._bar and self._task is not None:
            self._bar.advance(self._task, n)

    def message(self, text: str) -> None:
        err_console.print(escape(text), style="yellow", highlight=False, soft_wrap=True)


def print_run(report: RunReport, events: list[StoredEvent], total_events: int) -> None:
    """The events this run changed, then the counts and every rejection with its reason."""
    table = Table(title=f"{len(events)} of the {total_events} events in the store updated by this run")
    for column in ("event", "title", "dates", "articles", "corroborated", "contradicted", "single source", "quotes"):
        table.add_column(column, overflow="fold")
    for ev in events:
        counts = ev.status_counts()
        table.add_row(
            escape(ev.id), escape(ev.title or ""), f"{ev.start or '?'} – {ev.end or '?'}", str(len(ev.articles)),
            str(counts["corroborated"]), str(counts["contradicted"]), str(counts["single_source"]),
            str(len(ev.story.quotes) if ev.story else 0),
        )
    if events:
        out_console.print(table)
    out_console.print(
        f"read {report.read} = added {report.added} + already stored {report.already_stored} "
        f"+ rejected {len(report.rejected)}"
        + (f"  (of the added: {report.duplicates} duplicates, {report.not_analysed} not analysed)"
           if report.duplicates or report.not_analysed else "")
    )
    for r in report.rejected:
        # paths and reasons come from inputs: never read as markup ("[x]a.txt" stays "[x]a.txt")
        err_console.print(f"[red]rejected[/red] {escape(r.input)}: {escape(r.reason)}", highlight=False, soft_wrap=True)
