"""The web UI's fixtures: a copy of the demo store, the app on it, a live server in a thread,
and Debian's chromium driven by playwright (skipped, saying so, where it is not installed)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from storyfuse.store import Store
from storyfuse.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


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


class LiveServer:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread of the test process."""

    def __init__(self, app):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(20)
        self.sock.close()


def live(db: Path, **options) -> LiveServer:
    return LiveServer(create_app(db, **options))


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
