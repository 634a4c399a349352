"""Tests for storyfuse.embed: offline MiniLM sentence embeddings (loads the model: slow)."""

from __future__ import annotations

import os
import types

import numpy as np
import pytest

from storyfuse.context import Models
from storyfuse.embed import DIMENSIONS, SentenceEncoder, cached_vectors, pack, unpack, vector_key

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
