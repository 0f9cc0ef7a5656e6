"""Reading untrusted request input while collecting every problem, not just the first.

The API reports all field errors of a request at once as ``"path: text"`` strings, so
readers here record problems and return ``None`` instead of raising.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
from aiohttp import web

from ..errors import DECODE_ERRORS
from .errors import bad_request, validation_error


class Problems:
    """The field errors found so far in one request."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, path: str, text: str) -> None:
        self.messages.append(f"{path}: {text}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise validation_error(self.messages)


async def json_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object; an empty body counts as ``{}``."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = msgspec.json.decode(raw)
    except DECODE_ERRORS:
        raise bad_request("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


class BodyReader:
    """Typed access to the fields of one JSON object, recording type errors as problems."""

    def __init__(self, body: Mapping[str, Any], problems: Problems, prefix: str = "") -> None:
        self.body = body
        self.problems = problems
        self.prefix = prefix

    def has(self, name: str) -> bool:
        return name in self.body

    def _problem(self, name: str, text: str) -> None:
        self.problems.add(self.prefix + name, text)

    def text(
        self, name: str, *, required: bool = False, nullable: bool = True, non_empty: bool = False
    ) -> str | None:
        value = self.body.get(name)
        if value is None:
            if required:
                self._problem(name, "is required")
            elif name in self.body and not nullable:
                self._problem(name, "must be a string")
            return None
        if not isinstance(value, str):
            self._problem(name, "must be a string")
            return None
        if non_empty and not value.strip():
            self._problem(name, "must not be empty")
            return None
        return value

    def choice(self, name: str, options: Sequence[str], *, required: bool = False) -> str | None:
        value = self.body.get(name)
        if value is None and not required and name not in self.body:
            return None
        if value not in options:
            self._problem(name, "must be one of " + ", ".join(options))
            return None
        return str(value)

    def flag(self, name: str, *, required: bool = False) -> bool | None:
        value = self.body.get(name)
        if value is None:
            if required:
                self._problem(name, "is required")
            return None
        if not isinstance(value, bool):
            self._problem(name, "must be a boolean")
            return None
        return value

    def integer(self, name: str, *, required: bool = False, minimum: int = 0) -> int | None:
        """A whole number of at least ``minimum``; JSON booleans are not numbers here."""
        value = self.body.get(name)
        if value is None:
            if required:
                self._problem(name, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._problem(name, "must be an integer")
            return None
        if value < minimum:
            self._problem(name, f"must be at least {minimum}")
            return None
        return value

    def query_flag(self, name: str) -> bool | None:
        """A boolean query parameter, sent as ``true`` or ``false``."""
        value = self.body.get(name)
        if value is None:
            return None
        if value not in ("true", "false"):
            self._problem(name, "must be true or false")
            return None
        return bool(value == "true")

    def strings(self, name: str, *, required: bool = False) -> list[str] | None:
        value = self.body.get(name)
        if value is None:
            if required:
                self._problem(name, "is required")
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self._problem(name, "must be a list of strings")
            return None
        return list(value)

    def values(self, name: str) -> list[Any] | None:
        """A list whose items are not checked (the API stores them as given)."""
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, list):
            self._problem(name, "must be a list")
            return None
        return list(value)

    def objects(self, name: str) -> list[dict[str, Any]] | None:
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self._problem(name, "must be a list of objects")
            return None
        return list(value)

    def mapping(self, name: str) -> dict[str, Any] | None:
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self._problem(name, "must be an object")
            return None
        return dict(value)

    def item(self, name: str, index: int, body: Mapping[str, Any]) -> BodyReader:
        """A reader for one element of a list field, reporting paths like ``rules[0].name``."""
        return BodyReader(body, self.problems, f"{self.prefix}{name}[{index}].")

    def child(self, name: str, body: Mapping[str, Any]) -> BodyReader:
        """A reader for an object field, reporting paths like ``guide.steps``."""
        return BodyReader(body, self.problems, f"{self.prefix}{name}.")
