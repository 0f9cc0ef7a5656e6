"""Calls exist in the API's surface but are not implemented by the server yet."""

from __future__ import annotations

from aiohttp import web

from .context import PREFIX
from .errors import ApiError

routes = web.RouteTableDef()


@routes.get(PREFIX + "/calls")
async def list_calls(request: web.Request) -> web.Response:
    raise ApiError(501, "not_implemented", "Calls are not available yet")
