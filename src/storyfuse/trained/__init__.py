"""Trained models shipped in the package, one task each: ``TASK.npz`` and ``TASK.card.json``.

- ``TASK.npz``: plain numeric arrays (``numpy.savez_compressed``, read with
  ``allow_pickle=False``) and one JSON string, ``params``, with what the arrays mean (feature
  names, hashing size, thresholds, calibration). No pickle and no scikit-learn object: a
  model loads whatever scikit-learn version is installed. Features are hashed or named in
  code, never a vocabulary learned from third-party text, so no such text is in the file.
  At most ``MAX_BYTES``.
- ``TASK.card.json``: how it was made: the training data files with their SHA-256, the seed,
  the library versions, the chosen settings and the scores (cross-validated on the training
  part; the development split scored once). No text from the data.

``storyfuse train TASK`` rebuilds a model deterministically (``storyfuse.train``).
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StoryfuseError

MAX_BYTES = 2_000_000


class ModelMissingError(StoryfuseError):
    def __init__(self, task: str):
        super().__init__(f"the trained model {task!r} is not in this installation of storyfuse; "
                         f"rebuild it with `storyfuse train {task}` (it needs ../shared/data or --data)")


@dataclass(frozen=True)
class TrainedModel:
    task: str
    arrays: dict[str, np.ndarray]
    params: dict[str, Any]


def package_folder() -> Path:
    return Path(str(resources.files("storyfuse.trained")))


def shipped() -> list[str]:
    """The tasks whose model ships in this installation."""
    return sorted(p.name.removesuffix(".npz") for p in package_folder().glob("*.npz"))


def load(task: str, folder: Path | None = None) -> TrainedModel:
    path = (folder or package_folder()) / f"{task}.npz"
    if not path.is_file():
        raise ModelMissingError(task)
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files if k != "params"}
        params = json.loads(str(data["params"]))
    return TrainedModel(task, arrays, params)


def load_card(task: str, folder: Path | None = None) -> dict[str, Any]:
    path = (folder or package_folder()) / f"{task}.card.json"
    if not path.is_file():
        raise ModelMissingError(task)
    card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return card


def save(task: str, arrays: dict[str, np.ndarray], params: dict[str, Any], card: dict[str, Any],
         folder: Path | None = None) -> Path:
    """Write ``TASK.npz`` and ``TASK.card.json``; refuse a model over ``MAX_BYTES``."""
    folder = folder or package_folder()
    buffer = io.BytesIO()
    plain = {k: np.ascontiguousarray(v) for k, v in sorted(arrays.items())}
    if any(v.dtype == object for v in plain.values()):
        raise ValueError("trained arrays must be numeric (no Python objects: they would need pickle)")
    np.savez_compressed(buffer, params=np.array(json.dumps(params, sort_keys=True)), **plain)  # type: ignore[arg-type]
    if buffer.tell() > MAX_BYTES:
        raise ValueError(f"the {task} model takes {buffer.tell():,} bytes; the limit is {MAX_BYTES:,}")
    path = folder / f"{task}.npz"
    path.write_bytes(buffer.getvalue())
    (folder / f"{task}.card.json").write_text(json.dumps(card, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_card(task: str, *, seed: int, data_root: Path, data_files: list[Path], settings: dict[str, Any],
              scores: dict[str, Any], description: str) -> dict[str, Any]:
    """A model card: what the model is for, what it was trained on and how well it does."""
    import sklearn

    from .. import __version__

    return {
        "task": task,
        "description": description,
        "seed": seed,
        "data": [{"file": p.relative_to(data_root).as_posix(), "sha256": sha256(p)} for p in sorted(data_files)],
        "versions": {"storyfuse": __version__, "python": platform.python_version(), "numpy": np.__version__,
                     "scikit-learn": sklearn.__version__},
        "settings": settings,
        "scores": scores,
    }
