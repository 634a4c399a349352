"""The JSON API: the twin of every page, and adding articles (``POST /api/articles``).
The request parsing shared with the pages lives here too."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from ..models import EventFilter
from .app import ApiError, web_of
from .jobs import JobStatus
from .security import UrlRefused, check_public_url
from .views import (
    ArticleDetail,
    EntityDetail,
    EventDetail,
    EventList,
    SearchResults,
    article_detail,
    entity_detail,
    event_list,
    search,
)

router = APIRouter(prefix="/api", tags=["api"], responses={404: {"model": ApiError}, 422: {"model": ApiError}})

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PAGE_SIZE = 20
MAX_PAGE = 100
MAX_TEXT = 2_000_000  # characters of pasted text

Order = Literal["newest", "size"]


def _date(name: str, value: str | None) -> str | None:
    """A year, month or day as given, or None; HTTPException for one that does not exist."""
    if not value:
        return None
    try:
        dt.date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        raise HTTPException(422, f"{name}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return value


def events_filter(order: Order, since: str | None, until: str | None, outlet: str | None, entity: str | None,
                  offset: int, limit: int) -> EventFilter:
    since, until = _date("since", since), _date("until", until)
    return EventFilter(order=order, since=since or None, until=until or None, outlet=outlet or None,
                       entity=entity or None, offset=offset, limit=limit)


def not_found(what: str, ident: str) -> HTTPException:
    return HTTPException(404, f"no {what} with id {ident!r}")


@router.get("/events", response_model=EventList, summary="Events, newest first or by size, filtered")
def api_events(request: Request, order: Order = "newest",
               since: Annotated[str | None, Query(pattern=DATE, description="events ending on or after")] = None,
               until: Annotated[str | None, Query(pattern=DATE, description="events starting on or before")] = None,
               outlet: Annotated[str | None, Query(max_length=200)] = None,
               entity: Annotated[str | None, Query(max_length=200, description="an entity id")] = None,
               who: Annotated[str | None, Query(max_length=200, description="an entity's name or alias")] = None,
               offset: Annotated[int, Query(ge=0)] = 0,
               limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE_SIZE) -> EventList:
    web = web_of(request)
    return event_list(web.store(), events_filter(order, since, until, outlet, entity, offset, limit),
                      web.thread_map(), who)


def _event_json(view: EventDetail) -> bytes:
    return view.model_dump_json().encode()


@router.get("/events/{event_id}", response_model=EventDetail, summary="One event: summary, facts, conflicts, "
            "quotes, entities, timeline, coverage by outlet")
def api_event(request: Request, event_id: str) -> Response:
    resolved, body = web_of(request).event_page(event_id, "json", _event_json)
    if resolved is None:
        raise not_found("event", event_id)
    return Response(body, media_type="application/json")


@router.get("/articles/{article_id:path}", response_model=ArticleDetail,
            summary="One article: cleaned text with entities, quotes and dates, removed junk, copies")
def api_article(request: Request, article_id: str) -> ArticleDetail:
    found = article_detail(web_of(request).store(), article_id)
    if found is None:
        raise not_found("article", article_id)
    return found


@router.get("/entities/{entity_id}", response_model=EntityDetail, summary="One entity: aliases, events, quotes")
def api_entity(request: Request, entity_id: str) -> EntityDetail:
    web = web_of(request)
    found = entity_detail(web.store(), entity_id, web.thread_map())
    if found is None:
        raise not_found("entity", entity_id)
    return found


@router.get("/search", response_model=SearchResults, summary="Articles, facts and quotes matching every word")
def api_search(request: Request, q: Annotated[str, Query(min_length=1, max_length=500)],
               offset: Annotated[int, Query(ge=0)] = 0,
               limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE_SIZE) -> SearchResults:
    return search(web_of(request).store(), q, offset, limit)


class AddRequest(BaseModel):
    """Text to add as an article, or a URL to fetch (a page or a feed)."""

    text: str | None = Field(None, max_length=MAX_TEXT)
    title: str | None = Field(None, max_length=500)
    source: str | None = Field(None, max_length=200, description="the outlet, when the input does not say")
    url: str | None = Field(None, max_length=2000)


def start_addition(request: Request, text: str | None, title: str | None, source: str | None, url: str | None,
                   files: list[tuple[str, bytes]]) -> str:
    """Check what was given and start adding it; the job's id. HTTPException for what cannot
    be added."""
    web = web_of(request)
    text = (text or "").strip() or None
    url = (url or "").strip() or None
    if not (text or url or files):
        raise HTTPException(400, "nothing to add: paste a text, give a URL or choose files")
    if url:
        if not re.match(r"^https?://", url, re.I):
            raise HTTPException(400, "only http:// and https:// addresses can be added")
        if not web.jobs.allow_private_urls:
            try:
                check_public_url(url)
            except UrlRefused as err:
                raise HTTPException(400, str(err)) from None
    job = web.jobs.new_job()
    if text:
        web.jobs.add_text(job, text, title, source)
    for name, data in files:
        web.jobs.add_file(job, name, data)
    if url:
        web.jobs.add_url(job, url)
    return web.jobs.submit(job, source)


@router.post("/articles", status_code=202, response_model=JobStatus,
             responses={400: {"model": ApiError}, 401: {"model": ApiError}, 413: {"model": ApiError},
                        415: {"model": ApiError}},
             summary="Add an article (text or URL); the pipeline runs in the background")
def api_add(request: Request, response: Response, body: AddRequest,
            content_type: Annotated[str | None, Header()] = None,
            authorization: Annotated[str | None, Header()] = None) -> JobStatus:
    web = web_of(request)
    if not (content_type or "").lower().startswith("application/json"):
        raise HTTPException(415, "send the request as application/json")
    if not web.guard.allowed(request.cookies, authorization):
        raise HTTPException(401, "adding articles needs the server's token: send 'Authorization: Bearer TOKEN'")
    job_id = start_addition(request, body.text, body.title, body.source, body.url, [])
    response.headers["Location"] = f"/api/jobs/{job_id}"
    status = web.jobs.status(job_id)
    assert status is not None
    return status


@router.get("/jobs/{job_id}", response_model=JobStatus, summary="Progress and outcome of an addition")
def api_job(request: Request, job_id: str) -> JobStatus:
    status = web_of(request).jobs.status(job_id)
    if status is None:
        raise not_found("job", job_id)
    return status
