"""Safe by default: security headers with a content security policy that forbids inline
script, a cap on request bodies, the token that guards adding articles when the server is
reachable from other machines, CSRF tokens for forms, and a check that URLs added from the
UI do not point inside the network."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import socket
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
AUTH_COOKIE = "storyfuse_auth"
CSRF_COOKIE = "storyfuse_csrf"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")  # what a browser sends as Host to a loopback server


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI: no buffering of bodies)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)


class HostCheck:
    """Answers only requests addressed to one of ``allowed`` (the Host header, without its
    port): a page of another site whose name was re-pointed at 127.0.0.1 (DNS rebinding) is
    refused, though the browser takes it for that site's own."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...], on_refuse):
        self.app, self.allowed, self.on_refuse = app, {h.lower() for h in allowed}, on_refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.allowed:
                await self.on_refuse(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyTooLarge(HTTPException):
    """Raised while a body is read (FastAPI lets an HTTPException through its body parsing)."""

    def __init__(self, max_bytes: int):
        super().__init__(413, f"the request is larger than {max_bytes // 1_000_000} MB")


class BodyLimit:
    """Refuses request bodies over ``max_bytes``: by their declared length before reading, and
    by counting when no length is declared."""

    def __init__(self, app: ASGIApp, max_bytes: int, on_refuse):
        self.app = app
        self.max_bytes = max_bytes
        self.on_refuse = on_refuse  # an ASGI app answering 413 in the API's error shape

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self.on_refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await self.on_refuse(scope, receive, send)


class Guard:
    """Who may add articles. Without a token (the default on 127.0.0.1) anyone who can reach
    the server may; with one, a browser logs in once (an HttpOnly, SameSite cookie derived
    from the token) and API clients send ``Authorization: Bearer TOKEN``."""

    def __init__(self, token: str | None):
        self.token = token
        self._key = secrets.token_bytes(32)  # signs cookies; a restart logs everyone out

    @property
    def required(self) -> bool:
        return self.token is not None

    def check_token(self, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def session_value(self) -> str:
        assert self.token is not None
        return hmac.new(self._key, b"session:" + self.token.encode(), hashlib.sha256).hexdigest()

    def allowed(self, cookies: dict[str, str], authorization: str | None) -> bool:
        if self.token is None:
            return True
        if authorization and authorization.lower().startswith("bearer "):
            return self.check_token(authorization[7:].strip())
        return hmac.compare_digest(cookies.get(AUTH_COOKIE, ""), self.session_value())


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def csrf_ok(cookie: str | None, field: str | None) -> bool:
    """A form's CSRF field must repeat the cookie set with the page that showed the form (a
    page of another site can neither read that cookie nor have it sent: SameSite=Strict)."""
    return bool(cookie) and bool(field) and hmac.compare_digest(cookie.encode(), field.encode())  # type: ignore[union-attr]


class UrlRefused(ValueError):
    pass


def check_public_url(url: str) -> None:
    """Raise UrlRefused unless ``url`` is http(s) and its host resolves only to public
    addresses (the fetch checks again, on the address it connects to, redirects included)."""
    from ..ingest.fetch import is_public_address

    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UrlRefused("only http:// and https:// addresses can be added")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme.lower() == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise UrlRefused(f"{parts.hostname}: host name not found") from None
    if any(not is_public_address(str(info[4][0])) for info in infos):
        raise UrlRefused(f"{parts.hostname} is a loopback, private or link-local address; only public "
                         "addresses can be added from the web UI")
