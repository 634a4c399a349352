"""Where results are written, checked before any work starts, and what a fault of the
database or the disk means to the user, in one line."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from .errors import StoryfuseError


class OutputError(StoryfuseError):
    """A file or folder results should go to cannot be written."""


def check_output_file(path: str | Path, option: str) -> None:
    """Raise ``OutputError`` when ``path`` cannot be written as a file: a missing or read-only
    folder, or a folder where a file should be."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give {option} a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist; create it or give {option} another path")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError(f"{path}: cannot be written (permission denied); give {option} another path")


def check_output_folder(path: str | Path, option: str) -> None:
    """Raise ``OutputError`` when ``path`` is not a folder that exists or can be made."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: is a file; give {option} a folder")
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK):
        raise OutputError(f"{path}: cannot be written (permission denied); give {option} another folder")


def store_fault(db: str | Path, err: sqlite3.Error) -> str:
    """A one-line message for a database error met while working, saying what to do."""
    text = str(err)
    low = text.lower()
    if "readonly" in low or "read-only" in low:
        hint = "the database file or its folder is read-only; make them writable, or use another --db"
    elif "disk is full" in low or "disk full" in low:
        hint = "the disk is full; free some space and run again (what was stored before is kept)"
    elif "malformed" in low or "not a database" in low or "corrupt" in low:
        hint = ("the database file is damaged; restore it from a copy, or use another --db "
                "(`sqlite3 FILE .recover` may save its content)")
    elif "locked" in low or "busy" in low:
        hint = "another program holds the database; wait for it to end, or use another --db"
    else:
        hint = "run again; if it happens again, check the file with `sqlite3 FILE 'PRAGMA integrity_check'`"
    return f"{db}: database error ({text}): {hint}"


def pg_fault(db: str, err: Exception) -> str:
    """A one-line message for a PostgreSQL error met while working (the address without its
    password)."""
    from .store.postgres.db import redacted

    first = (str(err).strip().splitlines() or [type(err).__name__])[0]
    name = type(err).__name__
    if name in ("OperationalError", "InterfaceError"):
        hint = "the server went away or refused the work; check it is running, then run again (what was stored is kept)"
    elif name in ("DiskFull", "InsufficientResources"):
        hint = "the server's disk is full; free some space and run again (what was stored is kept)"
    elif name in ("InsufficientPrivilege", "ReadOnlySqlTransaction"):
        hint = "the database user may not write here; grant it the rights, or use another --db"
    else:
        hint = "run again; if it happens again, please report it"
    return f"{redacted(db)}: database error ({first}): {hint}"


def os_fault(err: OSError) -> str:
    """A one-line message for a file system error, naming the path."""
    where = err.filename or "a file"
    if err.errno == errno.ENOSPC:
        return f"{where}: the disk is full; free some space and run again (what was stored is kept)"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where}: permission denied; make it writable or choose another path"
    return f"{where}: {err.strerror or err}"
