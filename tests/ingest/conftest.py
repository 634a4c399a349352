"""Ingest tests never touch the network: only the local test servers on 127.0.0.1 are reached.

Feed entries with a teaser are fetched from their links; the test feeds link to made-up
`.invalid` hosts, which must fail at once, here and on a machine with a network.
"""

import http.server
import socket
import threading
from collections import Counter
from dataclasses import dataclass

import pytest

_LOCAL = {"127.0.0.1", "localhost", "::1"}
_real_getaddrinfo = socket.getaddrinfo


def _local_only(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name not in _LOCAL:
        raise socket.gaierror(socket.EAI_NONAME, f"network blocked in tests: {name}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _local_only)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Route:
    """What the local server answers on one path."""

    body: bytes
    ctype: str = "text/html; charset=utf-8"
    status: int = 200
    drip_s: float = 0.0  # pause before each byte of the body: a server that never finishes
    drip_status_line: bool = False  # drip the status line too: the headers never finish


class LocalWeb:
    """A threading HTTP server on 127.0.0.1 serving ``routes``, counting requests per path."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        web = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?")[0]
                web.hits[path] += 1
                route = web.routes.get(path)
                try:
                    if route is None:
                        self.send_error(404, "Not Found")
                    elif route.drip_status_line:
                        web.drip(self.wfile, b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n", route.drip_s)
                    else:
                        self.send_response(route.status)
                        self.send_header("Content-Type", route.ctype)
                        self.send_header("Content-Length", str(len(route.body)))
                        self.end_headers()
                        if route.drip_s:
                            web.drip(self.wfile, route.body, route.drip_s)
                        else:
                            self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up: what the slow routes are for

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def drip(self, out, data: bytes, pause: float) -> None:
        for i in range(len(data)):
            if self.stopping.wait(pause):
                return
            out.write(data[i:i + 1])
            out.flush()

    def serve(self, path: str, body: bytes, **how) -> str:
        """Answer ``path`` with ``body`` (``how``: the other fields of Route); its full URL."""
        self.routes[path] = Route(body, **how)
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def web():
    server = LocalWeb()
    try:
        yield server
    finally:
        server.close()
