"""The list contract shared by every paginated endpoint: page, limit, search and sort.

Ordering is always total (ties fall back to the id), so the same query returns the
same page every time and walking all pages visits every item exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .models import PaginationMeta
from .validation import Problems

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=Identified)


@dataclass(frozen=True)
class ListQuery:
    page: int
    limit: int
    search: str
    sort: str
    descending: bool


def _integer(raw: str | None, default: int) -> int | None:
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        return None


def list_query(
    query: Mapping[str, str], problems: Problems, *, sortable: Sequence[str], default_sort: str
) -> ListQuery:
    """Reads the common list parameters, recording a problem for each bad one."""
    page = _integer(query.get("page"), 1)
    if page is None or page < 1:
        problems.add("page", "must be a positive integer")
    limit = _integer(query.get("limit"), DEFAULT_LIMIT)
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        problems.add("limit", f"must be between 1 and {MAX_LIMIT}")
    sort = query.get("sort") or default_sort
    field = sort.removeprefix("-")
    if field not in sortable:
        problems.add("sort", "must be one of " + ", ".join(sortable) + " (prefix - to reverse)")
    return ListQuery(
        page=page or 1,
        limit=limit or DEFAULT_LIMIT,
        search=query.get("search", "").strip(),
        sort=field,
        descending=sort.startswith("-"),
    )


def _sort_key(value: Any) -> Any:
    """Text sorts case-insensitively, as people reading a list of names expect."""
    return value.casefold() if isinstance(value, str) else value


def _matches(needle: str, texts: Iterable[str | None]) -> bool:
    return not needle or any(needle in text.casefold() for text in texts if text)


def paginate(
    items: Iterable[T], query: ListQuery, searchable: Callable[[T], Iterable[str | None]]
) -> tuple[list[T], PaginationMeta]:
    """One page of ``items`` after search and sort, with its meta.

    Items whose sort field is null come last in either direction.
    """
    needle = query.search.casefold()
    matching = sorted(
        (item for item in items if _matches(needle, searchable(item))), key=lambda item: item.id
    )
    present = [item for item in matching if getattr(item, query.sort) is not None]
    missing = [item for item in matching if getattr(item, query.sort) is None]
    present.sort(key=lambda item: _sort_key(getattr(item, query.sort)), reverse=query.descending)
    ordered = present + missing
    total = len(ordered)
    page_count = -(-total // query.limit)
    start = (query.page - 1) * query.limit
    meta = PaginationMeta(
        total_count=total,
        page_count=page_count,
        current_page=query.page,
        limit=query.limit,
        has_next_page=query.page < page_count,
        has_previous_page=query.page > 1,
    )
    return ordered[start : start + query.limit], meta
