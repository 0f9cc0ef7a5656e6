"""What every resource shares: the pipeline handle and the arguments of list methods."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict

from .._core import Core
from .._options import CallOptions
from .._raw import RawCore

PAGE_QUERY = ("page", "limit", "search", "sort")
"""The query every paginated list takes (``page`` is always sent, from 1)."""


class Resource:
    """A group of endpoints; subclasses only declare specs and call ``self._core``."""

    def __init__(self, core: Core) -> None:
        self._core = core

    @property
    def with_raw_response(self) -> Any:
        """This resource with every method answering a ``RawResponse`` (``status``,
        ``headers``, ``request_id``, ``elapsed``, and ``parse()`` for the usual result):
        ``raw = await client.agents.with_raw_response.retrieve(agent_id)``."""
        return type(self)(RawCore(self._core))


class PageArgs(TypedDict, total=False):
    """Which page of a list to fetch, and how to filter and order it."""

    page: int
    limit: int | None
    search: str | None
    sort: str | None
    """A field name, ``-`` first for descending (``-created_at``)."""


class ListArgs(PageArgs, CallOptions, total=False):
    """Arguments of a paginated list without filters of its own."""
