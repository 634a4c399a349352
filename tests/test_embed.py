"""Tests for storyfuse.embed: offline MiniLM sentence embeddings (loads the model: slow)."""

from __future__ import annotations

import os
import types
from pathlib import Path

import numpy as np
import pytest

from storyfuse.context import Models
from storyfuse.embed import (
    DIMENSIONS,
    STATIC_DIMENSIONS,
    SentenceEncoder,
    StaticEncoder,
    build_static_model,
    cached_vectors,
    pack,
    static_model_dir,
    unpack,
    vector_key,
)

from conftest import MODELS


@pytest.fixture(scope="module")
def embed():
    """The module's functions, with the session's encoder."""
    return types.SimpleNamespace(DIMENSIONS=DIMENSIONS, pack=pack, unpack=unpack,
                                 embed_sentences=MODELS.encoder.encode)


def test_embed_sentences_returns_one_float32_row_of_dimensions_per_text(embed):
    vectors = embed.embed_sentences(["The ferry ran aground off Quillhaven.", "A bakery won a prize for rye bread."])
    assert vectors.shape == (2, embed.DIMENSIONS)
    assert vectors.dtype == np.float32


def test_embed_sentences_rows_have_unit_norm(embed):
    vectors = embed.embed_sentences(["The ferry ran aground off Quillhaven.", "Short.", "x " * 300])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_embed_sentences_paraphrases_are_closer_than_unrelated_sentences(embed):
    a, b, c = embed.embed_sentences([
        "Two workers were injured when a crane collapsed at the Harlow depot.",
        "A crane fell over at the depot in Harlow, hurting two employees.",
        "The town council approved a new budget for public libraries.",
    ])
    assert float(a @ b) > float(a @ c) + 0.2


def test_embed_sentences_is_deterministic(embed):
    text = ["Fire broke out at the paper mill late on Sunday night."]
    assert np.allclose(embed.embed_sentences(text), embed.embed_sentences(text), atol=1e-6)


def test_embed_sentences_of_no_texts_is_an_empty_matrix(embed):
    vectors = embed.embed_sentences([])
    assert vectors.shape == (0, embed.DIMENSIONS) and vectors.dtype == np.float32


def test_token_vectors_carry_the_same_sentence_vector_as_encode():
    text = "The river Calder burst its banks at Wenbury."
    (tokens,) = MODELS.encoder.encode_tokens([text])
    (vector,) = MODELS.encoder.encode([text])
    assert float(tokens.sentence @ vector) > 0.999


def test_token_vectors_leave_out_punctuation_and_special_pieces():
    (tokens,) = MODELS.encoder.encode_tokens(["Fire, at the mill!"])
    assert tokens.pieces == ("fire", "at", "the", "mill")
    assert tokens.vectors.shape == (4, DIMENSIONS)
    assert np.allclose(np.linalg.norm(tokens.vectors, axis=1), 1.0, atol=1e-4)


def test_token_vectors_of_no_texts_are_none():
    assert MODELS.encoder.encode_tokens([]) == []


def test_pack_unpack_round_trips_within_a_thousandth(embed):
    (vector,) = embed.embed_sentences(["The river Calder burst its banks at Wenbury."])
    restored = embed.unpack(embed.pack(vector))
    assert restored.dtype == np.float32 and restored.shape == vector.shape
    assert np.max(np.abs(restored - vector)) < 1e-3


def test_pack_halves_the_size_of_a_float32_vector(embed):
    vector = np.ones(embed.DIMENSIONS, dtype=np.float32) / np.sqrt(embed.DIMENSIONS)
    assert len(embed.pack(vector)) == embed.DIMENSIONS * 2


def test_packed_cosine_moves_by_less_than_a_thousandth(embed):
    a, b = embed.embed_sentences(["Police shut the bypass into Wenbury.", "The bypass to Wenbury was closed by police."])
    exact = float(a @ b)
    packed = float(embed.unpack(embed.pack(a)) @ embed.unpack(embed.pack(b)))
    assert abs(packed - exact) < 1e-3


def test_the_model_loads_and_embeds_with_every_network_connection_refused():
    import subprocess
    import sys

    script = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network is off in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from storyfuse.embed import SentenceEncoder\n"
        "print(SentenceEncoder().encode(['The quay reopened on Monday.']).shape)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("(1, 384)")


def test_the_model_is_loaded_once_by_its_owner():
    assert MODELS.encoder is MODELS.encoder


def test_loading_the_model_changes_no_environment_variable():
    before = dict(os.environ)
    Models().encoder.encode(["The quay reopened."])
    assert dict(os.environ) == before


class MemoryCache:
    def __init__(self):
        self.rows, self.saved = {}, []

    def get(self, keys):
        return {k: self.rows[k] for k in keys if k in self.rows}

    def save(self, rows):
        self.saved.extend(k for k, _ in rows)
        self.rows.update(rows)


def test_cached_vectors_embed_each_distinct_sentence_once():
    cache = MemoryCache()
    texts = ["The quay reopened.", "The quay reopened.", "Ferries ran late."]
    first = cached_vectors(texts, MODELS.encoder, cache)
    again = cached_vectors(texts, MODELS.encoder, cache)
    assert first.shape == (3, 384) and np.allclose(first, again)
    assert sorted(cache.saved) == sorted({vector_key(t) for t in texts})


def test_loading_and_embedding_do_not_touch_the_network(embed, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    vectors = SentenceEncoder().encode(["The ferry ran aground off Quillhaven."])  # loaded again, from disk
    assert vectors.shape == (1, embed.DIMENSIONS)


# --- the static model distilled from MiniLM ------------------------------------------------------


def test_static_token_vectors_leave_out_punctuation_and_have_unit_norm():
    (tokens,) = MODELS.static.encode_tokens(["Fire, at the mill!"])
    assert tokens.pieces == ("fire", "at", "the", "mill")
    assert tokens.vectors.shape == (4, STATIC_DIMENSIONS)
    assert np.allclose(np.linalg.norm(tokens.vectors, axis=1), 1.0, atol=1e-4)
    assert float(np.linalg.norm(tokens.sentence)) == pytest.approx(1.0, abs=1e-4)


def test_static_vectors_of_an_empty_text_have_no_pieces():
    (tokens,) = MODELS.static.encode_tokens([""])
    assert tokens.pieces == () and tokens.vectors.shape == (0, STATIC_DIMENSIONS)


def test_static_sentence_vectors_put_paraphrases_closer_than_unrelated_sentences():
    a, b, c = MODELS.static.encode([
        "Two workers were injured when a crane collapsed at the Harlow depot.",
        "A crane fell over at the depot in Harlow, hurting two employees.",
        "The town council approved a new budget for public libraries.",
    ])
    assert float(a @ b) > float(a @ c)


def test_the_static_model_folder_follows_storyfuse_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYFUSE_CACHE_DIR", str(tmp_path))
    assert static_model_dir().parent == tmp_path


def test_a_built_static_model_is_loaded_not_built_again(monkeypatch):
    import storyfuse.embed as embed_module

    def refuse(folder):
        raise AssertionError(f"built again into {folder}")

    assert MODELS.static.model is not None  # built or found by the session
    monkeypatch.setattr(embed_module, "build_static_model", refuse)
    assert StaticEncoder().encode(["The quay reopened."]).shape == (1, STATIC_DIMENSIONS)


@pytest.mark.slow
def test_the_static_model_is_built_offline_and_the_same_every_time(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "static"
    script = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network is off in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from pathlib import Path\n"
        "from storyfuse.embed import build_static_model\n"
        "build_static_model(Path(sys.argv[1]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    out = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, env=env,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    text = ["The river Calder burst its banks at Wenbury."]
    assert np.array_equal(StaticEncoder(folder).encode(text), MODELS.static.encode(text))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".building-")]  # no half-built leftovers


@pytest.fixture
def quick_distill(monkeypatch):
    """model2vec's distill replaced by one that writes ``config.json`` holding ``{"built": true}``."""
    import model2vec.distill

    class Built:
        def save_pretrained(self, path):
            Path(path).mkdir()
            (Path(path) / "config.json").write_text('{"built": true}')

    monkeypatch.setattr(model2vec.distill, "distill", lambda **kwargs: Built())


def test_building_into_a_folder_that_another_process_filled_keeps_the_first(tmp_path, quick_distill):
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    assert build_static_model(folder) == folder
    assert (folder / "config.json").read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["static"]


def test_a_folder_that_cannot_be_written_is_a_message_naming_the_setting(tmp_path):
    from storyfuse.errors import StoryfuseError

    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StoryfuseError, match="STORYFUSE_CACHE_DIR"):
        build_static_model(tmp_path / "a-file" / "static")


def test_a_half_copied_model_folder_is_replaced_by_a_whole_build(tmp_path, quick_distill):
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "model.safetensors").write_text("half")
    build_static_model(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["config.json"]
    assert (folder / "config.json").read_text() == '{"built": true}'
    assert (folder / "config.json").stat().st_mode & 0o044 == 0o044  # readable by others sharing the cache


def test_stored_vectors_give_what_the_cache_holds_and_compute_nothing():
    from storyfuse.embed import stored_vectors

    cache = MemoryCache()
    cached_vectors(["The quay reopened."], MODELS.encoder, cache)
    found = stored_vectors(["The quay reopened.", "Ferries ran late."], cache)
    assert list(found) == ["The quay reopened."] and found["The quay reopened."].shape == (384,)


def test_as_stored_gives_vectors_at_the_stores_precision():
    from storyfuse.embed import as_stored

    vectors = MODELS.encoder.encode(["The quay reopened.", "Ferries ran late."])
    assert np.array_equal(as_stored(vectors)[1], unpack(pack(vectors[1])))
