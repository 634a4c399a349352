"""Reading bytes from disk safely: size limits, binary detection and decoding with exact errors."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:]+)""", re.I)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a whole file, turning every OS error into an InputError that names the file."""
    label = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(label, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit ([ingest] max_bytes)")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(label, "permission denied: the file cannot be read") from None
    except IsADirectoryError:
        raise InputError(label, "is a directory where a file was expected") from None
    except OSError as err:
        raise InputError(label, f"cannot be read: {err.strerror or err}") from None
    if not data.strip():
        raise InputError(label, "empty file")
    return data


def looks_binary(data: bytes) -> bool:
    """NUL bytes never occur in text files in any encoding we read (UTF-8 or legacy)."""
    return b"\x00" in data[:8192]


def decode_text(data: bytes, label: str) -> str:
    """Decode UTF-8 (with or without BOM); say at which byte it fails."""
    if looks_binary(data):
        raise InputError(label, "binary file, not text (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        snippet = data[max(0, err.start - 10): err.start + 10]
        raise InputError(
            label, f"invalid UTF-8 at byte {err.start} (near {snippet!r}); save the file as UTF-8"
        ) from None


def decode_html(data: bytes, label: str) -> str:
    """HTML may declare a legacy charset in a <meta> tag; honour it, else require UTF-8."""
    if looks_binary(data):
        raise InputError(label, "binary file, not HTML (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            charset = declared.group(1).decode("ascii", "replace")
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
        return decode_text(data, label)  # raises with the byte position
