"""The base of every response model, and how their unknown fields stay reachable.

Models are frozen msgspec Structs decoded straight from response bytes. A field the
server adds later is ignored by the decoder (never an error) but not lost: what a call
returns remembers where in the response it came from, and ``model_raw`` /
``model_extra`` decode just that part of the body on demand. Remembering costs one
small tuple per returned object; the generic decode is paid only by callers who ask.
"""

from __future__ import annotations

import functools
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
    def model_raw(self) -> dict[str, Any]:
        """This object as the server sent it, unknown fields included (decoded on demand).

        Available on what a call returns (the object, or each item of a page); objects
        nested inside it are in here too. A model not decoded from a response gives
        its own fields.
        """
        link: tuple[ResponseSource, tuple[str | int, ...]] | None = self.__dict__.get(_LINK)
        if link is None:
            return msgspec.to_builtins(self)  # type: ignore[no-any-return]
        source, path = link
        raw = source.root()
        for step in path:
            raw = raw[step]
        return raw if isinstance(raw, dict) else {}

    @property
    def model_extra(self) -> dict[str, Any]:
        """Fields the server sent that this model does not declare (empty if none)."""
        if _LINK not in self.__dict__:
            return {}
        known = _declared_names(type(self))
        return {key: value for key, value in self.model_raw.items() if key not in known}


@functools.cache
def _declared_names(model: type[Model]) -> frozenset[str]:
    return frozenset(field.encode_name for field in msgspec.structs.fields(model))


def link_source(value: Any, source: ResponseSource, path: tuple[str | int, ...] = ()) -> None:
    """Record where in ``source`` the model(s) in ``value`` came from.

    ``value`` is what a call returns: one model, or a list of them. Objects nested
    inside are deliberately not linked: walking them cost more than the decode itself
    on a page of agents with rules (measured), and their unknown fields are already
    reachable through the parent's ``model_raw``.
    """
    if isinstance(value, Model):
        value.__dict__[_LINK] = (source, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, Model):
                item.__dict__[_LINK] = (source, (*path, index))
