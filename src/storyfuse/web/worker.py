"""One addition of articles from the web UI, run in its own process
(``python -m storyfuse.web.worker JOB_FOLDER``) so that the server's pages stay responsive.

It reads ``job.json`` (the store, the inputs, the outlet name, whether URLs must be public),
runs the pipeline (which waits for the store's single writer lock like any run), keeps
``status.json`` up to date with the stage and its progress, and writes ``result.json``: the
counts, the rejections with their reasons, and the events that are new or changed."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from ..context import Progress


def write_json(path: Path, value: Any) -> None:
    """Written whole or not at all: the server may read it at any moment."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


class FileProgress(Progress):
    """The pipeline's progress, in ``status.json`` (at most five writes a second)."""

    def __init__(self, path: Path):
        self.path = path
        self.state: dict[str, Any] = {"stage": "starting", "done": 0, "total": None, "message": None}
        self._written = 0.0
        self._write(force=True)

    def _write(self, force: bool = False) -> None:
        if force or time.monotonic() - self._written > 0.2:
            write_json(self.path, self.state)
            self._written = time.monotonic()

    def stage(self, name: str, total: int | None = None) -> None:
        self.state.update(stage=name, done=0, total=total)
        self._write(force=True)

    def advance(self, n: int = 1) -> None:
        self.state["done"] += n
        self._write()

    def message(self, text: str) -> None:
        self.state["message"] = text
        self._write(force=True)


def run_job(folder: Path) -> dict[str, Any]:
    from ..config import load_config
    from ..errors import StoryfuseError
    from ..pipeline import run
    from ..store import Store

    job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    progress = FileProgress(folder / "status.json")
    try:
        config = load_config(None)
        if job.get("public_only", True):
            config = config.model_copy(update={"ingest": config.ingest.model_copy(
                update={"public_addresses_only": True})})
        with Store(job["db"]) as store:
            before = set(store.events.ids())
            report = run(job["inputs"], store, config, source=job.get("source"), progress=progress)
            labels = {i: label for i, label in zip(job["inputs"], job.get("labels", job["inputs"]), strict=False)}
            events = []
            for event_id in report.events_updated:
                if store.events.exists(event_id):
                    events.append({"id": event_id, "new": event_id not in before})
        return {"read": report.read, "added": report.added, "already_stored": report.already_stored,
                "rejected": [{"input": labels.get(r.input, r.input), "reason": r.reason} for r in report.rejected],
                "events": events}
    except StoryfuseError as err:
        return {"error": str(err)}
    finally:
        progress.stage("finished")


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    try:
        result = run_job(folder)
    except Exception as err:  # noqa: BLE001 - reported to the page, never a traceback there
        result = {"error": f"the addition failed ({type(err).__name__}: {' '.join(str(err).split())[:200]}); "
                           "please report this as a bug"}
    write_json(folder / "result.json", result)
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
