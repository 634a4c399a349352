"""ECB+ (Cybulska & Vossen 2014): tokenised news documents grouped by real-world event.

Each topic folder holds two events of the same kind: ``N_Kecb.xml`` documents report one,
``N_Kecbplus.xml`` the other. Sentence 0 of an ``ecbplus`` document is its source URL and is
dropped (it would give the answer away).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .data import dataset_dir

DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)  # the usual development split


@dataclass(frozen=True, slots=True)
class EcbDocument:
    doc_id: str  # e.g. "1_10ecbplus"
    topic: int
    half: str  # "ecb" or "ecbplus": which of the topic's two events
    text: str

    @property
    def event(self) -> str:
        return f"{self.topic}_{self.half}"


_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]) ")


def detokenize(tokens: list[str]) -> str:
    """Rejoin ECB+ tokens into plain prose (the tokeniser split off punctuation)."""
    text = " ".join(tokens)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1", text)
    text = re.sub(r'" (.*?) "', r'"\1"', text)
    return re.sub(r"(\w) - (?=\w)", r"\1-", text)  # "90 - day" was "90-day"


def read_document(path: Path) -> EcbDocument:
    root = ET.parse(path).getroot()
    sentences: dict[int, list[str]] = {}
    for token in root.iter("token"):
        sentences.setdefault(int(token.get("sentence") or 0), []).append(token.text or "")
    stem = path.stem
    half = "ecbplus" if stem.endswith("ecbplus") else "ecb"
    if half == "ecbplus":
        sentences.pop(0, None)
    text = "\n\n".join(detokenize(tokens) for _, tokens in sorted(sentences.items()))
    return EcbDocument(stem, int(stem.split("_")[0]), half, text)


def load_documents(data: str | Path | None = None, topics: tuple[int, ...] | None = None) -> list[EcbDocument]:
    root = dataset_dir("ecbplus", data) / "ECB+"
    docs = []
    for folder in sorted(root.iterdir(), key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit() else 0)):
        if not folder.is_dir() or not folder.name.isdigit():
            continue
        if topics is not None and int(folder.name) not in topics:
            continue
        for path in sorted(folder.glob("*.xml")):
            docs.append(read_document(path))
    return docs
