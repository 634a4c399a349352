"""Where the development data sets are, and a clear error when they are not there."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import StoryfuseError


class DataNotFoundError(StoryfuseError):
    def __init__(self, wanted: str, tried: list[Path]):
        places = ", ".join(str(p) for p in tried)
        super().__init__(
            f"data set {wanted!r} not found (looked in {places}); pass --data DIR or set "
            f"STORYFUSE_DATA to the folder that holds it (see ../shared/data/README.md)"
        )


def data_root(given: str | Path | None = None) -> list[Path]:
    """Candidate data folders, most specific first."""
    if given:
        return [Path(given)]
    if os.environ.get("STORYFUSE_DATA"):
        return [Path(os.environ["STORYFUSE_DATA"])]
    project = Path(__file__).resolve().parents[3]  # src/storyfuse/eval/data.py -> project root
    return [project / ".." / "shared" / "data", Path.cwd() / ".." / "shared" / "data"]


def dataset_dir(name: str, given: str | Path | None = None) -> Path:
    tried = []
    for root in data_root(given):
        path = (root / name).resolve()
        tried.append(path)
        if path.is_dir():
            return path
    raise DataNotFoundError(name, tried)
