"""Endpoint specs: each API operation described once, as data.

An ``Endpoint`` names the operation, its method and path template, which keyword
arguments go to the query string, how the JSON body is made (``Fields`` or
``Tagged``), and what ``data`` decodes into. Resource methods only pass their
arguments along; turning them into a URL and a body happens here for all of them:
ids are checked and percent-encoded as whole path segments, ``None`` query values
are dropped, booleans are sent as ``true`` / ``false``, and an argument nobody
declared is a ``UserError`` that names it.
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

EXTRAS_HINT = (
    "to send what this SDK does not know yet, use extra_body=, extra_query= or extra_headers="
)


class Fields:
    """A JSON body made of keyword arguments, checked against a TypedDict.

    ``renames`` maps an older argument name to the one the API takes now (both are
    accepted; the current one goes on the wire). Values passed as ``None`` are sent
    as JSON null, as the official SDK does.
    """

    def __init__(self, params: Any, *, renames: Mapping[str, str] | None = None) -> None:
        self.required: frozenset[str] = params.__required_keys__
        self.allowed: frozenset[str] = self.required | params.__optional_keys__
        self.renames = dict(renames or {})

    def build(self, fields: dict[str, Any], where: str) -> dict[str, Any]:
        unknown = fields.keys() - self.allowed
        if unknown:
            raise UserError(
                f"{where}() got unexpected argument(s) {', '.join(sorted(unknown))}; "
                f"allowed: {', '.join(sorted(self.allowed))}; {EXTRAS_HINT}"
            )
        for old, new in self.renames.items():
            if old in fields:
                value = fields.pop(old)
                fields.setdefault(new, value)
        missing = self.required - fields.keys()
        if missing:
            raise UserError(f"{where}() missing required argument(s): {', '.join(sorted(missing))}")
        return fields


class Tagged:
    """A JSON body whose allowed fields depend on one discriminating field (``type``)."""

    def __init__(self, key: str, variants: Mapping[str, Any]) -> None:
        self.key = key
        self.variants = {value: Fields(params) for value, params in variants.items()}

    def build(self, fields: dict[str, Any], where: str) -> dict[str, Any]:
        tag = fields.get(self.key)
        variant = self.variants.get(tag) if isinstance(tag, str) else None
        if variant is None:
            choices = " or ".join(repr(value) for value in self.variants)
            raise UserError(f"{where}(): body[{self.key!r}] must be {choices}, got {tag!r}")
        return variant.build(fields, where)


BodySpec = Fields | Tagged


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """One API operation: ``data`` of its response decodes into ``T``."""

    name: str
    """The method users call, e.g. ``agents.create``: used in error messages."""
    method: HTTPMethod
    path: str
    """Template under ``/api/v1/console``, e.g. ``/agents/{agent_id}``."""
    data: Any
    """The type ``data`` decodes into (``None`` when the response carries nothing)."""
    body: BodySpec | None = None
    """How keyword arguments become the JSON body; ``None``: the request has no body."""
    query: tuple[str, ...] = ()
    """Keyword arguments sent in the query string (``page`` first on paginated lists)."""
    id_names: tuple[str, ...] = field(init=False)
    paginated: bool = field(init=False)
    """Whether the list takes ``page`` (its page knows how to fetch the others)."""

    def __post_init__(self) -> None:
        names = tuple(name for _, name, _, _ in string.Formatter().parse(self.path) if name)
        object.__setattr__(self, "id_names", names)
        object.__setattr__(self, "paginated", "page" in self.query)

    def render_path(self, ids: tuple[object, ...]) -> str:
        """The path with every id checked and percent-encoded."""
        if not self.id_names:
            return self.path
        return self.path.format(
            **{
                name: encode_id(name, value)
                for name, value in zip(self.id_names, ids, strict=False)
            }
        )


def encode_id(name: str, value: object) -> str:
    """An id as one percent-encoded path segment, so it can never reach another route."""
    if not isinstance(value, str) or not value:
        raise UserError(f"{name} must be a non-empty string, got {value!r}")
    try:
        encoded = quote(value, safe="")
    except UnicodeEncodeError:
        raise UserError(f"{name} must be valid Unicode text, got {value!r}") from None
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
        elif isinstance(value, (str, int, float)):
            text = _quote_value(key, str(value))
        else:
            raise UserError(f"{key} must be a string, number or boolean, got {value!r}")
        name = _QUOTED_NAMES.get(key)
        if name is None:
            name = _quote_value(key, key)
            if len(_QUOTED_NAMES) < 1024:  # names are a small fixed set; extra_query may add
                _QUOTED_NAMES[key] = name
        parts.append(f"{name}={text}")
    return "?" + "&".join(parts) if parts else ""


_QUOTED_NAMES: dict[str, str] = {}


def _quote_value(name: str, text: str) -> str:
    try:
        return quote_plus(text)
    except UnicodeEncodeError:
        raise UserError(f"{name} must be valid Unicode text, got {text!r}") from None
