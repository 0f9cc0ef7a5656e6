"""One log record per attempt: method, path, status, duration, attempt, ids.

Records go to the ``bimpe_async`` logger at DEBUG, with the same facts as ``extra=``
fields (``bimpe_method``, ``bimpe_status``, ...) for JSON formatters and log shippers.
Nothing secret is logged: headers are not logged at all, and query values whose names
look secret (``ticket``, ``token``, ``key``, ...) are masked. When the logger is not
enabled for DEBUG this middleware costs one check.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable

from .._http import Handler, Request, Response
from ..errors import APIError, BimpeAIError

logger = logging.getLogger("bimpe_async")

_SECRET_QUERY = re.compile(
    r"(?P<name>[?&][^=&]*(?:ticket|token|key|secret|password|auth)[^=&]*=)[^&]*", re.IGNORECASE
)


def mask_url(url: str) -> str:
    """The URL with the values of secret-looking query parameters replaced by ``***``."""
    return _SECRET_QUERY.sub(r"\g<name>***", url)


class LoggingMiddleware:
    name = "logging"

    def __init__(self, logger: logging.Logger = logger) -> None:
        self.logger = logger

    def __call__(self, request: Request, call_next: Handler) -> Awaitable[Response]:
        if not self.logger.isEnabledFor(logging.DEBUG):
            return call_next(request)
        return self._logged(request, call_next)

    async def _logged(self, request: Request, call_next: Handler) -> Response:
        started = time.perf_counter()
        status: int | str = "error"
        try:
            response = await call_next(request)
            status = response.status
            return response
        except APIError as error:
            status = error.status
            raise
        except BimpeAIError as error:
            status = type(error).__name__
            raise
        finally:
            self._record(request, status, time.perf_counter() - started)

    def _record(self, request: Request, status: int | str, seconds: float) -> None:
        path = mask_url(request.path)
        self.logger.debug(
            "%s %s -> %s in %.1f ms (attempt %d)",
            request.method,
            path,
            status,
            seconds * 1000,
            request.attempt,
            extra={
                "bimpe_method": request.method,
                "bimpe_path": path,
                "bimpe_status": status,
                "bimpe_duration_ms": round(seconds * 1000, 3),
                "bimpe_attempt": request.attempt,
                "bimpe_request_id": request.headers.get("X-Request-Id"),
                "bimpe_idempotency_key": request.headers.get("Idempotency-Key"),
            },
        )
