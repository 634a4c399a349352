"""Additions of articles from the web UI: each one a subprocess (``web.worker``) working
through the store's single writer lock, one at a time, in the order they were asked for.

A job's inputs are written into a folder of its own under the server's private temporary
folder; the server names every path: an uploaded file keeps only its own name, cleaned up
(no folders, letters, digits, dots, dashes and underscores), which the readers go by and
which becomes its article id."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

JOB_ID = re.compile(r"[0-9a-f]{32}")
MAX_RUNNING = 1  # writes take turns on the store's writer lock anyway
KEEP_FINISHED = 200


class JobStatus(BaseModel):
    id: str
    state: Literal["queued", "running", "finished", "failed"]
    stage: str | None
    done: int
    total: int | None
    message: str | None
    inputs: list[str]  # what was asked for, as the user named it
    read: int | None = None
    added: int | None = None
    already_stored: int | None = None
    rejected: list[dict[str, str]] = []
    events: list[dict[str, Any]] = []  # {"id", "new"}: the new or changed events
    error: str | None = None


@dataclass
class Job:
    id: str
    folder: Path
    labels: list[str] = field(default_factory=list)  # the inputs as the user named them
    inputs: list[str] = field(default_factory=list)  # what the run reads: files of the job, URLs
    process: subprocess.Popen | None = None
    result: dict[str, Any] | None = None
    created: float = field(default_factory=time.monotonic)


def safe_stem(name: str) -> str:
    """An uploaded file's name as an article id: letters, digits, dots, dashes and
    underscores only, no folders, at most 80 characters."""
    stem = re.sub(r"[^\w.-]+", "_", Path(name.replace("\\", "/")).name).strip("._")
    suffix = "".join(Path(stem).suffixes[-2:])[:20]  # kept whole: the readers go by it ("x.warc.gz")
    return (stem[: 80 - len(suffix)] + suffix if len(stem) > 80 else stem) or "upload"


class JobManager:
    def __init__(self, db: str, allow_private_urls: bool = False):
        self.db = db
        self.allow_private_urls = allow_private_urls
        self.root = Path(tempfile.mkdtemp(prefix="storyfuse-jobs-"))
        self._jobs: dict[str, Job] = {}
        self._queue: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def new_job(self) -> Job:
        job_id = secrets.token_hex(16)
        folder = self.root / job_id
        (folder / "inputs").mkdir(parents=True)
        return Job(job_id, folder)

    def add_text(self, job: Job, text: str, title: str | None, source: str | None) -> None:
        """Pasted text: a text file with front matter; its id is a hash of the text, so the
        same text pasted twice is already stored the second time."""
        import hashlib

        digest = hashlib.sha256(text.strip().encode()).hexdigest()[:12]
        lines = ["---"] + [f"{k}: {' '.join(v.split())}" for k, v in (("title", title), ("source", source)) if v]
        body = "\n".join(lines + ["---", ""]) + text if len(lines) > 1 else text
        path = job.folder / "inputs" / f"pasted-{digest}.txt"
        path.write_text(body, encoding="utf-8")
        job.labels.append(f"pasted text ({title or text.strip()[:40]})")
        job.inputs.append(str(path))

    def add_file(self, job: Job, name: str, data: bytes) -> None:
        """An uploaded file, under its cleaned-up name (the readers go by its extension)."""
        stem = safe_stem(name)
        path, n = job.folder / "inputs" / stem, 1
        while path.exists():
            n += 1
            path = job.folder / "inputs" / f"{n}-{stem}"
        path.write_bytes(data)
        job.labels.append(name)
        job.inputs.append(str(path))

    def add_url(self, job: Job, url: str) -> None:
        job.labels.append(url)
        job.inputs.append(url)

    def submit(self, job: Job, source: str | None) -> str:
        spec = {"db": self.db, "inputs": job.inputs, "labels": job.labels, "source": source or None,
                "public_only": not self.allow_private_urls}
        (job.folder / "job.json").write_text(json.dumps(spec), encoding="utf-8")
        with self._lock:
            self._jobs[job.id] = job
            self._queue.append(job.id)
            self._forget_old()
        self._start_waiting()
        return job.id

    def status(self, job_id: str) -> JobStatus | None:
        if not JOB_ID.fullmatch(job_id):
            return None
        self._reap()
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            return None
        progress = _read(job.folder / "status.json") or {}
        result = job.result or {}
        state: Literal["queued", "running", "finished", "failed"]
        if job.process is None and job.result is None:
            state = "queued"
        elif job.result is None:
            state = "running"
        else:
            state = "failed" if "error" in result else "finished"
        return JobStatus(id=job.id, state=state, stage=progress.get("stage"), done=progress.get("done", 0),
                         total=progress.get("total"), message=progress.get("message"), inputs=job.labels,
                         read=result.get("read"), added=result.get("added"),
                         already_stored=result.get("already_stored"), rejected=result.get("rejected", []),
                         events=result.get("events", []), error=result.get("error"))

    def _reap(self) -> None:
        with self._lock:
            for job in self._jobs.values():
                if job.process is not None and job.result is None and job.process.poll() is not None:
                    job.result = _read(job.folder / "result.json") or {
                        "error": f"the addition stopped unexpectedly (exit status {job.process.returncode})"}
                    shutil.rmtree(job.folder / "inputs", ignore_errors=True)

    def _start_waiting(self) -> None:
        self._reap()
        with self._lock:
            running = sum(1 for j in self._jobs.values() if j.process is not None and j.result is None)
            while self._queue and running < MAX_RUNNING:
                job = self._jobs[self._queue.pop(0)]
                job.process = subprocess.Popen(
                    [sys.executable, "-m", "storyfuse.web.worker", str(job.folder)],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                running += 1

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.result is not None]
        for job in sorted(finished, key=lambda j: j.created)[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[job.id]
            shutil.rmtree(job.folder, ignore_errors=True)

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self._start_waiting()

    def wait(self, job_id: str, timeout: float = 120) -> JobStatus | None:
        """The job's status once it has ended (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status(job_id)
            if status is None or status.state in ("finished", "failed"):
                return status
            time.sleep(0.2)
        return self.status(job_id)

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            for job in self._jobs.values():
                if job.process is not None and job.process.poll() is None:
                    job.process.terminate()
                    try:
                        job.process.wait(10)
                    except subprocess.TimeoutExpired:
                        job.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
