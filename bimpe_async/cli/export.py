"""``bimpe export conversations|messages ... --out FILE.jsonl``: every item, resumably.

The listing is walked with ``AsyncPage.pages(concurrency=N)`` (N pages in flight,
still in order) and each item is appended to the file as one line of JSON, as the API
sent it. Run the same command again after an interruption and it resumes: see
``resume.py``. Items are listed oldest first, so items created during an export come
last and a rerun picks them up too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ..pagination import AsyncPage
from .common import (
    AgentArgument,
    ApiKeyOption,
    ApiObject,
    BaseUrlOption,
    ConversationArgument,
    MaxRetriesOption,
    connection,
    json_line,
    run,
)
from .resume import exported_ids

T = TypeVar("T", bound=ApiObject)

OLDEST_FIRST = "created_at"
RESUME_NOTE = "interrupted: run the same command again to resume the export"

export = typer.Typer(
    help="Write every item of a listing to a JSON Lines file; rerun to resume.",
    no_args_is_help=True,
)

OutOption = Annotated[
    Path,
    typer.Option(
        "--out", "-o", dir_okay=False, help="The JSON Lines file, appended to if it exists."
    ),
]
ConcurrencyOption = Annotated[
    int, typer.Option("--concurrency", min=1, max=32, help="Pages fetched at once.")
]
PageSizeOption = Annotated[
    int, typer.Option("--page-size", min=1, max=100, help="Items per page request.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")]


class RateColumn(ProgressColumn):
    """Items per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f}/s", style="progress.data.speed")


class PageProgress:
    """A progress bar for a page walk on stderr: items of the total, pages, rate, ETA.

    Shown only on a terminal (rich's notion, so ``TTY_COMPATIBLE=1`` forces it) and
    not with ``--quiet``.
    """

    def __init__(self, what: str, *, quiet: bool) -> None:
        console = Console(stderr=True)
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("items, page {task.fields[page]}/{task.fields[pages]}"),
            RateColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=quiet or not console.is_terminal,
        )
        self._task = self._bar.add_task(what, total=None, page=0, pages="?")

    def __enter__(self) -> PageProgress:
        self._bar.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._bar.stop()

    def walked(self, page: AsyncPage[T]) -> None:
        """Count one more page of the walk (the total may grow while walking)."""
        if page.meta is None:
            self._bar.update(self._task, advance=len(page.data))
            return
        self._bar.update(
            self._task,
            advance=len(page.data),
            total=page.meta.total_count,
            page=page.meta.current_page,
            pages=page.meta.page_count,
        )


@dataclass(frozen=True)
class Outcome:
    """How many items this run appended, and how many it found in the file."""

    written: int
    already_there: int


async def write_all(
    first_page: Callable[[], Awaitable[AsyncPage[T]]],
    out: Path,
    *,
    concurrency: int,
    progress: PageProgress,
) -> Outcome:
    """Append every item of the listing that is not in ``out`` yet, page by page.

    ``first_page`` requests the listing's first page, once the file has been read.
    """
    exported = exported_ids(out)
    already_there = len(exported)
    with progress, out.open("ab") as file:
        page = await first_page()
        async for each in page.pages(concurrency=concurrency):
            lines = []
            for item in each.data:
                if item.id not in exported:
                    exported.add(item.id)
                    lines.append(json_line(item))
            file.write(b"".join(lines))
            file.flush()
            progress.walked(each)
    return Outcome(len(exported) - already_there, already_there)


def report(outcome: Outcome, what: str, out: Path, *, quiet: bool) -> None:
    if not quiet:
        typer.echo(
            f"{outcome.written} {what} written to {out}, "
            f"{outcome.already_there} were there already",
            err=True,
        )


@export.command("conversations")
def export_conversations(
    agent: AgentArgument,
    out: OutOption,
    concurrency: ConcurrencyOption = 4,
    page_size: PageSizeOption = 100,
    quiet: QuietOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    max_retries: MaxRetriesOption = 2,
) -> None:
    """Export every conversation of AGENT, one JSON object per line."""
    outcome = run(
        connection(api_key, base_url, max_retries),
        lambda client: write_all(
            lambda: client.conversations.list(agent, limit=page_size, sort=OLDEST_FIRST),
            out,
            concurrency=concurrency,
            progress=PageProgress("conversations", quiet=quiet),
        ),
        interrupted_note=RESUME_NOTE,
    )
    report(outcome, "conversations", out, quiet=quiet)


@export.command("messages")
def export_messages(
    agent: AgentArgument,
    conversation: ConversationArgument,
    out: OutOption,
    concurrency: ConcurrencyOption = 4,
    page_size: PageSizeOption = 100,
    quiet: QuietOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    max_retries: MaxRetriesOption = 2,
) -> None:
    """Export every message of a conversation, one JSON object per line."""
    outcome = run(
        connection(api_key, base_url, max_retries),
        lambda client: write_all(
            lambda: client.conversations.messages.list(
                agent, conversation, limit=page_size, sort=OLDEST_FIRST
            ),
            out,
            concurrency=concurrency,
            progress=PageProgress("messages", quiet=quiet),
        ),
        interrupted_note=RESUME_NOTE,
    )
    report(outcome, "messages", out, quiet=quiet)
