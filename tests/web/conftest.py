"""The web UI's fixtures: a copy of the demo store, the app on it, a live server in a thread,
and Debian's chromium driven by playwright (skipped, saying so, where it is not installed)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyfuse.store import Store
from storyfuse.web import create_app

from .live import CHROMIUM


@pytest.fixture(scope="module")
def web_db(demo, tmp_path_factory) -> Path:
    """A copy of the demo store that the tests of one module read."""
    target = tmp_path_factory.mktemp("web") / "demo.db"
    with Store(demo[0]) as store:
        store.checkpoint()
    shutil.copy(demo[0], target)
    return target


@pytest.fixture(scope="module")
def client(web_db) -> Iterator[TestClient]:
    with TestClient(create_app(web_db)) as c:
        yield c


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--no-sandbox", "--disable-background-networking"])
        yield b
        b.close()
