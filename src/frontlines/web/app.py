"""The web app: a JSON API over the store (documented by OpenAPI) and the offline map page."""

import json
import os
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..control import KIND_RANK
from ..errors import FrontlinesError, InputError
from ..export.map import DEFAULT_VIEW, UNKNOWN_COLOUR, safe_colour
from ..export.summary import date_range, summarize, summary_json
from ..export.timeline import build_timeline, note_parts
from ..profiles import Profile, load_profile
from ..store import Store, StoreError, open_store
from ..store.state import ControlIndex
from .apidocs import docs_page
from .cache import Answers
from .limits import (
    BUDGET_ENV,
    DEFAULT_MAX_POST_BYTES,
    DEFAULT_REQUEST_BUDGET_S,
    POST_ENV,
    RETRY_AFTER_S,
    IngestGate,
    SecurityHeaders,
    TimeBudget,
    env_number,
    ingest_refusal,
)

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"
MAX_PAGE = 1000
DEFAULT_PAGE = 100
MAX_OFFSET = 10**9  # far beyond any store, and within every database's integer range
# Rows (events and changes) one timeline answer covers; a longer one is paged by day.
MAX_TIMELINE_ROWS = 2000
# Requests served at once in worker threads (each holding one database connection): no more
# than the connection pool holds, so a request waits in line, never for a connection.  Two:
# the threads share one interpreter lock, so more of them add no speed, only contention with
# the event loop that answers the kept answers and control (measured: with 4, /api/control's
# p99 under benchmarks/web_load.py was 2-4 times as long and the throughput lower).
CONCURRENCY = 2
# The page and its assets come from this server only; nothing inline, nothing from elsewhere.
POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
          "frame-ancestors 'none'; form-action 'self'")
DESCRIPTION = """Read-only JSON over a frontlines store: merged events and control changes with
their evidence, control on a date, place histories, documents with their sentences, the
timeline and the infobox summary. `POST /api/documents` ingests a document only when the
server was started with `--allow-ingest`, and only with its bearer token. Errors are JSON:
`{"error": "...", "detail": [...]}`."""

ChangeKind = StrEnum("ChangeKind", sorted(KIND_RANK))


# --- parameters --------------------------------------------------------------------------------


def _iso_day(value: Any) -> Any:
    """A day written YYYY-MM-DD, as on the command line; anything else is refused."""
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("not a date in the form YYYY-MM-DD")
    return date.fromisoformat(value)


Day = Annotated[date | None, BeforeValidator(_iso_day)]


async def row_filters(
    since: Annotated[Day, Query(description="Only rows dated on or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[Day, Query(description="Only rows dated on or before this day (YYYY-MM-DD).")] = None,
    place: Annotated[str | None, Query(description="Only rows at this place: a name in any spelling, or a place id.")] = None,
    side: Annotated[str | None, Query(description="Only rows involving this side (a profile key).")] = None,
    doc: Annotated[str | None, Query(description="Only rows reported by this document (doc_id).")] = None,
) -> dict[str, Any]:
    """The filters of `frontlines events` and `changes`, shared by the row endpoints (async:
    checked on the event loop, not in a worker thread)."""
    if since and until and since > until:
        raise HTTPException(422, "since is after until")
    return {"since": since, "until": until, "place": place, "side": side, "doc": doc}


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Rows per page (at most {MAX_PAGE}).")] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")] = 0,
) -> dict[str, int]:
    return {"limit": limit, "offset": offset}


Filters = Annotated[dict, Depends(row_filters)]
Paging = Annotated[dict, Depends(paging)]


class DocumentIn(BaseModel):
    """A document to ingest: its text (plain, HTML or wikitext) and what is known of it."""

    text: str = Field(min_length=1, description="The document: plain text, an HTML page or wikitext.")
    format: Literal["text", "html", "wikitext"] | None = Field(None, description="Reader; guessed when omitted.")
    published: Day = Field(None, description="Publication date (YYYY-MM-DD) that relative dates resolve against.")
    source: str | None = Field(None, max_length=500, description="A name for the document (a file name or address).")


class ErrorOut(BaseModel):
    error: str
    detail: list[dict] | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Not found"},
    422: {"model": ErrorOut, "description": "Invalid parameters"},
}


# --- responses ---------------------------------------------------------------------------------


class JSONText(JSONResponse):
    """JSON written straight from the store's rows (dates as ISO text), UTF-8, compact."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str, separators=(",", ":")).encode("utf-8")


def error_reply(status: int, message: str, detail: list | None = None,
                headers: dict[str, str] | None = None) -> JSONText:
    body: dict[str, Any] = {"error": message}
    if detail is not None:
        body["detail"] = detail
    return JSONText(body, status_code=status, headers=headers)


def page_of(rows: list[dict], page: dict[str, int]) -> JSONText:
    """One page of rows (fetched with one row more than asked, to know if more follow)."""
    more = len(rows) > page["limit"]
    return JSONText({"items": rows[:page["limit"]], "limit": page["limit"], "offset": page["offset"],
                     "next_offset": page["offset"] + page["limit"] if more else None})


def found(value: dict | None, what: str, key: str) -> dict:
    if value is None:
        raise HTTPException(404, f"no {what} with id {key!r}")
    return value


# --- what the handlers compute over the store --------------------------------------------------


def render(content: Any) -> bytes:
    return json.dumps(content, ensure_ascii=False, default=str, separators=(",", ":")).encode("utf-8")


def day_span(store: Store) -> dict[str, str | None]:
    """The first and last day with a dated event or change, and the latest change's day (the
    page opens on it).  Only the events at or after the latest known day are read."""
    changes = store.changes()
    first_event = store.events(limit=1)
    known = date_range(first_event, changes)
    later = store.events(since=date.fromisoformat(known["end"])) if known else []
    span = date_range(first_event + later, changes) or {}
    latest_change = date_range([], changes) or {}
    return {"first": span.get("start"), "last": span.get("end"),
            "default": latest_change.get("end") or span.get("end")}


def site_info(store: Store, profile: Profile, allow_ingest: bool) -> dict[str, Any]:
    """What the page needs first: the profile's sides and colours, the days, the names to
    write on the map, the counts."""
    sides = [{"key": s.key, "label": s.label, "colour": safe_colour(s.colour),
              "description": s.description} for s in profile.sides.values()]
    days = day_span(store)
    return {"title": profile.title, "profile": profile.name, "sides": sides,
            "unknown_colour": UNKNOWN_COLOUR, "view": DEFAULT_VIEW, "days": days,
            "counts": store.counts(),
            "ingest": allow_ingest, "version": __version__}


def with_sources(document: dict) -> dict:
    """A stored document whose sentences each list the references their footnotes cite."""
    references = {r["number"]: r for r in document["references"]}
    for sentence in document["sentences"]:
        sentence["sources"] = [references[n] for n in sentence["footnotes"] if n in references]
    return document


def timeline_json(events: list[dict], changes: list[dict], profile: Profile) -> dict[str, Any]:
    """`export.timeline.build_timeline` as data: day headings, lines with the places they
    concern and their footnote numbers, and the footnotes."""
    days, notes = build_timeline(events, changes, profile)
    return {
        "days": [{"heading": heading, "entries": [_entry(e) for e in entries]} for heading, entries in days],
        "notes": [dict(zip(("text", "url"), note_parts(note)), number=n)
                  for n, note in enumerate(notes, start=1)],
    }


def _entry(entry: Any) -> dict[str, Any]:
    places = {r.get("place_id") or r.get("place") or r.get("location"): {
        "place_id": r.get("place_id"), "name": r.get("place") or r.get("location"),
        "latitude": r.get("latitude"), "longitude": r.get("longitude")} for r in entry.rows}
    return {"day": entry.day, "precision": entry.precision, "text": entry.text, "cites": entry.cites,
            "kind": "change" if "new_controller" in entry.rows[0] else "event",
            "places": [p for p in places.values() if p["latitude"] is not None]}


def summary_of(store: Store, profile: Profile, filters: dict[str, Any]) -> dict[str, Any]:
    """`frontlines summary --format json` over the filtered rows."""
    from ..cli.summary import _only_document
    from ..cli.timeline import store_rows

    events, changes = store_rows(store, **filters)
    document = _only_document(store, [*events, *changes])
    result = summarize(events, changes, profile, title=document.get("title"),
                       infoboxes=[document.get("infobox") or {}],
                       references=document.get("references") or [])
    return summary_json(result)


def ingest_text(store: Store, body: DocumentIn, profile: str) -> tuple[int, dict[str, Any]]:
    """Read, extract and store a posted document; one already stored is skipped."""
    from ..ingest import read_string
    from ..ingest.loading import max_bytes
    from ..pipeline import run

    source = body.source or "posted document"
    if len(body.text.encode("utf-8")) > max_bytes():
        raise HTTPException(413, f"document too large (the limit is {max_bytes() / 1e6:.0f} MB)")
    doc = read_string(body.text, format=body.format, source=source, published=body.published)
    if store.has_document(doc.doc_id):
        return 200, {"doc_id": doc.doc_id, "skipped": True, "events": 0, "changes": 0}
    return 201, {"doc_id": doc.doc_id, **store.ingest_analysis(run(doc, profile=profile))}


# --- routes ------------------------------------------------------------------------------------


def capped_timeline(store: Store, profile: Profile, filters: dict[str, Any]) -> dict[str, Any]:
    """The timeline of at most MAX_TIMELINE_ROWS events and changes: when more match, the
    days up to the one where the cap falls, and `next_since` to ask for the rest."""
    events = store.events(**filters, limit=MAX_TIMELINE_ROWS + 1)
    changes = store.changes(**filters, limit=MAX_TIMELINE_ROWS + 1)
    cut = _first_day_over_cap(events, "event_date", changes, "date")
    if cut is not None:
        events = [r for r in events if not r.get("event_date") or r["event_date"] < cut]
        changes = [r for r in changes if not r.get("date") or r["date"] < cut]
    return {**timeline_json(events, changes, profile), "next_since": cut}


def _first_day_over_cap(events: list[dict], event_key: str, changes: list[dict], change_key: str) -> str | None:
    """The earliest day past which rows were left out (either list over the cap), else None."""
    cuts = [rows[MAX_TIMELINE_ROWS][key] for rows, key in ((events, event_key), (changes, change_key))
            if len(rows) > MAX_TIMELINE_ROWS and rows[MAX_TIMELINE_ROWS].get(key)]
    return str(min(cuts)) if cuts else None


NO_FILTERS = {"since": None, "until": None, "place": None, "side": None, "doc": None}


def heavy_answers(store: Store, profile: Profile, allow_ingest: bool,
                  answers: Answers) -> dict[str, tuple[tuple, Callable[[], Any]]]:
    """(key, computation) of the answers the page asks for first and that read the whole
    store: prepared before the server listens (`create_app(warm=True)`)."""
    return {
        "info": (("info",), lambda: site_info(store, profile, allow_ingest)),
        "timeline": (("timeline", *sorted(NO_FILTERS.items())),
                     lambda: capped_timeline(store, profile, dict(NO_FILTERS))),
        "summary": (("summary", *sorted(NO_FILTERS.items())),
                    lambda: summary_of(store, profile, dict(NO_FILTERS))),
    }


async def rendered(answers: Answers, key: tuple, compute: Callable[[], Any]) -> bytes:
    return await answers.answer(key, lambda: render(compute()))


CONTROL_INDEX = ("control-index",)


async def control_index(answers: Answers) -> ControlIndex:
    """The store's control index at its current revision, its rows encoded ahead: control on
    any day is then joined from them on the event loop, with no thread and no query."""
    return await answers.answer(CONTROL_INDEX, lambda: answers.store.control_index().encode_all(render))


def read_routes(store: Store, profile: Profile, allow_ingest: bool, answers: Answers) -> APIRouter:
    """The read-only API: thin handlers over the Store and the export functions; the heavy
    answers are kept per store revision (see web.cache)."""
    api = APIRouter(prefix="/api", responses={422: ERRORS[422]})
    heavy = heavy_answers(store, profile, allow_ingest, answers)

    async def kept(key: tuple, compute: Callable[[], Any]) -> Response:
        return Response(await rendered(answers, key, compute), media_type="application/json")

    @api.get("/info", tags=["site"], summary="Profile, sides and colours, days covered, counts")
    async def info() -> Response:
        return await kept(*heavy["info"])

    @api.get("/events", tags=["rows"], summary="Events, merged across documents, by date")
    def events(filters: Filters, page: Paging, type: Annotated[str | None, Query(
            description="Only this ACLED event type or sub-event type.")] = None) -> Response:
        """Contract event rows (ACLED's columns and ours) with corroboration, sources and
        mentions, one page at a time: `{"items", "limit", "offset", "next_offset"}`."""
        rows = store.events(**filters, type=type, limit=page["limit"] + 1, offset=page["offset"])
        return page_of(rows, page)

    @api.get("/changes", tags=["rows"], summary="Control changes, merged across documents, by date")
    def changes(filters: Filters, page: Paging, type: Annotated[ChangeKind | None, Query(
            description="Only this kind of change.")] = None) -> Response:
        """Contract change rows with corroboration, sources and mentions, one page at a time."""
        rows = store.changes(**filters, kind=type and type.value, limit=page["limit"] + 1,
                             offset=page["offset"])
        return page_of(rows, page)

    @api.get("/control", tags=["rows"], summary="Who holds every known place on a date")
    async def control(day: Annotated[Day, Query(alias="date", description="The day (YYYY-MM-DD); today when omitted.")] = None) -> Response:
        """The rows of `frontlines control --format json`: controller, since, claim,
        confidence, the latest evidence and the pending (denied, unconfirmed) reports."""
        index = await control_index(answers)
        return Response(index.encoded(day or date.today(), render), media_type="application/json")

    @api.get("/places", tags=["places"], summary="Every known place")
    async def places() -> Response:
        return await kept(("places",), store.places)

    @api.get("/places/{place_id:path}", tags=["places"], summary="A place's history of control",
             responses={404: ERRORS[404]})
    def place(place_id: str) -> Response:
        """The place, its initial state, its changes (chronological, with evidence and
        sources) and its events."""
        return JSONText(found(store.place_history(place_id), "place", place_id))

    @api.get("/documents", tags=["documents"], summary="The stored documents")
    async def documents() -> Response:
        return await kept(("documents",), store.documents)

    @api.get("/documents/{doc_id}", tags=["documents"], summary="A document with its sentences",
             responses={404: ERRORS[404]})
    def document(doc_id: str) -> Response:
        """The document's text, its sentences (span, date, zone, footnotes and the sources
        they cite) and its reference list."""
        return JSONText(with_sources(found(store.document(doc_id), "document", doc_id)))

    @api.get("/timeline", tags=["outputs"], summary="The timeline, footnoted to its sources")
    async def timeline(filters: Filters) -> Response:
        """`frontlines timeline` as data: lines grouped under day headings, each with the
        places it concerns and its footnote numbers, then the footnotes.  At most
        {MAX_TIMELINE_ROWS} rows: when more match, the answer stops before the day where the
        cap falls and `next_since` is that day (ask again with `since` set to it)."""
        return await kept(("timeline", *sorted(filters.items())), lambda: capped_timeline(store, profile, filters))

    @api.get("/summary", tags=["outputs"], summary="The infobox summary")
    async def summary(filters: Filters) -> Response:
        """`frontlines summary --format json`: dates, location, belligerents, territorial
        changes, strengths and casualties, each with its sources."""
        return await kept(("summary", *sorted(filters.items())), lambda: summary_of(store, profile, filters))

    return api


# --- the control map: areas, front lines and the base map (one builder with `frontlines map`) ---


def map_routes(store: Store, profile: Profile, answers: Answers) -> APIRouter:
    """What the page's map draws on a day, built by `export.map` as for the static map from
    the kept control index, and kept per day and store revision."""
    from ..export.map import areas_geojson, base_for, map_data

    api = APIRouter(prefix="/api", tags=["map"], responses={422: ERRORS[422]})
    OnDay = Annotated[Day, Query(alias="date", description="The day (YYYY-MM-DD); today when omitted.")]

    def changed_on(day: date) -> set[str]:
        return {c["place_id"] for c in store.changes(since=day, until=day)
                if c.get("claim") in ("reported", "claimed") and c.get("place_id")}

    async def areas_on(day: date) -> tuple[ControlIndex, dict, bytes]:
        """The control index and the areas on `day`, as GeoJSON and rendered: computed once
        per stretch of unchanged control (control, so the areas, only change on the days of
        changes), in one worker thread, for the map and the areas."""
        index = await control_index(answers)
        start = index.stretch_start(day)

        def compute() -> tuple[dict, bytes]:
            found = areas_geojson(index.on(start), profile)
            return found, render(found)

        return index, *await answers.answer(("areas", start), compute)

    @api.get("/map", summary="The control map of a day: places, areas, front lines, labels, view")
    async def day_map(day: OnDay = None) -> Response:
        """`frontlines map`'s data for the day (without the base map): one marker per spot
        with the places placed approximately at it, the areas and front lines, labels in
        order of priority, the sides in the legend, the view fitted to the story, a caption."""
        day = day or date.today()
        index, areas, _ = await areas_on(day)
        body = await rendered(answers, ("map", day), lambda: map_data(
            index.on(day), profile, day=day.isoformat(), changed=changed_on(day), with_base=False,
            areas=areas))
        return Response(body, media_type="application/json")

    @api.get("/areas", summary="Areas of control and front lines on a date (GeoJSON)")
    async def areas(day: OnDay = None) -> Response:
        """`frontlines control --format geojson --areas`: each side's areas (hatched where
        they rest on unconfirmed, denied or low-confidence reports) and the front lines."""
        day = day or date.today()
        _, _, body = await areas_on(day)
        return Response(body, media_type="application/geo+json")

    @api.get("/basemap", summary="The base map around a view: countries, divisions, towns")
    def basemap(south: Annotated[float, Query(ge=-90, le=90)], west: Annotated[float, Query(ge=-180, le=180)],
                north: Annotated[float, Query(ge=-90, le=90)], east: Annotated[float, Query(ge=-180, le=180)]) -> Response:
        """Country outlines, the focus country's first-level divisions (Natural Earth) and
        the gazetteer's main towns around the view."""
        if south > north or west > east:
            raise HTTPException(422, "south must not exceed north, nor west east")
        return JSONText(base_for(profile, [[south, west], [north, east]]))

    return api


def ingest_routes(store: Store, profile: str, allow_ingest: bool, token: str | None,
                  answers: Answers | None = None) -> APIRouter:
    api = APIRouter(prefix="/api")

    def authorised(authorization: Annotated[str | None, Header(
            description="`Bearer TOKEN`, the token `frontlines serve --allow-ingest` printed.")] = None) -> None:
        # Checked before the body is read by web.limits.IngestGate; here for the API reference.
        refusal = ingest_refusal(allow_ingest, token, authorization)
        if refusal is not None:
            raise HTTPException(refusal[0], refusal[1], headers=refusal[2] or None)

    @api.post("/documents", tags=["documents"], status_code=201, dependencies=[Depends(authorised)],
              summary="Ingest a posted document (only with --allow-ingest and the token)",
              responses={200: {"description": "Stored already: skipped"},
                         401: {"model": ErrorOut}, 403: {"model": ErrorOut},
                         400: {"model": ErrorOut}, 413: {"model": ErrorOut}, 422: ERRORS[422]})
    def post_document(body: DocumentIn) -> Response:
        """Read the text, extract its events and changes and merge them into the store, as
        `frontlines ingest` does for a file."""
        status, result = ingest_text(store, body, profile)
        if answers is not None:
            answers.forget_revision()  # the next read sees this write, not the revision kept a second
        return JSONText(result, status_code=status)

    return api


def page_routes(app: FastAPI) -> None:
    """The page, its assets (ours, vendored Leaflet) and the API reference."""

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return HTMLResponse(docs_page(app.openapi()))

    app.mount("/static/vendor", StaticFiles(directory=WEB / "vendor"), name="vendor")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


# --- errors and headers ------------------------------------------------------------------------


def error_handlers(app: FastAPI) -> None:
    """Every error is JSON with an `error` message; only a bug of ours is a 500."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_reply(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        message = "; ".join(f"{'.'.join(str(p) for p in d['loc'][1:]) or d['loc'][0]}: {d['msg']}"
                            for d in detail if d["loc"]) or "invalid request"
        return error_reply(422, message, detail)

    @app.exception_handler(InputError)
    async def unreadable(request: Request, exc: InputError) -> Response:
        return error_reply(400, exc.message)

    @app.exception_handler(FrontlinesError)
    async def store_failed(request: Request, exc: FrontlinesError) -> Response:
        if isinstance(exc, StoreError):
            return error_reply(503, str(exc), headers={"Retry-After": str(RETRY_AFTER_S)})
        return error_reply(500, str(exc))

    @app.exception_handler(SQLAlchemyTimeout)
    async def no_connection(request: Request, exc: SQLAlchemyTimeout) -> Response:
        return error_reply(503, "busy: no database connection free; try again later",
                           headers={"Retry-After": str(RETRY_AFTER_S)})

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        if os.environ.get("FRONTLINES_DEBUG"):
            raise exc
        return error_reply(500, f"internal error ({type(exc).__name__})")


# --- the app -----------------------------------------------------------------------------------


def create_app(store: Store | str | os.PathLike | None = None, *, profile: str = "syria",
               allow_ingest: bool = False, token: str | None = None,
               request_budget: float | None = None, max_post_bytes: int | None = None,
               warm: bool = True) -> FastAPI:
    """The app over `store` (a Store, or a database path or URL that it opens and closes);
    `profile` names the conflict profile (side labels, colours, ingest).  With
    `allow_ingest`, `POST /api/documents` accepts requests bearing `token`, with bodies of at
    most `max_post_bytes` ($FRONTLINES_MAX_POST_BYTES, 10 MB).  A request not answered within
    `request_budget` seconds ($FRONTLINES_REQUEST_TIMEOUT, 30; 0: none) gets 503.  With
    `warm`, the answers that read the whole store (info, timeline, summary) are prepared
    before the server takes its first request."""
    if allow_ingest and not token:
        raise ValueError("allow_ingest needs a token")
    loaded = load_profile(profile)
    opened = store if isinstance(store, Store) else open_store(store, create=allow_ingest)
    budget = env_number(BUDGET_ENV, DEFAULT_REQUEST_BUDGET_S) if request_budget is None else request_budget
    post_limit = int(env_number(POST_ENV, DEFAULT_MAX_POST_BYTES)) if max_post_bytes is None else max_post_bytes
    answers = Answers(opened)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = concurrency(opened)
        if warm:
            await control_index(answers)
            for key, compute in heavy_answers(opened, loaded, allow_ingest, answers).values():
                await rendered(answers, key, compute)
        yield
        if opened is not store:
            opened.close()

    app = FastAPI(title="frontlines", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None, default_response_class=JSONText)
    app.state.store, app.state.profile = opened, loaded
    error_handlers(app)
    app.add_middleware(TimeBudget, seconds=budget)
    app.add_middleware(IngestGate, allow=allow_ingest, token=token, max_bytes=post_limit)
    app.add_middleware(SecurityHeaders, headers={"Content-Security-Policy": POLICY,
                                                 "X-Content-Type-Options": "nosniff",
                                                 "Referrer-Policy": "no-referrer"})
    app.include_router(read_routes(opened, loaded, allow_ingest, answers))
    app.include_router(map_routes(opened, loaded, answers))
    app.include_router(ingest_routes(opened, profile, allow_ingest, token, answers))
    page_routes(app)
    return app


def concurrency(store: Store) -> int:
    """Requests served at once: CONCURRENCY, or fewer when the store's pool is smaller."""
    pool = store.engine.pool
    size = getattr(pool, "size", None)
    if not callable(size):
        return 1
    return max(1, min(CONCURRENCY, size() + max(0, getattr(pool, "_max_overflow", 0))))
