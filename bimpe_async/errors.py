"""The error hierarchy, and the one place that turns an HTTP error response into it.

The class names match the official ``bimpeai`` SDK so that ``except`` clauses keep
working after an import change::

    BimpeAIError
    ├── UserError                      the SDK was called wrongly (no I/O happened)
    ├── APIConnectionError             no usable HTTP response
    │   ├── APITimeoutError
    │   │   ├── LimiterTimeoutError    the timeout ran out in the client-side rate limiter
    │   │   └── PoolTimeoutError       the timeout ran out waiting for a pooled connection
    │   └── ClientClosedError          the client was closed while the call was in flight
    └── APIError                       the server answered with an error
        ├── BadRequestError            400
        │   └── ValidationError        400 with code "validation_error"
        ├── AuthenticationError        401
        ├── PermissionDeniedError      403
        ├── NotFoundError              404
        ├── ConflictError              409
        ├── RateLimitError             429
        ├── InternalServerError        5xx other than 501
        ├── APINotImplementedError     501
        └── APIResponseValidationError a 2xx whose body is not what the API promises
            └── ResponseTooLargeError  a body or stream event over the client's size limit

Building an error from a response never raises, whatever the body holds (invalid
UTF-8, JSON nested too deep to decode, a truncated prefix): a hostile or broken
server gets the status's error class with message ``HTTP <status>``.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Mapping
from typing import Any, Literal, TypedDict

import msgspec

from ._headers import case_insensitive

DECODE_ERRORS = (msgspec.MsgspecError, ValueError, RecursionError)
"""What decoding a hostile body can raise: msgspec's DecodeError for bad JSON or shape
(a ValueError only after 0.18), UnicodeDecodeError for invalid UTF-8 in a string,
RecursionError for nesting beyond its limit. All of it means "not a valid body",
never a crash."""

ErrorCode = Literal[
    "validation_error",
    "bad_request",
    "unauthorized",
    "api_key_missing",
    "api_key_invalid",
    "api_key_expired",
    "insufficient_scope",
    "forbidden",
    "not_found",
    "conflict",
    "rate_limited",
    "too_many_requests",
    "not_implemented",
    "agent_limit_reached",
    "internal_error",
]


class BimpeAIError(Exception):
    """Base class of every error this SDK raises."""


class UserError(BimpeAIError, ValueError):
    """The SDK was called with bad input or configuration; nothing was sent."""


class APIConnectionError(BimpeAIError):
    """The request got no usable HTTP response (refused, reset, DNS, TLS, ...)."""

    def __init__(self, message: str = "Connection error.") -> None:
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The request did not complete within its timeout."""

    def __init__(self, message: str = "Request timed out.") -> None:
        super().__init__(message)


class LimiterTimeoutError(APITimeoutError):
    """The call's timeout ran out while the client-side rate limiter held it back.

    Nothing was sent. It is not retried: another attempt would only wait in the same
    limiter again.
    """


class PoolTimeoutError(APITimeoutError):
    """The call's timeout ran out while it waited for a free connection in the pool.

    Every connection the client may hold for calls (``max_connections``) was busy with
    other calls: the client is overloaded, not the server slow. Nothing was sent. It
    is not retried: another attempt would only wait in the same queue again.
    """


class InsecureTransportWarning(UserWarning):
    """The API key is about to travel over plain http to a host that is not loopback."""


class ClientClosedError(APIConnectionError):
    """The client was closed while this call was in flight, between two attempts.

    An earlier attempt was sent, so the server may have acted on it; the call ends
    here instead of retrying on a closed client. (A call whose first attempt meets a
    closed client sent nothing and gets ``UserError``.)
    """


class FieldError(TypedDict):
    """One entry of a validation error: where (``path``) and what (``message``).

    A plain dict, as in the official SDK, so ``err.field_errors[0]["path"]`` keeps working.
    """

    path: str
    message: str


class APIError(BimpeAIError):
    """The server answered with an error status; what it sent is kept.

    ``body`` is the decoded JSON, or the text when it is not JSON. Only a bounded
    prefix of an error body is read (see ``_http.MAX_ERROR_BODY_BYTES``);
    ``body_truncated`` says when the server sent more than that.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        body_truncated: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.headers = case_insensitive(headers)
        self.body = body
        self.body_truncated = body_truncated

    def __str__(self) -> str:
        suffix = f" (request id {self.request_id})" if self.request_id else ""
        return f"{self.status} {self.code or 'error'}: {self.message}{suffix}"


class BadRequestError(APIError):
    """400: the request was malformed."""


class ValidationError(BadRequestError):
    """400 with code ``validation_error``; ``field_errors`` says which fields and why."""

    def __init__(self, message: str, *, field_errors: list[FieldError], **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field_errors = field_errors


class AuthenticationError(APIError):
    """401: the API key is missing, invalid or expired (or a stream ticket was refused)."""


class PermissionDeniedError(APIError):
    """403: the key is valid but lacks the scope for this call."""


class NotFoundError(APIError):
    """404: no such resource (or not visible to this key)."""


class ConflictError(APIError):
    """409: the request conflicts with current state, e.g. a reused idempotency key."""


class RateLimitError(APIError):
    """429: too many requests; ``retry_after`` says how long the server asks us to wait."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        limit: int | None = None,
        remaining: int | None = None,
        reset_at: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        self.limit = limit
        self.remaining = remaining
        self.reset_at = reset_at


class InternalServerError(APIError):
    """5xx other than 501: the server failed; retried by default."""


class APINotImplementedError(APIError):
    """501: the endpoint exists in the API but the server does not serve it yet."""


class APIResponseValidationError(APIError):
    """A success status whose body is not the JSON envelope the API promises."""

    def __str__(self) -> str:
        return f"{self.message} (request id {self.request_id})"


class ResponseTooLargeError(APIResponseValidationError):
    """A response body or stream event larger than the client's limit.

    It is refused while reading, so it never sits whole in memory, and the connection
    is dropped. Not retried: the server would send the same thing again. The limits
    are ``max_response_bytes`` (client) and ``max_event_bytes`` (message streams).
    """


def parse_int(raw: str | None) -> int | None:
    """An integer header value, or None when absent or unparseable (never raises)."""
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        return None


def parse_seconds(raw: str | None) -> float | None:
    """A non-negative ``Retry-After`` in seconds, or None when absent or unparseable."""
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    return value if value >= 0 and math.isfinite(value) else None


def decode_error_body(body: bytes) -> Any:
    """An error body as JSON, else as text (invalid UTF-8 replaced), None when empty.

    Never raises: msgspec reports invalid UTF-8 inside strings as
    ``UnicodeDecodeError`` and JSON nested beyond its limit as ``RecursionError``,
    and a hostile body must not turn an HTTP error into either.
    """
    if not body:
        return None
    try:
        return msgspec.json.decode(body)
    except DECODE_ERRORS:
        return body.decode("utf-8", "replace")


def _text(part: Any) -> str:
    # The API sends strings; anything else is shown bounded (reprlib caps depth and size).
    return part if isinstance(part, str) else reprlib.repr(part)


def _human_message(message: Any) -> str | None:
    if isinstance(message, str):
        return message
    if isinstance(message, list):
        return "; ".join(_text(part) for part in message)
    return None


def _field_errors(message: Any) -> list[FieldError]:
    if not isinstance(message, list):
        return []
    errors = []
    for entry in message:
        text = _text(entry)
        path, colon, rest = text.partition(":")
        errors.append(
            FieldError(path=path.strip(), message=rest.strip())
            if colon
            else FieldError(path="", message=text)
        )
    return errors


_STATUS_ERRORS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
    501: APINotImplementedError,
}


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    request_id: str | None,
    *,
    truncated: bool = False,
) -> APIError:
    """Map an error response to its exception class, keeping what the server said.

    ``body`` may be a prefix of what the server sent (``truncated``). Never raises.
    """
    parsed = decode_error_body(body)
    fields: dict[str, Any] = parsed if isinstance(parsed, dict) else {}
    raw_message = fields.get("message")
    message = _human_message(raw_message) or f"HTTP {status}"
    code = _string(fields.get("code"))
    common: dict[str, Any] = {
        "status": status,
        "code": code,
        "request_id": headers.get("x-request-id")
        or _string(fields.get("request_id"))
        or request_id,
        "headers": headers,
        "body": parsed,
        "body_truncated": truncated,
    }
    if status == 400 and code == "validation_error":
        return ValidationError(message, field_errors=_field_errors(raw_message), **common)
    if status == 429:
        return RateLimitError(
            message,
            retry_after=parse_seconds(headers.get("retry-after")),
            limit=parse_int(headers.get("x-ratelimit-limit")),
            remaining=parse_int(headers.get("x-ratelimit-remaining")),
            reset_at=parse_int(headers.get("x-ratelimit-reset")),
            **common,
        )
    error_class = _STATUS_ERRORS.get(status)
    if error_class is None:
        error_class = InternalServerError if status >= 500 else APIError
    return error_class(message, **common)
