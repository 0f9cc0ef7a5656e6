"""The base of every response model, and how their unknown fields stay reachable.

Models are frozen msgspec Structs decoded straight from response bytes. A field the
server adds later is ignored by the typed decoder (never an error) but not lost: each
model a call returns, and each model nested in it, remembers where in the response it
came from. ``model.new_field`` then reads the field from the body like any attribute,
and ``model_raw`` / ``model_extra`` give the whole object and its unknown part. The
body is decoded generically only when someone asks, once per response.
"""

from __future__ import annotations

import collections
import functools
import types
import typing
from collections.abc import Callable, Iterable
from itertools import repeat
from typing import Any, Union

import msgspec

from ..errors import DECODE_ERRORS

_LINK = "_bimpe_source"

Path = tuple[str | int, ...]


class ResponseSource:
    """A response body shared by every model decoded from it, and its request id."""

    __slots__ = ("_body", "_root", "request_id")

    _UNDECODED: Any = object()

    def __init__(self, body: bytes, request_id: str | None = None) -> None:
        self._body = body
        self._root: Any = self._UNDECODED
        self.request_id = request_id

    def root(self) -> Any:
        """The whole body, decoded into plain Python objects (once, on first use)."""
        if self._root is self._UNDECODED:
            try:
                self._root = msgspec.json.decode(self._body)
            except DECODE_ERRORS:
                # The typed decode skipped a part it did not need (an unknown field
                # nested too deep to decode): unknown fields are then unreadable.
                self._root = None
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
        link = _link_of(self)
        if link is None:
            return msgspec.to_builtins(self)  # type: ignore[no-any-return]
        source, path, key = link
        raw = source.at(path if key is None else (*path, key))
        return raw if isinstance(raw, dict) else {}

    @property
    def model_extra(self) -> dict[str, Any]:
        """Fields the server sent that this model does not declare (empty if none)."""
        if _LINK not in self.__dict__:
            return {}
        known = _declared_names(type(self))
        return {key: value for key, value in self.model_raw.items() if key not in known}

    @property
    def _request_id(self) -> str | None:
        """The request id of the response this object came from (None if not decoded
        from one): what to quote to BimpeAI support."""
        link = _link_of(self)
        return None if link is None else link[0].request_id

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: a field the server sent that this
        # model does not declare is readable as an attribute, as on the official SDK.
        if not name.startswith("_") and _LINK in self.__dict__:
            raw = self.model_raw
            if name in raw:
                return raw[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


Link = tuple[ResponseSource, Path, str | int | None]
"""Where a model is in its response: the source, a path, and a key at that path."""


def _link_of(model: Model) -> Link | None:
    """The link of ``model``; None if it was not decoded from a response.

    A model that shares its list's link (see ``link_items``) gets a link of its own
    here, the first time one is needed.
    """
    link = model.__dict__.get(_LINK)
    if type(link) is tuple or link is None:
        return link
    if type(link) is bytes:  # linked by link_body: its source is made on first use
        own: Link | None = (ResponseSource(link), (), None)
    else:
        own = link.place_of(model)
    _set_state(model, {} if own is None else {_LINK: own})
    return own


class _SharedLink:
    """The link of every model of one decoded list, shared by all of them.

    A model's place in the list is found, when first needed, by its identity: the
    ids were taken when the list was decoded, while every model in it was alive, so
    a live model's id names its own place and no other (a copy has no link at all:
    msgspec does not copy ``__dict__``).
    """

    __slots__ = ("_ids", "_places")

    def __init__(self, models: list[Any]) -> None:
        self._ids = tuple(map(id, models))
        self._places: dict[int, int] | None = None

    def place_of(self, model: Model) -> Link | None:
        places = self._places
        if places is None:
            places = self._places = {ident: index for index, ident in enumerate(self._ids)}
        index = places.get(id(model))
        return None if index is None else self.link_at(index)

    def link_at(self, index: int) -> Link:
        raise NotImplementedError


class _ListLink(_SharedLink):
    """The models of the list at ``path`` in ``source`` (a page's items)."""

    __slots__ = ("path", "source")

    def __init__(self, models: list[Any], source: ResponseSource, path: Path) -> None:
        super().__init__(models)
        self.source = source
        self.path = path

    def link_at(self, index: int) -> Link:
        return (self.source, self.path, index)


class _BodiesLink(_SharedLink):
    """Models each decoded from the whole of its own body (a batch of stream events)."""

    __slots__ = ("bodies",)

    def __init__(self, models: list[Any], bodies: list[bytes]) -> None:
        if len(models) != len(bodies):
            raise ValueError(f"{len(models)} models for {len(bodies)} bodies")
        super().__init__(models)
        self.bodies = bodies

    def link_at(self, index: int) -> Link:
        return (ResponseSource(self.bodies[index]), (), None)


def _share(models: list[Any], link: _SharedLink) -> None:
    """Give every model in ``models`` the one ``__dict__`` holding ``link``.

    This is the hot path of every list call and stream batch, so it runs as C loops
    (``map``) with no Python code per model, and makes nothing per model but the id
    ``link`` keeps for its place.
    """
    shared = {_LINK: link}
    try:
        _consume(map(_force_setattr, models, repeat("__dict__"), repeat(shared)))
    except (AttributeError, TypeError):  # a placeholder among the models: no __dict__
        for model in models:
            if isinstance(model, Model):
                _set_state(model, shared)


_force_setattr = msgspec.structs.force_setattr


def _set_state(model: Any, state: dict[str, Any]) -> None:
    """Replace ``model.__dict__`` (frozen structs refuse ``setattr``)."""
    _force_setattr(model, "__dict__", state)


_consume: Callable[[Iterable[object]], None] = collections.deque[object](maxlen=0).extend
"""Runs an iterator to its end in C, keeping nothing."""


@functools.cache
def _declared_names(model: type[Model]) -> frozenset[str]:
    return frozenset(field.encode_name for field in msgspec.structs.fields(model))


def _models_in(annotation: Any) -> list[type[Model]]:
    """The model types a field of this type can hold (directly, in a list or union)."""
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return [annotation]
    if typing.get_origin(annotation) in (list, Union, types.UnionType):
        return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]
    return []


@functools.cache
def _nested_fields(model: type[Model]) -> tuple[tuple[str, str], ...]:
    """(attribute, wire name) of each field of ``model`` that may hold models.

    Computed once per type; on that first call each such field also gets a
    ``_LinkOnRead`` so that what it holds is linked when first read, and so do the
    fields of the model types it holds, all the way down.
    """
    hints = typing.get_type_hints(model)
    nested = []
    for field in msgspec.structs.fields(model):
        held = _models_in(hints[field.name])
        if held:
            nested.append((field.name, field.encode_name))
            owner = next(klass for klass in model.__mro__ if field.name in vars(klass))
            if not isinstance(vars(owner)[field.name], _LinkOnRead):
                setattr(owner, field.name, _LinkOnRead(vars(owner)[field.name], field.encode_name))
            for inner in held:
                _nested_fields(inner)
    return tuple(nested)


class _LinkOnRead:
    """Wraps a struct field that may hold models, linking them on first read.

    Linking a model costs about as much as decoding it, so models nested in what a
    call returns (a message's attachments, a workflow's flows) are linked only when
    someone reads the field, not at decode time. msgspec reads and writes fields by
    offset, so decoding, encoding, ``repr`` and ``==`` never go through this.
    """

    __slots__ = ("slot", "wire_name")

    def __init__(self, slot: Any, wire_name: str) -> None:
        self.slot = slot
        self.wire_name = wire_name

    def __get__(self, model: Model | None, owner: type | None = None) -> Any:
        if model is None:
            return self
        value = self.slot.__get__(model, owner)
        if value and _LINK in model.__dict__:
            link = _link_of(model)
            state = model.__dict__  # after _link_of, which may give the model its own
            if link is not None and self.wire_name not in state:
                state[self.wire_name] = True  # keys of __dict__ never clash: models have slots
                source, path, key = link
                link_source(value, source, path if key is None else (*path, key), self.wire_name)
        return value

    def __set__(self, model: Model, value: Any) -> None:
        self.slot.__set__(model, value)


def link_items(items: list[Any], source: ResponseSource, path: Path) -> None:
    """Link every model in ``items``, the list at ``path`` in ``source``."""
    _share(items, _ListLink(items, source, path))


def prepare_links(model: type[Model]) -> None:
    """Ready ``model`` for ``link_body`` (which, being the hot path of a stream, skips
    the per-type set-up that ``link_source`` does on every call)."""
    _nested_fields(model)


def link_body(model: Model, body: bytes) -> None:
    """Record that ``model`` was decoded from the whole of ``body`` (a stream event's
    data), with no request id. Its ``ResponseSource`` is made only when someone reads
    an unknown field: a stream hands out thousands of messages a second, and few are
    ever asked for one."""
    model.__dict__[_LINK] = body


def link_bodies(models: list[Any], bodies: list[bytes]) -> None:
    """``link_body`` for each model and the body it was decoded from, in one call."""
    _share(models, _BodiesLink(models, bodies))


def link_source(
    value: Any, source: ResponseSource, path: Path = (), key: str | int | None = None
) -> None:
    """Record that ``value`` (a model, or a list of them) is ``source`` at ``path``/``key``
    (``key=None``: at ``path`` itself, e.g. the whole body of a stream event).

    Models nested inside are linked when their field is first read, so
    ``detail.integrations[0].new_field`` reads like any attribute.
    """
    if isinstance(value, Model):
        value.__dict__[_LINK] = (source, path, key)
        _nested_fields(type(value))
    elif isinstance(value, list):
        where = path if key is None else (*path, key)
        link_items(value, source, where)
        if value and isinstance(value[0], Model):
            _nested_fields(type(value[0]))
