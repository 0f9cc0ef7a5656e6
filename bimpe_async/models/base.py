"""The base of every response model, and how their unknown fields stay reachable.

Models are frozen msgspec Structs decoded straight from response bytes. A field the
server adds later is ignored by the typed decoder (never an error) but not lost: each
model a call returns, and each model nested in it, remembers where in the response it
came from. ``model.new_field`` then reads the field from the body like any attribute,
and ``model_raw`` / ``model_extra`` give the whole object and its unknown part. The
body is decoded generically only when someone asks, once per response.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, Union

import msgspec

_LINK = "_bimpe_source"

Path = tuple[str | int, ...]


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

    def at(self, path: Path) -> Any:
        """The part of the body at ``path`` (``None`` if the body has no such part)."""
        raw = self.root()
        for step in path:
            try:
                raw = raw[step]
            except (KeyError, IndexError, TypeError):
                return None
        return raw


class Model(msgspec.Struct, frozen=True, kw_only=True, dict=True):
    """Base class of response models: frozen, typed, tolerant of new fields."""

    @property
    def model_raw(self) -> dict[str, Any]:
        """This object as the server sent it, unknown fields included (decoded on demand).

        A model not decoded from a response gives its own fields.
        """
        link: tuple[ResponseSource, Path] | None = self.__dict__.get(_LINK)
        if link is None:
            return msgspec.to_builtins(self)  # type: ignore[no-any-return]
        raw = link[0].at(link[1])
        return raw if isinstance(raw, dict) else {}

    @property
    def model_extra(self) -> dict[str, Any]:
        """Fields the server sent that this model does not declare (empty if none)."""
        if _LINK not in self.__dict__:
            return {}
        known = _declared_names(type(self))
        return {key: value for key, value in self.model_raw.items() if key not in known}

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: a field the server sent that this
        # model does not declare is readable as an attribute, as on the official SDK.
        if not name.startswith("_") and _LINK in self.__dict__:
            raw = self.model_raw
            if name in raw:
                return raw[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


@functools.cache
def _declared_names(model: type[Model]) -> frozenset[str]:
    return frozenset(field.encode_name for field in msgspec.structs.fields(model))


def _holds_models(annotation: Any) -> bool:
    """Whether a field of this type can contain models (directly, in a list or union)."""
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return True
    origin = typing.get_origin(annotation)
    if origin in (list, Union, types.UnionType):
        return any(_holds_models(arg) for arg in typing.get_args(annotation))
    return False


@functools.cache
def _nested_fields(model: type[Model]) -> tuple[tuple[str, str], ...]:
    """(attribute, wire name) of each field of ``model`` that may hold models.

    Computed once per type, so linking a model with no nested models (an agent, a
    message without attachments) costs one attribute store.
    """
    hints = typing.get_type_hints(model)
    return tuple(
        (field.name, field.encode_name)
        for field in msgspec.structs.fields(model)
        if _holds_models(hints[field.name])
    )


def _link(model: Model, source: ResponseSource, path: Path) -> None:
    model.__dict__[_LINK] = (source, path)
    for name, wire_name in _nested_fields(type(model)):
        value = getattr(model, name)
        if isinstance(value, Model):
            _link(value, source, (*path, wire_name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Model):
                    _link(item, source, (*path, wire_name, index))


def link_source(value: Any, source: ResponseSource, path: Path = ()) -> None:
    """Record where in ``source`` the model(s) in ``value`` came from.

    ``value`` is what a call returns: one model, or a list of them; models nested in
    them are linked too, through the fields their type declares as holding models.
    """
    if isinstance(value, Model):
        _link(value, source, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, Model):
                _link(item, source, (*path, index))
