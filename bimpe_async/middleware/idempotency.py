"""Give every write call one ``Idempotency-Key``, reused on every attempt.

The server answers a repeated key with the first result, so a retried create runs once.
The key is the caller's when given (per-call ``idempotency_key=`` or the header);
otherwise one is generated, but only when retries are enabled: a call that is never
retried gains nothing from a key.
"""

from __future__ import annotations

from collections.abc import Awaitable

from .._http import Handler, Request, Response
from .._ids import new_id


class IdempotencyMiddleware:
    name = "idempotency"

    def __call__(self, request: Request, call_next: Handler) -> Awaitable[Response]:
        return self.as_handler(call_next)(request)

    def as_handler(self, call_next: Handler) -> Handler:
        """This middleware in front of ``call_next``, as one function (see ``Chain``)."""

        def with_idempotency_key(request: Request) -> Awaitable[Response]:
            if request.is_write and "Idempotency-Key" not in request.headers:
                key = request.options.idempotency_key
                if key is None and request.options.max_retries > 0:
                    key = new_id()
                if key is not None:
                    request.headers["Idempotency-Key"] = key
            return call_next(request)

        return with_idempotency_key
