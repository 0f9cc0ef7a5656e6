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
from collections.abc import Awaitable, Mapping

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
        return self.as_handler(call_next)(request)

    def as_handler(self, call_next: Handler) -> Handler:
        """This middleware in front of ``call_next``, as one function (see ``Chain``)."""

        def logged_if_enabled(request: Request) -> Awaitable[Response]:
            # Checked on every call: levels (and this middleware's logger) may change.
            if not self.logger.isEnabledFor(logging.DEBUG):
                return call_next(request)
            return self._logged(request, call_next)

        return logged_if_enabled

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
        log_exchange(
            self.logger,
            request.method,
            request.path,
            status,
            seconds,
            request.headers,
            what=f"attempt {request.attempt}",
            attempt=request.attempt,
        )


def log_exchange(
    logger: logging.Logger,
    method: str,
    path: str,
    status: int | str,
    seconds: float,
    headers: Mapping[str, str],
    *,
    what: str,
    attempt: int | None = None,
) -> None:
    """One DEBUG record for one HTTP exchange, path masked, facts also as ``extra``.

    Shared by this middleware and the stream connection, so every record a log
    shipper sees has the same fields.
    """
    masked = mask_url(path)
    extra: dict[str, object] = {
        "bimpe_method": method,
        "bimpe_path": masked,
        "bimpe_status": status,
        "bimpe_duration_ms": round(seconds * 1000, 3),
        "bimpe_request_id": headers.get("X-Request-Id"),
        "bimpe_idempotency_key": headers.get("Idempotency-Key"),
    }
    if attempt is not None:
        extra["bimpe_attempt"] = attempt
    logger.debug(
        "%s %s -> %s in %.1f ms (%s)", method, masked, status, seconds * 1000, what, extra=extra
    )
