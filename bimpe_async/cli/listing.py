"""``bimpe agents list`` and ``bimpe conversations list AGENT``: a table, or JSON Lines.

``--limit`` is how many rows to show, not a page size: the pages are walked until that
many items are in hand, and the table's caption says how many there are in all.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

import typer
from rich.console import Console
from rich.table import Column, Table

from ..models import Agent, Conversation
from ..pagination import AsyncPage
from .common import (
    AgentArgument,
    ApiKeyOption,
    BaseUrlOption,
    JsonOption,
    MaxRetriesOption,
    connection,
    echo_json_lines,
    run,
)

T = TypeVar("T")

MAX_PAGE_SIZE = 100
"""The largest ``limit`` the API accepts for one page."""
NEWEST = "-created_at"

agents = typer.Typer(help="The account's agents.", no_args_is_help=True)
conversations = typer.Typer(help="An agent's conversations.", no_args_is_help=True)

LimitOption = Annotated[int, typer.Option("--limit", min=1, help="Show at most this many.")]
SearchOption = Annotated[
    str | None, typer.Option("--search", help="Only those matching this text.")
]


@dataclass(frozen=True)
class Found(Generic[T]):
    """The first items of a listing, and how many it holds in all."""

    items: list[T]
    total: int


async def first(listing: Awaitable[AsyncPage[T]], limit: int) -> Found[T]:
    """Up to ``limit`` items of a listing, from its first page on."""
    page = await listing
    items: list[T] = []
    async for each in page.pages():
        items.extend(each.data[: limit - len(items)])
        if len(items) == limit:
            break
    return Found(items, page.meta.total_count if page.meta is not None else len(items))


def id_column(items: list[Agent] | list[Conversation]) -> Column:
    """The ID column: never cut short, since ids are what one copies from the table."""
    return Column("ID", no_wrap=True, min_width=max((len(item.id) for item in items), default=2))


def print_table(table: Table, shown: int, total: int) -> None:
    table.caption = f"{shown} of {total}"
    # markup=False: names and message texts are shown as they are, brackets included.
    Console(markup=False, highlight=False).print(table)


@agents.command("list")
def list_agents(
    limit: LimitOption = 20,
    search: SearchOption = None,
    as_json: JsonOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    max_retries: MaxRetriesOption = 2,
) -> None:
    """List the agents, newest first."""
    found: Found[Agent] = run(
        connection(api_key, base_url, max_retries),
        lambda client: first(
            client.agents.list(limit=min(limit, MAX_PAGE_SIZE), search=search, sort=NEWEST),
            limit,
        ),
    )
    if as_json:
        echo_json_lines(found.items)
        return
    table = Table(id_column(found.items), "Name", "Status", "Language", "Created")
    for agent in found.items:
        table.add_row(
            agent.id, agent.name, agent.status or "", agent.language or "", agent.created_at[:10]
        )
    print_table(table, len(found.items), found.total)


@conversations.command("list")
def list_conversations(
    agent: AgentArgument,
    limit: LimitOption = 20,
    search: SearchOption = None,
    as_json: JsonOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    max_retries: MaxRetriesOption = 2,
) -> None:
    """List an agent's conversations, newest first."""
    found: Found[Conversation] = run(
        connection(api_key, base_url, max_retries),
        lambda client: first(
            client.conversations.list(
                agent, limit=min(limit, MAX_PAGE_SIZE), search=search, sort=NEWEST
            ),
            limit,
        ),
    )
    if as_json:
        echo_json_lines(found.items)
        return
    table = Table(id_column(found.items), "Channel", "Contact", "Last message at", "Last message")
    for conversation in found.items:
        contact = (
            conversation.full_name
            or conversation.channel_user_username
            or conversation.channel_user_id
            or ""
        )
        table.add_row(
            conversation.id,
            conversation.channel_type,
            contact,
            (conversation.last_message_at or "")[:16].replace("T", " "),
            conversation.last_message_preview or "",
        )
    print_table(table, len(found.items), found.total)
