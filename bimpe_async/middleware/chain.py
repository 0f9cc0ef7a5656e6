"""The middleware contract and the named, ordered chain that runs it.

A ``Chain`` is immutable: ``insert_before``, ``insert_after``, ``replace``, ``without``,
``prepend`` and ``append`` return new chains (holding the same middleware objects), so deriving a
chain never changes the one it came from.

A middleware is any async callable ``mw(request, call_next) -> Response``. It may
change the request before calling ``call_next``, look at (or replace) the response,
catch and raise errors, or call ``call_next`` more than once (that is what ``retry``
does). The first middleware in a chain is the outermost.

Every middleware in a chain has a name, taken from its ``name`` attribute or, for a
plain function, its ``__name__``. The chain is composed into a single handler once, when
the client is built, so a call pays for nothing but the middleware themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Protocol

from .._http import Handler, Request, Response
from ..errors import UserError


class Middleware(Protocol):
    """``async def mw(request, call_next) -> Response``."""

    def __call__(self, request: Request, call_next: Handler, /) -> Awaitable[Response]: ...


def middleware_name(middleware: Middleware) -> str:
    """The name a middleware is known by in a chain."""
    name = getattr(middleware, "name", None) or getattr(middleware, "__name__", None)
    if not isinstance(name, str) or not name:
        raise UserError(
            f"middleware {middleware!r} has no name: give it a `name` attribute "
            "or use a named function"
        )
    return name


def _bind(middleware: Middleware, call_next: Handler) -> Handler:
    def handler(request: Request) -> Awaitable[Response]:
        return middleware(request, call_next)

    return handler


class Chain:
    """An ordered list of named middleware, outermost first."""

    def __init__(self, middleware: Iterable[Middleware] = ()) -> None:
        self._items: list[tuple[str, Middleware]] = []
        for item in middleware:
            name = middleware_name(item)
            if name in self.names:
                raise UserError(f"two middleware are named {name!r}; names must be unique")
            self._items.append((name, item))

    @property
    def names(self) -> list[str]:
        """The names, outermost first."""
        return [name for name, _ in self._items]

    def __getitem__(self, name: str) -> Middleware:
        return self._items[self.index(name)][1]

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[Middleware]:
        return (item for _, item in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def index(self, name: str) -> int:
        """The position of the named middleware (0 = outermost)."""
        for position, item_name in enumerate(self.names):
            if item_name == name:
                return position
        raise UserError(f"no middleware named {name!r}; the chain has {self.names}")

    def _spliced(self, start: int, stop: int, middleware: Iterable[Middleware]) -> Chain:
        items = [item for _, item in self._items]
        items[start:stop] = middleware
        return Chain(items)

    def insert_before(self, name: str, *middleware: Middleware) -> Chain:
        """A copy with ``middleware`` placed just outside (before) the named one."""
        position = self.index(name)
        return self._spliced(position, position, middleware)

    def insert_after(self, name: str, *middleware: Middleware) -> Chain:
        """A copy with ``middleware`` placed just inside (after) the named one."""
        position = self.index(name) + 1
        return self._spliced(position, position, middleware)

    def replace(self, name: str, middleware: Middleware) -> Chain:
        """A copy with the named middleware swapped for ``middleware``."""
        position = self.index(name)
        return self._spliced(position, position + 1, [middleware])

    def without(self, name: str) -> Chain:
        """A copy without the named middleware."""
        position = self.index(name)
        return self._spliced(position, position + 1, [])

    def prepend(self, *middleware: Middleware) -> Chain:
        """A copy with ``middleware`` added outermost (first to see each call)."""
        return self._spliced(0, 0, middleware)

    def append(self, *middleware: Middleware) -> Chain:
        """A copy with ``middleware`` added innermost (just above the HTTP call)."""
        return self._spliced(len(self._items), len(self._items), middleware)

    def compose(self, terminal: Callable[[Request], Awaitable[Response]]) -> Handler:
        """Fold the chain around ``terminal`` into one handler.

        A middleware with an ``as_handler(call_next) -> handler`` method (every
        built-in one) is asked for its handler directly: one function call per call
        instead of a wrapper calling the middleware.
        """
        handler: Handler = terminal
        for _, item in reversed(self._items):
            as_handler = getattr(item, "as_handler", None)
            handler = as_handler(handler) if callable(as_handler) else _bind(item, handler)
        return handler

    def __repr__(self) -> str:
        return f"Chain({' -> '.join(self.names)})"
