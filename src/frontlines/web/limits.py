"""What keeps the server answering under load and abuse: a time budget per request (503 with
Retry-After, never a 500), and posted documents gated before their body is read (token,
size limit).  Both are plain ASGI middleware around the app."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_REQUEST_BUDGET_S = 30.0
BUDGET_ENV = "FRONTLINES_REQUEST_TIMEOUT"
DEFAULT_MAX_POST_BYTES = 10 * 1024 * 1024
POST_ENV = "FRONTLINES_MAX_POST_BYTES"
RETRY_AFTER_S = 5
INGEST_PATH = "/api/documents"


def env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    try:
        return float(value) if value else default
    except ValueError:
        return default


async def send_error(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class TimeBudget:
    """A request not answered within `seconds` (waiting for a free worker included) gets 503
    with Retry-After; its work, if it started, finishes in the background and is dropped.
    Posting a document is not limited: it is authenticated, and its size is."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A posted document (authenticated, size-limited) takes the time its extraction takes.
        ingest = scope.get("method") == "POST" and scope.get("path") == INGEST_PATH
        if scope["type"] != "http" or not self.seconds or ingest:
            await self.app(scope, receive, send)
            return
        state = {"started": False, "abandoned": False}

        async def sending(message: Message) -> None:
            if state["abandoned"]:
                return
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, sending))
        done, _ = await asyncio.wait({task}, timeout=self.seconds)
        if task in done or state["started"]:
            await task  # answered in time (or answering): let it finish, errors and all
            return
        state["abandoned"] = True
        task.add_done_callback(_quietly)
        task.cancel()
        await send_error(send, 503, f"busy: no answer within {self.seconds:g} s; try again later",
                         {"Retry-After": str(RETRY_AFTER_S)})


class SecurityHeaders:
    """Headers every answer carries unless it sets its own (a plain ASGI wrapper of `send`:
    no task or stream per request, as `@app.middleware("http")` would cost)."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, sending)


def _quietly(task: asyncio.Future) -> None:
    if not task.cancelled():
        task.exception()  # retrieved, so that an abandoned request logs nothing


class IngestGate:
    """`POST /api/documents`: refused before a byte of the body is read when ingest is off
    (403), without the bearer token (401) or with a declared length over the limit (413);
    a body that turns out longer than the limit is cut off with 413."""

    def __init__(self, app: ASGIApp, *, allow: bool, token: str | None, max_bytes: int) -> None:
        self.app, self.allow, self.token, self.max_bytes = app, allow, token, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != INGEST_PATH:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = ingest_refusal(self.allow, self.token, headers.get("authorization"))
        if refusal is None and _declared_length(headers) > self.max_bytes:
            refusal = (413, self._too_large(), {})
        if refusal is not None:
            await send_error(send, *refusal)
            return
        state = {"read": 0, "over": False}

        async def counted() -> Message:
            message = await receive()
            state["read"] += len(message.get("body", b""))
            if state["read"] > self.max_bytes and not state["over"]:
                # Answer now; the app is told the client left, and what it says is dropped.
                state["over"] = True
                await send_error(send, 413, self._too_large())
                return {"type": "http.disconnect"}
            return message

        async def sending(message: Message) -> None:
            if not state["over"]:
                await send(message)

        await self.app(scope, counted, sending)

    def _too_large(self) -> str:
        return (f"request body too large (the limit is {self.max_bytes / 2**20:.1f} MB; "
                f"raise it with {POST_ENV})")


def ingest_refusal(allow: bool, token: str | None,
                   authorization: str | None) -> tuple[int, str, dict[str, str]] | None:
    """(status, message, headers) when a posted document may not be ingested, else None."""
    if not allow:
        return 403, "ingest is disabled: start the server with --allow-ingest", {}
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip(), token or ""):
        return 401, "a valid bearer token is required", {"WWW-Authenticate": "Bearer"}
    return None


def _declared_length(headers: dict[str, str]) -> int:
    try:
        return int(headers.get("content-length", "0"))
    except ValueError:
        return 0
