"""The envelope every response comes in, and the pagination metadata of lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Generic, TypeVar

import msgspec

from .base import Model

T = TypeVar("T")


class PaginationMeta(Model, frozen=True):
    """Where a list page sits in the whole listing (pages are 1-based)."""

    total_count: int
    page_count: int
    current_page: int
    limit: int
    has_next_page: bool
    has_previous_page: bool


class Envelope(msgspec.Struct, Generic[T]):
    """``{"message": "ok", "data": ..., "meta": ...}``: the shape of every success body."""

    message: str
    data: T
    meta: PaginationMeta | None = None


class EmptyEnvelope(msgspec.Struct):
    """The envelope of calls whose ``data`` carries nothing (deletes): whatever the
    server puts in ``data`` is not decoded, and ``data`` / ``meta`` read as None."""

    message: str
    data: ClassVar[None] = None
    meta: ClassVar[None] = None


class ApiResponse(msgspec.Struct, Generic[T], frozen=True):
    """A whole response: the decoded ``data`` with the envelope and HTTP around it.

    What ``client.request(..., raw_response=True)`` returns, for callers who need the
    status, headers or paging ``meta`` of an endpoint the SDK does not know yet.
    """

    data: T
    meta: PaginationMeta | None
    request_id: str | None
    status: int
    headers: Mapping[str, str]
