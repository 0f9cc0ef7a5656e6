"""Give every call one ``X-Request-Id``, the same on every attempt.

It sits outside ``retry`` so that all attempts of a call share the id and can be traced
together on the server. A caller-supplied ``X-Request-Id`` header wins.
"""

from __future__ import annotations

from collections.abc import Awaitable

from .._http import Handler, Request, Response
from .._ids import new_id


class RequestIdMiddleware:
    name = "request_id"

    def __call__(self, request: Request, call_next: Handler) -> Awaitable[Response]:
        return self.as_handler(call_next)(request)

    def as_handler(self, call_next: Handler) -> Handler:
        """This middleware in front of ``call_next``, as one function (see ``Chain``)."""

        def with_request_id(request: Request) -> Awaitable[Response]:
            if "X-Request-Id" not in request.headers:
                request.headers["X-Request-Id"] = new_id()
            return call_next(request)

        return with_request_id
