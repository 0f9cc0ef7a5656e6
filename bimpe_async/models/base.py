"""The base of every response model, and how their unknown fields stay reachable.

Models are frozen msgspec Structs decoded straight from response bytes. A field the
server adds later is ignored by the decoder (never an error) but not lost: each model
remembers where in the response it came from, and ``model_extra`` decodes just that
part of the body on demand. Remembering costs one small tuple per object; the generic
decode is paid only by callers who ask.
"""

from __future__ import annotations

import functools
import typing
from typing import Any

import msgspec

_LINK = "_bimpe_source"


class ResponseSource:
    """A response body shared by every model decoded from it."""

    __slots__ = ("_body", "_root")

    _UNDECODED: Any = object()

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._root: Any = self._UNDECODED

    def root(self) -> Any:
        """The whole body, decoded into plain Python objects (once, on first use)."""
        if self._root is self._UNDECODED:
            self._root = msgspec.json.decode(self._body)
        return self._root


class Model(msgspec.Struct, frozen=True, kw_only=True, dict=True):
    """Base class of response models: frozen, typed, tolerant of new fields."""

    @property
    def model_extra(self) -> dict[str, Any]:
        """Fields the server sent that this model does not declare (empty if none)."""
        link: tuple[ResponseSource, tuple[str | int, ...]] | None = self.__dict__.get(_LINK)
        if link is None:
            return {}
        source, path = link
        raw = source.root()
        for step in path:
            raw = raw[step]
        if not isinstance(raw, dict):
            return {}
        known = _declared_names(type(self))
        return {key: value for key, value in raw.items() if key not in known}


@functools.cache
def _declared_names(model: type[Model]) -> frozenset[str]:
    return frozenset(field.encode_name for field in msgspec.structs.fields(model))


@functools.cache
def _nested_fields(model: type[Model]) -> tuple[tuple[str, str], ...]:
    """(attribute, wire name) of the fields that may hold other models."""
    return tuple(
        (field.name, field.encode_name)
        for field in msgspec.structs.fields(model)
        if _mentions_model(field.type)
    )


def _mentions_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return True
    return any(_mentions_model(arg) for arg in typing.get_args(annotation))


def link_source(value: Any, source: ResponseSource, path: tuple[str | int, ...] = ()) -> None:
    """Record, on every model inside ``value``, where in ``source`` it was decoded from."""
    if isinstance(value, Model):
        value.__dict__[_LINK] = (source, path)
        for attribute, wire_name in _nested_fields(type(value)):
            child = getattr(value, attribute)
            if child is not None:
                link_source(child, source, (*path, wire_name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            link_source(item, source, (*path, index))
