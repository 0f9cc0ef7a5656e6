"""What every resource shares: the pipeline handle and request-body checking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._core import CallOptions, Core
from ..errors import UserError


class Resource:
    """A group of endpoints; subclasses only declare specs and call ``self._core``."""

    def __init__(self, core: Core) -> None:
        self._core = core


def write_options(
    idempotency_key: str | None,
    timeout: float | None,
    max_retries: int | None,
    headers: Mapping[str, str] | None,
) -> CallOptions:
    """The per-call options every write method accepts."""
    return CallOptions(
        idempotency_key=idempotency_key, timeout=timeout, max_retries=max_retries, headers=headers
    )


def checked_body(params: Any, body: dict[str, Any], where: str) -> dict[str, Any]:
    """``body`` after checking its keys against the ``params`` TypedDict.

    Type checkers catch these mistakes statically; this catches them at run time, with
    a message naming the argument, before anything is sent.
    """
    allowed: frozenset[str] = params.__required_keys__ | params.__optional_keys__
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise UserError(
            f"{where}() got unexpected argument(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )
    missing = sorted(params.__required_keys__ - set(body))
    if missing:
        raise UserError(f"{where}() missing required argument(s): {', '.join(missing)}")
    return body
