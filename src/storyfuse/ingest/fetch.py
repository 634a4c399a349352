"""HTTP(S) fetching with a size limit and an overall deadline.

urllib's ``timeout`` bounds each socket operation, not the whole fetch: a server that sends
one byte a second never trips it. Here a watchdog thread shuts the fetch's sockets down when
the deadline passes, which wakes any blocked read (headers, TLS handshake or body alike), and
the fetch then reports a time-out. Nothing is cached between fetches.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

USER_AGENT = "storyfuse/0.1 (+offline news corroboration)"
FETCH_DEADLINE_S = 20.0  # connect + headers + whole body; read at call time, so tests can lower it
_CHUNK = 65536
_SAFE = "/%:@!$&'()*+,;=~?"  # what quote() leaves alone in a path or query: the URL's own syntax


def url_id(url: str) -> str:
    """A readable id from a URL: host and path, without scheme, query or trailing slash."""
    bare = re.sub(r"^https?://", "", url).split("#")[0].split("?")[0].rstrip("/")
    return bare or url


def is_web_url(url: str) -> bool:
    return bool(re.match(r"^https?://[^/\s]", url, re.I))


class FetchError(Exception):
    """A fetch that failed; ``reason`` is one short line. ``unreachable`` means the host could
    not be reached at all (name, connection), so other URLs on it will fail the same way."""

    def __init__(self, reason: str, unreachable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.unreachable = unreachable


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes
    media_type: str  # lower case, without parameters; "" when the server gave none
    url: str  # after redirects


class _Watchdog:
    """Shuts down every socket of one fetch when its deadline passes."""

    def __init__(self, seconds: float, public_only: bool = False):
        self.seconds = seconds
        self.public_only = public_only  # refuse connections to loopback, private, link-local... addresses
        self.expired = False
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.001, self._end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        # A duplicate keeps the connection reachable after TLS wrapping detaches the original.
        dup = sock.dup()
        with self._lock:
            self._socks.append(dup)
            expired = self.expired
        if expired:
            _shut(dup)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            socks = list(self._socks)
        for sock in socks:
            _shut(sock)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            socks, self._socks = self._socks, []
        for sock in socks:
            sock.close()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the other side


def is_public_address(address: str) -> bool:
    """A globally routable unicast address: not loopback, private, link-local, reserved or
    multicast (an IPv4 address mapped into IPv6 is judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _WatchedHTTP(http.client.HTTPConnection):
    watchdog: _Watchdog

    def connect(self) -> None:
        self.timeout = self.watchdog.remaining()  # the connect itself must fit in the deadline
        super().connect()
        self.watchdog.watch(self.sock)
        # Checked on the address actually connected to, for every hop of a redirect: a name
        # that resolves differently the second time cannot reach an inside address.
        if self.watchdog.public_only and not is_public_address(self.sock.getpeername()[0]):
            self.sock.close()
            raise FetchError(f"refused: {self.host} is a loopback, private or link-local address")


class _WatchedHTTPS(http.client.HTTPSConnection, _WatchedHTTP):
    """HTTPSConnection.connect calls _WatchedHTTP.connect (the MRO), so the plain socket is
    watched before the TLS handshake."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self._watchdog = watchdog

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        def connection(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            conn = _WatchedHTTP(host, **kwargs)
            conn.watchdog = self._watchdog
            return conn

        return self.do_open(connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self._watchdog = watchdog

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        def connection(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            conn = _WatchedHTTPS(host, **kwargs)
            conn.watchdog = self._watchdog
            return conn

        return self.do_open(connection, req, context=ssl.create_default_context())


def _opener(watchdog: _Watchdog) -> urllib.request.OpenerDirector:
    # Built by hand: no FTP or file handlers, so a redirect cannot leave http(s). Where only
    # public addresses may be reached, no proxy: the address checked must be the site's.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler({} if watchdog.public_only else None),
        urllib.request.UnknownHandler(),
        _HTTPHandler(watchdog),
        _HTTPSHandler(watchdog),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, max_bytes: int, deadline_s: float | None = None, public_only: bool = False) -> Fetched:
    """GET ``url``; the whole fetch (connect, headers, body) must end within ``deadline_s``
    seconds (default ``FETCH_DEADLINE_S``) and the body must not exceed ``max_bytes``;
    ``public_only`` refuses loopback, private and link-local addresses (redirects included).
    Raises FetchError with a short reason."""
    if not is_web_url(url):
        raise FetchError("not an http(s) URL")
    seconds = FETCH_DEADLINE_S if deadline_s is None else deadline_s
    watchdog = _Watchdog(seconds, public_only)
    try:
        try:
            result = _get(url, max_bytes, watchdog)
        finally:
            watchdog.close()
        if watchdog.expired:
            raise FetchError(f"timed out after {seconds:g} s")
        return result
    except FetchError:
        raise
    except urllib.error.HTTPError as err:
        err.close()
        raise FetchError(f"HTTP error {err.code} {_short(err.reason)}") from None
    except (OSError, http.client.HTTPException, ValueError) as err:
        raise _failure(err, seconds, watchdog.expired) from None


def ascii_url(url: str) -> str:
    """An IRI (a non-ASCII path or host name, common in feeds) as a URL http.client can send:
    the host in IDNA, the rest percent-encoded as UTF-8."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    netloc = parts.netloc.encode("idna").decode("ascii")
    return urlunsplit(parts._replace(
        netloc=netloc, path=quote(parts.path, safe=_SAFE), query=quote(parts.query, safe=_SAFE), fragment=""))


def _get(url: str, max_bytes: int, watchdog: _Watchdog) -> Fetched:
    request = urllib.request.Request(ascii_url(url), headers={"User-Agent": USER_AGENT})
    with _opener(watchdog).open(request, timeout=watchdog.seconds) as response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"response is over the {max_bytes:,}-byte limit ([ingest] max_bytes)")
        chunks: list[bytes] = []
        total = 0
        while not watchdog.expired:
            chunk = response.read1(_CHUNK)  # read1 returns what has arrived: the deadline is checked often
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(f"response is over the {max_bytes:,}-byte limit ([ingest] max_bytes)")
            chunks.append(chunk)
        if not watchdog.expired and (response.length or 0) > 0:
            raise FetchError("the connection closed before the whole response arrived")
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return Fetched(b"".join(chunks), media, response.geturl())


def _failure(err: BaseException, seconds: float, expired: bool) -> FetchError:
    """A short reason for a failed fetch. urllib wraps errors of the connection phase in
    URLError: those mean the host cannot be reached. Each socket operation may take at most
    the time left, so a socket time-out too means the deadline has passed."""
    timed_out = f"timed out after {seconds:g} s"
    if isinstance(err, urllib.error.URLError):
        reason = err.reason
        if expired or isinstance(reason, TimeoutError):
            return FetchError(timed_out, unreachable=True)
        if isinstance(reason, socket.gaierror):
            return FetchError(f"cannot connect: host name not found ({_short(reason.strerror or reason)})", True)
        if isinstance(reason, OSError):
            return FetchError(f"cannot connect: {_short(reason.strerror or reason)}", True)
        return FetchError(f"cannot connect: {_short(reason)}", True)
    if expired or isinstance(err, TimeoutError):
        return FetchError(timed_out)
    if isinstance(err, http.client.IncompleteRead):
        return FetchError("the connection closed before the whole response arrived")
    if isinstance(err, http.client.HTTPException):
        return FetchError(f"not a valid HTTP response ({type(err).__name__})")
    if isinstance(err, OSError):
        return FetchError(f"connection failed: {_short(err.strerror or err)}")
    return FetchError(f"bad URL: {_short(err)}")


def _short(value: object, limit: int = 120) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
