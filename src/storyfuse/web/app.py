"""The web UI and JSON API over a store (``storyfuse serve``): server-rendered pages, each
with a JSON twin under ``/api``, one error shape for every API error, security headers on
every response, and additions of articles run in a subprocess."""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import StoryfuseError
from ..report import label_name, plural, slot_name
from ..store import Store
from .jobs import JobManager
from .security import HEADERS, BodyLimit, Guard, HostCheck, SecurityHeaders
from .views import EventDetail, ThreadCache, ThreadRef, event_detail

MAX_BODY_BYTES = 20_000_000  # the largest upload (the ingest size limit of one file)
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
         429: "too_many_requests", 500: "internal_error", 503: "unavailable"}


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str


class ApiError(BaseModel):
    """The one shape of every error the API answers."""

    error: ErrorBody


def error_json(status: int, message: str) -> JSONResponse:
    return JSONResponse(ApiError(error=ErrorBody(status=status, code=CODES.get(status, "error"),
                                                 message=message)).model_dump(), status_code=status)


def cite_links(ids: list[str], numbers: dict[str, int]) -> Markup:
    """Citations ``[1][4]`` linking to the articles, in numeric order. Built here rather than
    in a template macro: an event's fact table holds thousands of them. Every id is escaped."""
    pairs = sorted((numbers[a], a) for a in ids if a in numbers)
    return Markup('<span class="cites">' + "".join(
        f'<a class="cite" href="/articles/{escape(quote(a, safe="/"))}" title="{escape(a)}">[{n}]</a>'
        for n, a in pairs) + "</span>")


class PageCache:
    """The latest pages built (as bytes: nothing for the garbage collector to walk), by what
    they show and its version: a large event's page costs tens of milliseconds to build and
    is asked for far more often than it changes. A page is kept ``max_age_s`` at most: what
    it shows of other records (a sibling event's title, an entity's name) is not in its key."""

    def __init__(self, size: int = 64, max_age_s: float = 60.0):
        self.size, self.max_age_s = size, max_age_s
        self._items: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self._lock:
            if key in self._items:
                made, value = self._items[key]
                if time.monotonic() - made <= self.max_age_s:
                    self._items.move_to_end(key)
                    return value
                del self._items[key]
        return None

    def put(self, key: tuple, value: Any) -> Any:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class WebContext:
    """What every request needs: the store (one read-only connection per server thread),
    the token guard, the jobs, the thread cache and the templates."""

    def __init__(self, db: str, token: str | None, allow_private_urls: bool):
        self.db = db
        self.guard = Guard(token)
        self.jobs = JobManager(db, allow_private_urls)
        self.threads = ThreadCache()
        self.pages = PageCache()
        self._local = threading.local()
        self._stores: list[Any] = []
        self._stores_lock = threading.Lock()
        folder = resources.files("storyfuse").joinpath("web/templates")
        self.templates = Jinja2Templates(directory=str(folder))
        env = self.templates.env
        env.filters["q"] = lambda value: quote(str(value), safe="/")
        env.filters["cites"] = cite_links
        env.filters["kind"] = label_name
        env.filters["slot"] = slot_name
        env.globals["plural"] = plural
        env.globals["version"] = __version__

    def store(self):
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db, readonly=True)
            self._local.store = store
            with self._stores_lock:
                self._stores.append(store)
        return store

    @contextmanager
    def opened(self) -> Iterator[Any]:
        """A store of its own, for background work."""
        store = Store(self.db, readonly=True)
        try:
            yield store
        finally:
            store.close()

    def thread_map(self) -> dict[str, ThreadRef]:
        return self.threads.of(self.store(), self.opened)

    def event_page(self, event_id: str, kind: str, render: Callable[[EventDetail], bytes]) -> tuple[str | None, bytes]:
        """The event ``event_id`` names (itself, or the event it was merged into) and its page
        of this ``kind`` ("html", "json") as ``render`` writes it, kept while the event is
        unchanged; (None, b"") when there is no such event."""
        store, threads = self.store(), self.thread_map()
        resolved = store.events.resolve(event_id)
        if resolved is None:
            return None, b""
        thread = threads.get(resolved)
        key = ("event", kind, resolved, store.browse.event_version(resolved), tuple(thread.events) if thread else ())
        found = self.pages.get(key)
        if found is None:
            view = event_detail(store, resolved, threads)
            found = self.pages.put(key, render(view) if view is not None else b"")
        return resolved, found

    def close(self) -> None:
        self.jobs.close()
        with self._stores_lock:
            for store in self._stores:
                try:
                    store.close()
                except Exception:  # noqa: BLE001 - a connection of a finished thread
                    pass
            self._stores.clear()


def create_app(db: str | Path = "storyfuse.db", *, token: str | None = None, allowed_hosts: tuple[str, ...] | None = None,
               allow_private_urls: bool = False) -> FastAPI:
    """The app over the store at ``db`` (created when missing). ``token`` guards adding
    articles; ``allowed_hosts``: the only names requests may be addressed to (``serve`` on a
    loopback address allows the loopback names only); ``allow_private_urls`` lets URLs on
    loopback or private addresses be added (only the tests turn it on, to fetch from their
    local server)."""
    with Store(db):  # create or upgrade the store before opening it read-only
        pass
    web = WebContext(str(db), token, allow_private_urls)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # What is loaded by now lives as long as the server: the garbage collector need not
        # walk it again and again (its full passes stall every request being answered).
        gc.collect()
        gc.freeze()
        yield
        web.close()

    app = FastAPI(title="storyfuse", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url="/openapi.json",
                  description="Events, facts, quotes and entities across news outlets. Every page of the web "
                              "UI has a JSON twin here; every error has the shape of `ApiError`.",
                  responses={404: {"model": ApiError}, 422: {"model": ApiError}})
    app.state.web = web

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors()[:3]:
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "body", "path"))
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return _error(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(StoryfuseError)
    async def store_error(request: Request, exc: StoryfuseError) -> Response:
        return _error(request, 503, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        response = _error(request, 500, f"the server failed on this request ({type(exc).__name__}); "
                                        "please report this as a bug")
        # answered outside the middleware that adds the headers to every other response
        response.headers.update({k.decode(): v.decode() for k, v in HEADERS})
        return response

    from .api import router as api_router
    from .pages import router as page_router

    app.include_router(api_router)
    app.include_router(page_router)
    static = resources.files("storyfuse").joinpath("web/static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    async def too_large(scope, receive, send) -> None:
        await error_json(413, f"the request is larger than {MAX_BODY_BYTES // 1_000_000} MB")(scope, receive, send)

    async def wrong_host(scope, receive, send) -> None:
        await error_json(400, "this server answers only requests addressed to "
                              f"{', '.join(allowed_hosts or ())}")(scope, receive, send)

    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES, on_refuse=too_large)
    if allowed_hosts is not None:
        app.add_middleware(HostCheck, allowed=allowed_hosts, on_refuse=wrong_host)
    app.add_middleware(SecurityHeaders)

    def _error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return error_json(status, message)
        return web.templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                              status_code=status)

    return app


def web_of(request: Request) -> WebContext:
    return request.app.state.web


def html(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return web_of(request).templates.TemplateResponse(request, template, context, status_code=status)
