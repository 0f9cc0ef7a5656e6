"""Endpoint specs: each API operation described once, as data.

A resource method names its ``Endpoint`` (method, path template, what ``data`` decodes
into) and passes the call's arguments; building the URL is done here for all of them:
ids are checked and percent-encoded as whole path segments, ``None`` query values are
dropped and booleans are sent as ``true`` / ``false``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote, quote_plus

from .errors import UserError

T = TypeVar("T")

HTTPMethod = Literal["GET", "POST", "PATCH", "PUT", "DELETE"]


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """One API operation: ``data`` of its response decodes into ``T``."""

    method: HTTPMethod
    path: str
    """Template under ``/api/v1/console``, e.g. ``/agents/{agent_id}``."""
    data: Any
    """The type ``data`` decodes into (``None`` when the response carries nothing)."""
    id_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names = tuple(name for _, name, _, _ in string.Formatter().parse(self.path) if name)
        object.__setattr__(self, "id_names", names)

    def render_path(self, ids: Mapping[str, object]) -> str:
        """The path with every id checked and percent-encoded."""
        if not self.id_names:
            return self.path
        return self.path.format(**{name: encode_id(name, ids.get(name)) for name in self.id_names})


def encode_id(name: str, value: object) -> str:
    """An id as one percent-encoded path segment, so it can never reach another route."""
    if not isinstance(value, str) or not value:
        raise UserError(f"{name} must be a non-empty string, got {value!r}")
    encoded = quote(value, safe="")
    if encoded in (".", ".."):  # dot segments would be resolved away by URL parsers
        encoded = encoded.replace(".", "%2E")
    return encoded


def encode_query(query: Mapping[str, Any] | None) -> str:
    """``?a=1&b=true`` from a mapping: None dropped, booleans lower-case; '' if empty."""
    if not query:
        return ""
    # Hand-rolled rather than urlencode(): this runs on every list call, and ints
    # (page, limit) need no quoting at all.
    parts = []
    for key, value in query.items():
        if value is None:
            continue
        if value is True:
            text = "true"
        elif value is False:
            text = "false"
        elif type(value) is int:
            text = str(value)
        else:
            text = quote_plus(str(value))
        parts.append(f"{quote_plus(key)}={text}")
    return "?" + "&".join(parts) if parts else ""
