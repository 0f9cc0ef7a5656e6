"""The API's error outcomes as one exception, so handlers can stop at the first problem."""

from __future__ import annotations


class ApiError(Exception):
    """An error the emulator answers with the standard error envelope."""

    def __init__(self, status: int, code: str, message: str | list[str]) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def validation_error(messages: list[str]) -> ApiError:
    return ApiError(400, "validation_error", messages)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def default_code(status: int) -> str:
    """The code a bare status most plausibly carries, for injected failures."""
    codes = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        429: "rate_limited",
        501: "not_implemented",
    }
    return codes.get(status, "internal_error" if status >= 500 else "bad_request")
