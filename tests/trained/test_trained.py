"""Tests for storyfuse.trained: the shipped-model format, and that a built wheel carries every
model and data file the package needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from storyfuse import trained
from storyfuse.trained import MAX_BYTES, ModelMissingError, load, load_card, save

ROOT = Path(__file__).resolve().parents[2]


def test_a_saved_model_loads_back_equal(tmp_path):
    arrays = {"weights": np.array([0.5, -1.25]), "bias": np.array([0.1])}
    save("toy", arrays, {"features": ["a", "b"]}, {"task": "toy", "seed": 1}, tmp_path)
    model = load("toy", tmp_path)
    assert model.params == {"features": ["a", "b"]}
    assert set(model.arrays) == {"weights", "bias"} and np.array_equal(model.arrays["weights"], arrays["weights"])
    assert load_card("toy", tmp_path) == {"task": "toy", "seed": 1}


def test_a_saved_model_loads_without_pickle(tmp_path):
    save("toy", {"w": np.arange(3.0)}, {}, {}, tmp_path)
    with np.load(tmp_path / "toy.npz", allow_pickle=False) as data:
        assert sorted(data.files) == ["params", "w"]


def test_saving_python_objects_is_refused(tmp_path):
    with pytest.raises(ValueError, match="numeric"):
        save("toy", {"w": np.array([{"a": 1}], dtype=object)}, {}, {}, tmp_path)


def test_a_model_over_the_size_limit_is_refused(tmp_path):
    noise = np.random.default_rng(0).normal(size=MAX_BYTES // 4)  # random doubles hardly compress
    with pytest.raises(ValueError, match="the limit is"):
        save("big", {"w": noise}, {}, {}, tmp_path)
    assert not (tmp_path / "big.npz").exists()


def test_a_missing_model_says_how_to_rebuild_it(tmp_path):
    with pytest.raises(ModelMissingError, match="storyfuse train nothing"):
        load("nothing", tmp_path)


def test_every_shipped_model_has_a_card_within_the_size_limit():
    for task in trained.shipped():
        card = load_card(task)
        assert card["task"] == task and card["data"] and "seed" in card and "scores" in card
        assert (trained.package_folder() / f"{task}.npz").stat().st_size <= MAX_BYTES


@pytest.mark.slow
def test_a_built_wheel_carries_every_model_and_data_file(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("storyfuse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "storyfuse/schema/storyfuse-1.schema.json" in names
    assert any(n.startswith("storyfuse/sample/corpus/") for n in names)
    assert "storyfuse/eval/labels/outlets.tsv" in names
    shipped = sorted(p.name for p in (ROOT / "src/storyfuse/trained").glob("*.npz"))
    assert sorted(Path(n).name for n in names if n.startswith("storyfuse/trained/") and n.endswith(".npz")) == shipped
    # Installed alone in a fresh environment (numpy borrowed from this one), every model loads.
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    target = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    zipfile.ZipFile(wheel).extractall(target)
    numpy_home = str(Path(np.__file__).resolve().parents[1])
    script = ("import json, storyfuse.trained as t\n"
              "print(json.dumps({task: sorted(t.load(task).arrays) for task in t.shipped()}))\n")
    out = subprocess.run([str(venv / "bin" / "python"), "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": numpy_home}, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = json.loads(out.stdout)
    assert sorted(f"{task}.npz" for task in loaded) == shipped and all(loaded.values())
