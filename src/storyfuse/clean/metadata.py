"""Metadata of an article: publication time, language, plain field values."""

from __future__ import annotations

import datetime as dt
import re

import py3langid

from .text import normalize


def detect_language(text: str) -> str:
    return py3langid.classify(text[:5000])[0]


def normalize_timestamp(value: str | None) -> str | None:
    """ISO 8601 as given when it parses; a bare date stays a date (no invented midnight);
    anything dateparser cannot read is dropped."""
    if not value:
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value).isoformat()
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        import dateparser  # imported here: slow to import and rarely needed

        parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first"})
        if parsed is None:
            return None
        has_time = re.search(r"\d{1,2}[:.h]\d{2}|\b\d{1,2}\s*(am|pm|a\.m\.|p\.m\.)", value, re.I)
        return parsed.isoformat() if has_time else parsed.date().isoformat()


def clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = normalize(str(value)).replace("\n", " ").strip()
    return value or None


