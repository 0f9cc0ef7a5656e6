"""Sign requests with the API key as a bearer token.

The key lives only inside this object's header value, which no repr, log record or
error message shows.
"""

from __future__ import annotations

from collections.abc import Awaitable

from .._http import Handler, Request, Response


class AuthMiddleware:
    name = "auth"

    __slots__ = ("_authorization",)

    def __init__(self, api_key: str) -> None:
        self._authorization = f"Bearer {api_key}"

    def __call__(self, request: Request, call_next: Handler) -> Awaitable[Response]:
        return self.as_handler(call_next)(request)

    def as_handler(self, call_next: Handler) -> Handler:
        """This middleware in front of ``call_next``, as one function (see ``Chain``)."""
        authorization = self._authorization

        def signed(request: Request) -> Awaitable[Response]:
            request.headers["Authorization"] = authorization
            return call_next(request)

        return signed

    def __repr__(self) -> str:
        return "AuthMiddleware(api_key='***')"
