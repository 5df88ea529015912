"""The ASGI application every sandbox API runs in: routing, auth, faults, idempotency, validation, error shape.

An API plugs in an `ApiDefinition`: its compiled upstream document, its control document (the `/sandbox/`
endpoints), a handler per operationId, how it checks credentials, and how its errors look on the wire.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextvars
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Literal

import attrs

from .delivery import DeliveryWorker
from .faults import Fault, FaultQueue
from .panel import Action, PanelBuilder
from .spec import MethodNotAllowed, Operation, PathNotFound, SpecIndex
from .state import Store
from .validation import MAX_BODY_BYTES, Rejection, ValidRequest, validate_request

logger: logging.Logger = logging.getLogger("sdk_sandbox")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@attrs.frozen
class Reply:
    """What a handler answers: status, JSON body (None for no body; bytes are sent as they are, typed by the
    `Content-Type` header, for a sandbox's HTML pages) and extra headers."""

    status: int
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)


Handler = Callable[["Context", ValidRequest], Reply]
Admission = tuple[bool, Mapping[str, str]]


@attrs.define
class Context:
    """What a handler may use: the store, the sandbox clock, the caller's credential, and the app itself."""

    store: Store
    clock: Callable[[], float]
    credential: str | None
    app: SandboxApp


@attrs.frozen
class ApiDefinition:
    """Everything that makes one upstream API's sandbox.

    Attributes:
        name: Short name (`vault`, `vortex`), used in logs and the CLI.
        spec: The upstream document, compiled.
        control: The document of this API's `/sandbox/` control endpoints, compiled.
        handlers: One handler per operationId of both documents.
        check_credential: Whether a presented credential (bearer token or API key) is accepted.
        error_body: The upstream's error shape: `(status, code, message, fields) -> JSON body`.
        setup: Creates this API's tables in a fresh store.
        tables: The tables `reset` empties.
        on_reset: Anything else the API restores on reset (the Vault's signing keys).
        request_id_header: Echo or mint this response header, if the upstream sends one.
        idempotency: What a second request with the same `Idempotency-Key` gets: `replay` (the first answer again,
            or 422 if the body differs; Stripe and the Vault) or `conflict` (409 whatever the body; Loops).
        max_body_bytes: The largest request body accepted (413 above it).
        admit: Called once per upstream request before faults and routing: whether to serve it (False answers
            429) and headers every response to it carries (Loops' rate limit and its `x-ratelimit-*` headers).
        background: Runs for as long as the server does (started at ASGI lifespan start-up, cancelled at shut-down):
            work on the sandbox clock, such as Twilio's status transitions and their callbacks.
        idempotency_mismatch: The status and code of a reused Idempotency-Key with another body (Stripe: 400
            `idempotency_error`).
        idempotency_stores_5xx: Whether a 5xx answer is stored and replayed too (Stripe stores every answer once
            the endpoint ran).
        error_headers: Extra headers of an error answer, by status (Stripe's `Stripe-Should-Retry`).
        dashboard: What the sandbox dashboard shows for this API: `(app) -> Panel`, built from the store on every
            refresh (see `sdk_sandbox.panel`); None shows only the API's name and URL.
        actions: What the panel's buttons run, by name: `(app, args) -> JSON result`; raise `ActionError` to refuse.
        bracket_query: Read query strings in Rack's bracket notation (Stripe's `expand[0]=customer`).
        reject_unknown_query: Refuse a query parameter the operation does not declare (Stripe's
            `parameter_unknown`) instead of ignoring it.
        on_close: Anything else the API stops when the app closes (beyond its delivery workers).
        unauthorized_body: The body of a 401, given the refused credential (None when none was sent); without it
            `error_body` words the 401. Stripe's names the key masked to its prefix and last four characters.
    """

    name: str
    spec: SpecIndex
    control: SpecIndex
    handlers: Mapping[str, Handler]
    check_credential: Callable[[SandboxApp, str], bool]
    error_body: Callable[[int, str, str, Mapping[str, list[str]]], Any]
    setup: Callable[[Store], None]
    tables: tuple[str, ...]
    on_reset: Callable[[SandboxApp], None] | None = None
    request_id_header: str | None = None
    idempotency: Literal["replay", "conflict"] = "replay"
    max_body_bytes: int = MAX_BODY_BYTES
    admit: Callable[[SandboxApp], Admission] | None = None
    background: Callable[[SandboxApp], Coroutine[Any, Any, None]] | None = None
    idempotency_mismatch: tuple[int, str] = (422, "IDEMPOTENCY_KEY_REUSED")
    idempotency_stores_5xx: bool = False
    error_headers: Callable[[int], Mapping[str, str]] | None = None
    dashboard: PanelBuilder | None = None
    actions: Mapping[str, Action] = attrs.field(factory=dict)
    bracket_query: bool = False
    reject_unknown_query: bool = False
    unauthorized_body: Callable[[str | None], Any] | None = None
    on_close: Callable[[SandboxApp], None] | None = None


class SandboxApp:
    """An ASGI app serving one API's document from state in SQLite.

    Args:
        api: The API to serve.
        db: SQLite file path, or None for an in-memory database.
        api_keys: The credentials accepted on the upstream endpoints.
    """

    def __init__(self, api: ApiDefinition, *, db: str | None = None, api_keys: tuple[str, ...] = ()) -> None:
        self.api = api
        self.api_keys: set[str] = set(api_keys)
        self.store: Store = Store(db)
        self.faults: FaultQueue = FaultQueue()
        self.clock_offset: float = 0.0
        self.root_url: str | None = None
        """The server's own root URL once it listens (the runner, the CLI and the pytest plugin set it): where the
        sandbox's pages are, such as Stripe's hosted checkout."""
        self.state: Any = None
        """The API's own typed state beside its tables (`VaultState`, `LoopsState`, ...: each API's `state.py`
        reads it with `state_of(app)`), set by the API's builder."""
        self.allow_remote = False
        """Whether webhooks and callbacks may go to non-loopback addresses (`serve --allow-remote`)."""
        self._workers: list[DeliveryWorker] = []
        api.setup(self.store)

    def start_worker(self, name: str, send_due: Callable[[], float | None]) -> DeliveryWorker:
        """A delivery worker (see `sdk_sandbox.delivery`) that `close()` stops."""
        worker = DeliveryWorker(f"sdk-sandbox-{self.api.name}-{name}", send_due)
        self._workers.append(worker)
        return worker

    def clock_moved(self) -> None:
        """Wake the delivery workers: retries may have fallen due on the sandbox clock."""
        for worker in self._workers:
            worker.wake()

    def close(self) -> None:
        """Stop this app's delivery workers (the CLI, the pytest plugin and the runner call it on the way out)."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
        if self.api.on_close is not None:
            self.api.on_close(self)

    def reset(self) -> None:
        """Forget all state: rows, idempotency keys, faults and the clock offset."""
        self.store.reset(self.api.tables)
        self.faults.clear()
        self.clock_offset = 0.0
        if self.api.on_reset is not None:
            self.api.on_reset(self)

    def now(self) -> float:
        """The sandbox clock: wall time plus the offset set through `/sandbox/clock`."""
        return time.time() + self.clock_offset

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection (HTTP; lifespan is acknowledged)."""
        if scope["type"] == "lifespan":
            task = asyncio.create_task(self.api.background(self)) if self.api.background is not None else None
            try:
                await _lifespan(receive, send)
            finally:
                if task is not None:
                    task.cancel()
            return
        if scope["type"] != "http":
            return
        request_id = _header(scope, "x-request-id") or f"req_{uuid.uuid4().hex[:16]}"
        extra_headers = {self.api.request_id_header: request_id} if self.api.request_id_header else {}
        raw_path = scope.get("raw_path", scope["path"].encode()).decode("latin-1").split("?", 1)[0]
        is_control = raw_path.startswith("/sandbox/")
        if not is_control and self.api.admit is not None:
            admitted, admit_headers = self.api.admit(self)
            extra_headers.update(admit_headers)
            if not admitted:
                reply = self._rejection_reply(Rejection(429, "RATE_LIMITED", "Rate limit exceeded"))
                await _respond(send, reply.status, reply.body, {**extra_headers, **reply.headers})
                return
        fault = None
        if not is_control:
            fault = self.faults.take()
            if (
                fault is not None
                and fault.kind != "drop_after"
                and await self._inject(fault, scope, send, extra_headers)
            ):
                return
        try:
            body = await _read_body(receive, self.api.max_body_bytes)
            reply = self._dispatch(scope, raw_path, body, is_control)
        except Rejection as rejection:
            reply = self._rejection_reply(rejection)
        except Exception:
            logger.exception("sandbox handler failed")
            reply = self._rejection_reply(Rejection(500, "INTERNAL_ERROR", "Internal server error"))
        if fault is not None and fault.kind == "drop_after":
            await _drop(send, scope, fault.kind)  # the request took effect; its answer is lost on the way
            return
        await _respond(send, reply.status, reply.body, {**extra_headers, **reply.headers})

    def _dispatch(self, scope: Scope, raw_path: str, body: bytes, is_control: bool) -> Reply:
        spec = self.api.control if is_control else self.api.spec
        try:
            operation, path_params = spec.find(scope["method"], raw_path)
        except PathNotFound:
            raise Rejection(404, "NOT_FOUND", "No such endpoint") from None
        except MethodNotAllowed as exc:
            reply = self._rejection_reply(Rejection(405, "METHOD_NOT_ALLOWED", "Method not allowed"))
            return attrs.evolve(reply, headers={**reply.headers, "Allow": ", ".join(exc.allowed)})
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        credential = self._authenticate(operation, headers)
        query = scope.get("query_string", b"")
        request = validate_request(
            operation,
            path_params,
            query,
            headers,
            body,
            max_body=self.api.max_body_bytes,
            bracket_query=self.api.bracket_query,
            reject_unknown_query=self.api.reject_unknown_query,
        )
        context = Context(self.store, self.now, credential, self)
        handler = self.api.handlers[operation.operation_id]
        key = headers.get("idempotency-key") if operation.method == "POST" else None
        if key is None:
            return handler(context, request)
        if self.api.idempotency == "conflict":
            return self._first_use_only(key, credential, operation, lambda: handler(context, request))
        return self._idempotent(key, credential, operation, body, lambda: handler(context, request))

    def _authenticate(self, operation: Operation, headers: Mapping[str, str]) -> str | None:
        if not operation.security:
            return None
        scheme = self.api.spec.security_schemes.get(operation.security[0], {})
        if scheme.get("type") == "apiKey":
            credential = headers.get(scheme["name"].lower())
        elif scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            credential = _basic_credential(headers.get("authorization", ""))
        else:
            value = headers.get("authorization", "")
            kind, _, token = value.partition(" ")
            credential = token.strip() if kind.lower() == "bearer" and token.strip() else None
        if credential is None:
            raise Rejection(401, "UNAUTHORIZED", "Missing API key")
        if not self.api.check_credential(self, credential):
            raise Rejection(401, "UNAUTHORIZED", "Invalid API key", credential=credential)
        return credential

    def _first_use_only(
        self, key: str, credential: str | None, operation: Operation, run: Callable[[], Reply]
    ) -> Reply:
        """Loops' rule: a key's first validated use runs; any later use is a 409, whatever its body.

        The key is taken before the handler runs (so two concurrent uses cannot both pass); an answer below 500
        (a 4xx included) keeps it, a 5xx or an unexpected exception gives it back, since a client may retry those.
        """
        scope = _idempotency_scope(credential, operation)
        taken = self.store.execute(
            "INSERT OR IGNORE INTO idempotency (scope, key, fingerprint, status, body) VALUES (?, ?, '', 0, NULL)",
            (scope, key),
        )
        if not taken:
            raise Rejection(409, "IDEMPOTENCY_KEY_USED", "This Idempotency-Key has already been used.")
        status = 500
        try:
            reply = run()
            status = reply.status
            return reply
        except Rejection as rejection:
            status = rejection.status
            raise
        finally:
            if status >= 500:
                self.store.execute("DELETE FROM idempotency WHERE scope = ? AND key = ?", (scope, key))

    def _idempotent(
        self, key: str, credential: str | None, operation: Operation, body: bytes, run: Callable[[], Reply]
    ) -> Reply:
        scope = _idempotency_scope(credential, operation)
        fingerprint = hashlib.sha256(operation.path.encode() + b"\0" + body).hexdigest()
        stored = self.store.one(
            "SELECT fingerprint, status, body FROM idempotency WHERE scope = ? AND key = ?", (scope, key)
        )
        if stored is not None:
            if stored["fingerprint"] != fingerprint:
                status, code = self.api.idempotency_mismatch
                raise Rejection(status, code, "Idempotency-Key reused with a different request")
            replay = json.loads(stored["body"]) if stored["body"] is not None else None
            return Reply(stored["status"], replay, {"Idempotent-Replayed": "true"})
        reply = run()
        if reply.status < 500 or self.api.idempotency_stores_5xx:
            self.store.execute(
                "INSERT INTO idempotency (scope, key, fingerprint, status, body) VALUES (?, ?, ?, ?, ?)",
                (scope, key, fingerprint, reply.status, None if reply.body is None else json.dumps(reply.body)),
            )
        return reply

    def _rejection_reply(self, rejection: Rejection) -> Reply:
        if rejection.status == 401 and self.api.unauthorized_body is not None:
            body = self.api.unauthorized_body(rejection.credential)
        else:
            body = self.api.error_body(rejection.status, rejection.code, rejection.message, rejection.fields)
        basic = any(s.get("scheme", "").lower() == "basic" for s in self.api.spec.security_schemes.values())
        headers = {"WWW-Authenticate": "Basic" if basic else "Bearer"} if rejection.status == 401 else {}
        if self.api.error_headers is not None:
            headers.update(self.api.error_headers(rejection.status))
        return Reply(rejection.status, body, headers)

    async def _inject(self, fault: Fault, scope: Scope, send: Send, headers: Mapping[str, str]) -> bool:
        """Carry out one fault; True when it replaced the response."""
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.kind == "delay":
            return False
        if fault.kind == "drop":
            await _drop(send, scope, fault.kind)
            return True
        if fault.kind in ("malformed", "html"):
            content, media = (
                (b'{"data": ', b"application/json")
                if fault.kind == "malformed"
                else (
                    b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                    b"text/html",
                )
            )
            status = fault.status or (200 if fault.kind == "malformed" else 502)
            await _send_raw(send, status, content, media, headers)
            return True
        reply = self._rejection_reply(Rejection(fault.status or 500, fault.code(), fault.message()))
        extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        await _respond(send, reply.status, reply.body, {**headers, **reply.headers, **extra})
        return True


_DROPPED_ON_PURPOSE: contextvars.ContextVar[bool] = contextvars.ContextVar("sandbox_dropped_on_purpose", default=False)


class _DeliberateDrops(logging.Filter):
    """Keeps uvicorn from reporting, as an application error, a response the sandbox cut short on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_DROPPED_ON_PURPOSE.get() and record.getMessage().startswith("ASGI callable returned without"))


logging.getLogger("uvicorn.error").addFilter(_DeliberateDrops())


async def _drop(send: Send, scope: Scope, kind: str) -> None:
    """Promise a body and stop short: the client sees the connection end mid-response. The sandbox logs one line
    for the fault it injected (and the server none: the response is left unfinished, not malformed)."""
    _DROPPED_ON_PURPOSE.set(True)
    logger.warning("fault %s: cut the answer to %s %s short on purpose", kind, scope["method"], scope["path"])
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})
    await send({"type": "http.response.body", "body": b"{", "more_body": True})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _idempotency_scope(credential: str | None, operation: Operation) -> str:
    return hashlib.sha256(f"{credential}|{operation.operation_id}".encode()).hexdigest()


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Rejection(413, "PAYLOAD_TOO_LARGE", f"Request body exceeds {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _basic_credential(value: str) -> str | None:
    """`user:password` from an `Authorization: Basic <base64>` header, or None."""
    kind, _, encoded = value.partition(" ")
    if kind.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return decoded if ":" in decoded else None


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope["headers"]:
        if key.lower() == wanted:
            text: str = value.decode("latin-1")
            return text if text.isprintable() and 0 < len(text) <= 255 else None
    return None


async def _respond(send: Send, status: int, body: Any, headers: Mapping[str, str]) -> None:
    if isinstance(body, bytes):
        rest = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        media = next((v for k, v in headers.items() if k.lower() == "content-type"), "application/octet-stream")
        await _send_raw(send, status, body, media.encode("latin-1"), rest)
    elif body is None:
        await _send_raw(send, status, b"", None, headers)
    else:
        await _send_raw(send, status, json.dumps(body).encode(), b"application/json", headers)


async def _send_raw(send: Send, status: int, content: bytes, media: bytes | None, headers: Mapping[str, str]) -> None:
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    if media is not None:
        raw.append((b"content-type", media))
    raw.append((b"content-length", str(len(content)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": content})
