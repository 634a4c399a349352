"""``storyfuse train TASK``: rebuild a shipped model from the training part of the data.

Each task registers a trainer here. A trainer reads only the training part of its data set,
chooses its features and settings by cross-validation inside it (seeded, whole groups per
fold), fits the final model on all of it, scores the development split once, and writes
``trained/TASK.npz`` with its card (``storyfuse.trained``). The same data and seed give the
same files.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StoryfuseError

SEED = 20261201


@dataclass(frozen=True)
class Trainer:
    module: str  # defines train(data: str | None, out: Path | None) -> dict (the card)
    description: str


# The registry: a task is added here with its trainer module.
TRAINERS: dict[str, Trainer] = {
    "junk": Trainer("storyfuse.trainers.junk", "page-junk lines of extracted text (trafilatura-eval pages)"),
    "cluster": Trainer("storyfuse.trainers.cluster", "whether two articles report one event (ECB+ training topics)"),
    "align": Trainer("storyfuse.trainers.align", "whether two sentences state the same thing (MRPC training pairs)"),
    "quotes": Trainer("storyfuse.trainers.quotes", "whether a quotation is speech (PolNeAR training documents)"),
}


class UnknownTaskError(StoryfuseError):
    def __init__(self, task: str):
        known = ", ".join(sorted(TRAINERS)) or "none yet"
        super().__init__(f"no trainer for {task!r}; tasks: {known}")


def train(task: str, data: str | None = None, out: Path | None = None) -> dict[str, Any]:
    """Rebuild ``task``'s model (into the package, or into ``out``); returns its card."""
    if task not in TRAINERS:
        raise UnknownTaskError(task)
    card: dict[str, Any] = importlib.import_module(TRAINERS[task].module).train(data, out)
    return card
