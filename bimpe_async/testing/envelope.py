"""Success and error envelopes, the only body shapes the API sends."""

from __future__ import annotations

import msgspec
from aiohttp import web

from .context import request_id
from .errors import ApiError
from .models import PaginationMeta

JSON = "application/json"


def ok(data: object, *, status: int = 200, meta: PaginationMeta | None = None) -> web.Response:
    envelope: dict[str, object] = {"message": "ok", "data": data}
    if meta is not None:
        envelope["meta"] = meta
    return web.Response(status=status, body=msgspec.json.encode(envelope), content_type=JSON)


def error_body(request: web.Request, code: str, message: str | list[str]) -> bytes:
    return msgspec.json.encode(
        {"message": message, "code": code, "request_id": request_id(request)}
    )


def error_response(request: web.Request, error: ApiError) -> web.Response:
    return web.Response(
        status=error.status,
        body=error_body(request, error.code, error.message),
        content_type=JSON,
    )
