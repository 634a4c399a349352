"""Reading bytes from disk safely: size limits, binary detection and decoding with exact errors."""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
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


def gunzip(data: bytes, label: str, max_bytes: int) -> bytes:
    """Decompress a .gz input, refusing what would grow past the size limit."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as err:
        raise InputError(label, f"not a readable gzip file: {err}") from None
    if len(out) > max_bytes:
        raise InputError(label, f"decompresses to over the {max_bytes:,}-byte limit ([ingest] max_bytes)")
    if not out.strip():
        raise InputError(label, "empty file (after decompression)")
    return out


def looks_binary(data: bytes) -> bool:
    """NUL bytes never occur in text files in any encoding we read (UTF-8 or legacy)."""
    return b"\x00" in data[:8192]


# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _decode_marked(data: bytes, label: str) -> str | None:
    """Text that starts with a UTF-16 or UTF-32 byte-order mark (Windows editors save
    "Unicode" text so); None when there is no such mark. The mark itself is dropped."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as err:
                at = err.start + len(bom)
                raise InputError(label, f"invalid {name} at byte {at} (the file starts with a {name} byte-order "
                                        f"mark); save the file as UTF-8") from None
            if "\x00" in text[:8192]:  # binary data that happens to start with the mark
                raise InputError(label, f"binary file, not text (starts with a {name} byte-order mark but "
                                        "holds NUL characters)")
            return text
    return None


def decode_text(data: bytes, label: str) -> str:
    """Decode UTF-8 (with or without BOM), or UTF-16/32 with a BOM; say at which byte it fails."""
    marked = _decode_marked(data, label)
    if marked is not None:
        return marked
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
    """Decode a web page as browsers do: UTF-8, else the charset its <meta> declares, else
    (the WHATWG default for undeclared legacy pages) windows-1252. A UTF-8 page with a stray
    invalid byte or two keeps its UTF-8, the bad bytes shown as U+FFFD. A UTF-16 or UTF-32
    byte-order mark wins over any declared charset."""
    marked = _decode_marked(data, label)
    if marked is not None:
        return marked
    if looks_binary(data):
        raise InputError(label, "binary file, not HTML (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii", "replace")
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ord(ch) > 127) - bad
    if good > 0 and bad <= max(2, good // 100):
        return lenient
    return data.decode("cp1252", errors="replace")
