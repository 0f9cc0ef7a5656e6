"""The middleware chain every request passes through, outermost first.

1. ``record``: request id, and the entry in ``Emulator.requests``.
2. ``inject_faults``: scripted failures replace (or follow) everything below.
3. ``limit_rate``: the per-key budget and its headers.
4. ``check_key``: 401 for a missing or unknown key, 403 for a missing scope (the
   message stream is exempt: its single-use ticket is the credential).
5. ``replay_writes``: Idempotency-Key handling.
6. ``api_errors``: unknown routes and :class:`ApiError` become error envelopes.

The order matters: idempotency sits inside faults, so a write whose response a fault
destroys is still remembered and a retry replays it instead of writing again; and
inside the rate limiter and auth, so their rejections are never replayed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import http
import uuid
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler
from multidict import CIMultiDict, CIMultiDictProxy

from .context import bearer_token, context
from .envelope import JSON, error_body, error_response
from .errors import ApiError, default_code, not_found
from .faults import Delay, Drop, Respond
from .idempotency import StoredResponse, fingerprint
from .records import RecordedRequest
from .routes_stream import TICKET_ROUTES

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def _connection_open(request: web.Request) -> bool:
    return request.transport is not None and not request.transport.is_closing()


def _settle(requests: list[RecordedRequest], pending: RecordedRequest, status: int) -> None:
    """Fills in the status of a recorded request, unless a test has cleared it since."""
    for index in range(len(requests) - 1, -1, -1):
        if requests[index] is pending:
            requests[index] = dataclasses.replace(pending, status=status)
            return


@web.middleware
async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Logs the request on arrival (status 0) and fills in the status actually delivered.

    The status stays 0 when the connection is gone before the answer (dropped by a
    fault, or the client gave up and the handler was cancelled).
    """
    ctx = context(request)
    received = ctx.clock()
    pending = RecordedRequest(
        method=request.method,
        path=request.raw_path.partition("?")[0],
        query=dict(request.query),
        headers=CIMultiDictProxy(CIMultiDict(request.headers)),
        body=await request.read(),
        time=received,
        status=0,
    )
    ctx.requests.append(pending)
    rid = request.headers.get("X-Request-Id") or str(uuid.uuid4())
    ctx.request_ids[id(request)] = rid
    status = 0
    try:
        response = await handler(request)
    except Exception:
        status = 500
        raise
    else:
        if not response.prepared:
            response.headers["x-request-id"] = rid
        if _connection_open(request):
            status = response.status
        return response
    finally:
        del ctx.request_ids[id(request)]
        _settle(ctx.requests, pending, status)


def _fault_headers(headers: Mapping[str, str]) -> CIMultiDict[str]:
    merged: CIMultiDict[str] = CIMultiDict({"Content-Type": JSON})
    merged.update(headers)
    return merged


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


@web.middleware
async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Applies the next queued fault matching this request, if any.

    Injected bodies default to ``Content-Type: application/json`` (what a broken API
    server would claim) unless the fault's headers say otherwise.
    """
    fault = context(request).faults.take(request.path)
    if fault is None:
        return await handler(request)
    if isinstance(fault, Delay):
        await asyncio.sleep(fault.seconds)
        return await handler(request)
    if isinstance(fault, Respond):
        headers = _fault_headers(fault.headers)
        return web.Response(status=fault.status, body=fault.body, headers=headers)
    if fault.after_handler:
        await handler(request)
    if isinstance(fault, Drop):
        if request.transport is not None:
            request.transport.close()
        return web.Response()  # never sent: the connection is gone
    if fault.body is None:
        code = fault.code or default_code(fault.status)
        body = error_body(request, code, fault.message or _reason(fault.status))
    else:
        body = fault.body
    headers = _fault_headers(fault.headers)
    return web.Response(status=fault.status, body=body, headers=headers)


@web.middleware
async def limit_rate(request: web.Request, handler: Handler) -> web.StreamResponse:
    quota = context(request).limiter.take(bearer_token(request) or "")
    if quota.retry_after is None:
        response = await handler(request)
    else:
        message = f"Rate limit exceeded, retry in {quota.retry_after} s"
        response = error_response(request, ApiError(429, "rate_limited", message))
    if not response.prepared:
        response.headers.update(quota.headers())
    return response


@web.middleware
async def check_key(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.match_info.route.name in TICKET_ROUTES:
        return await handler(request)  # the stream's ticket is its credential
    token = bearer_token(request)
    if token is None:
        message = "Missing API key: send Authorization: Bearer <key>"
        return error_response(request, ApiError(401, "api_key_missing", message))
    scopes = context(request).api_keys.get(token)
    if scopes is None:
        return error_response(request, ApiError(401, "api_key_invalid", "Invalid API key"))
    needed = "write" if request.method in WRITE_METHODS else "read"
    if needed not in scopes:
        message = f"This API key lacks the {needed} scope"
        return error_response(request, ApiError(403, "insufficient_scope", message))
    return await handler(request)


def _replay(stored: StoredResponse) -> web.Response:
    response = web.Response(
        status=stored.status, body=stored.body, headers=CIMultiDict(stored.headers)
    )
    response.headers["Idempotent-Replayed"] = "true"
    return response


@web.middleware
async def replay_writes(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Runs a keyed write once; repeats get the first answer, or 409 if the body differs.

    Only 2xx and 4xx answers are kept: after a 5xx the write may be retried for real.
    """
    key = request.headers.get("Idempotency-Key")
    if not key or request.method not in WRITE_METHODS:
        return await handler(request)
    store = context(request).idempotency
    scope = (bearer_token(request) or "", request.method, request.raw_path.partition("?")[0], key)
    body_print = fingerprint(await request.read())
    stored = await store.claim(scope)
    if stored is not None:
        if stored.fingerprint != body_print:
            message = "Idempotency-Key was already used with a different request body"
            return error_response(request, ApiError(409, "conflict", message))
        return _replay(stored)
    result = None
    try:
        response = await handler(request)
        if (
            response.status < 500
            and isinstance(response, web.Response)
            and isinstance(response.body, bytes)
        ):
            headers = tuple(response.headers.items())
            result = StoredResponse(body_print, response.status, response.body, headers)
        return response
    finally:
        store.release(scope, result)


@web.middleware
async def api_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.match_info.http_exception is not None:
        return error_response(request, not_found(f"Route {request.method} {request.path}"))
    try:
        return await handler(request)
    except ApiError as error:
        return error_response(request, error)


MIDDLEWARES = (record, inject_faults, limit_rate, check_key, replay_writes, api_errors)
