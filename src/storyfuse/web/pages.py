"""The HTML pages: events, an event, an article, an entity, search, adding articles and its
progress, and the login that adding needs when the server has a token."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from .api import DATE, PAGE_SIZE, Order, events_filter, not_found, start_addition
from .app import MAX_BODY_BYTES, html, web_of
from .security import AUTH_COOKIE, CSRF_COOKIE, csrf_ok, new_csrf
from .views import EventDetail, article_detail, entity_detail, event_list, search

router = APIRouter(include_in_schema=False)


def _page_link(request: Request, offset: int | None) -> str | None:
    if offset is None:
        return None
    params = {k: v for k, v in request.query_params.items() if k != "offset" and v}
    if offset:
        params["offset"] = str(offset)
    return f"{request.url.path}?{urlencode(params)}" if params else request.url.path


def _with_csrf(request: Request, template: str, context: dict, status: int = 200) -> Response:
    """A page holding a form: it carries a CSRF token, which its cookie repeats."""
    token = request.cookies.get(CSRF_COOKIE) or new_csrf()
    response = html(request, template, context | {"csrf": token}, status)
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


@router.get("/", response_class=HTMLResponse)
def events_page(request: Request, order: Order = "newest",
                since: Annotated[str | None, Query(pattern=f"{DATE}|^$")] = None,
                until: Annotated[str | None, Query(pattern=f"{DATE}|^$")] = None,
                outlet: Annotated[str | None, Query(max_length=200)] = None,
                entity: Annotated[str | None, Query(max_length=200)] = None,
                who: Annotated[str | None, Query(max_length=200)] = None,
                offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    web = web_of(request)
    view = event_list(web.store(), events_filter(order, since, until, outlet, entity, offset, PAGE_SIZE),
                      web.thread_map(), who)
    return html(request, "events.html", {"view": view, "next": _page_link(request, view.paging.next_offset),
                                         "prev": _page_link(request, view.paging.prev_offset)})


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=500)] = "",
                offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    view = search(web_of(request).store(), q, offset, PAGE_SIZE) if q.strip() else None
    return html(request, "search.html", {"q": q, "view": view,
                                         "next": _page_link(request, view.paging.next_offset if view else None),
                                         "prev": _page_link(request, view.paging.prev_offset if view else None)})


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> Response:
    web = web_of(request)

    def render(view: EventDetail) -> bytes:
        context = {"view": view, "numbers": {a.id: a.number for a in view.articles},
                   "outlet_of": {a.id: a.source or "(no outlet)" for a in view.articles}}
        return bytes(html(request, "event.html", context).body)

    resolved, body = web.event_page(event_id, "html", render)
    if resolved is None:
        raise not_found("event", event_id)
    if resolved != event_id:  # merged into another event: its page is the other's
        return RedirectResponse(f"/events/{resolved}", status_code=301)
    return HTMLResponse(body)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> Response:
    view = article_detail(web_of(request).store(), article_id)
    if view is None:
        raise not_found("article", article_id)
    return html(request, "article.html", {"view": view})


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> Response:
    web = web_of(request)
    view = entity_detail(web.store(), entity_id, web.thread_map())
    if view is None:
        raise not_found("entity", entity_id)
    return html(request, "entity.html", {"view": view})


def _may_add(request: Request) -> bool:
    return web_of(request).guard.allowed(request.cookies, None)


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request) -> Response:
    if not _may_add(request):
        return RedirectResponse("/login?next=/add", status_code=303)
    return _with_csrf(request, "add.html", {"error": None, "form": {}, "logged_in": web_of(request).guard.required})


@router.post("/add", response_class=HTMLResponse)
async def add_submit(request: Request) -> Response:
    if not _may_add(request):
        return RedirectResponse("/login?next=/add", status_code=303)
    form = await request.form(max_files=100, max_fields=20, max_part_size=MAX_BODY_BYTES)
    if not csrf_ok(request.cookies.get(CSRF_COOKIE), _field(form, "csrf")):
        raise HTTPException(403, "the form has expired or came from another site; reload the page and try again")
    files = []
    for upload in form.getlist("files"):
        if isinstance(upload, UploadFile) and upload.filename:
            files.append((upload.filename, await upload.read()))
    fields = {k: _field(form, k) for k in ("text", "title", "source", "url")}
    try:  # a host name to resolve and files to write: off the event loop, which serves every page
        job_id = await run_in_threadpool(start_addition, request, fields["text"], fields["title"], fields["source"],
                                         fields["url"], files)
    except HTTPException as err:
        return _with_csrf(request, "add.html", {"error": err.detail, "form": fields,
                                                "logged_in": web_of(request).guard.required}, err.status_code)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def _field(form, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> Response:
    status = web_of(request).jobs.status(job_id)
    if status is None:
        raise not_found("job", job_id)
    return html(request, "job.html", {"job": status})


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/add") -> Response:
    return _with_csrf(request, "login.html", {"error": None, "next": _local(next)})


@router.post("/login", response_class=HTMLResponse)
async def login_submit(request: Request) -> Response:
    web = web_of(request)
    form = await request.form(max_files=0, max_fields=5)
    if not csrf_ok(request.cookies.get(CSRF_COOKIE), _field(form, "csrf")):
        raise HTTPException(403, "the form has expired or came from another site; reload the page and try again")
    target = _local(_field(form, "next") or "/add")
    if not web.guard.required:
        return RedirectResponse(target, status_code=303)
    if not web.guard.check_token(_field(form, "token") or ""):
        return _with_csrf(request, "login.html", {"error": "That is not the server's token.", "next": target}, 401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(AUTH_COOKIE, web.guard.session_value(), httponly=True, samesite="strict", path="/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    if not csrf_ok(request.cookies.get(CSRF_COOKIE), _field(form, "csrf")):
        raise HTTPException(403, "the form has expired or came from another site; reload the page and try again")
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(AUTH_COOKIE, path="/")
    return response


def _local(target: str) -> str:
    """Only a path of this site may follow a login (never another site: an open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/add"
