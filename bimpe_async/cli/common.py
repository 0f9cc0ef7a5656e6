"""What the commands share: connection options, one client per run, errors as one line.

Each command parses its options, then hands ``run`` the async work to do with a client;
``run`` owns the event loop and turns every failure a user can cause (a missing or
refused key, an unknown id, an unreachable server, a file that cannot be written) into
one line on stderr and an exit status, never a traceback. The API key never appears in
that line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, NoReturn, Protocol, TypeVar

import msgspec
import typer

from ..client import DEFAULT_BASE_URL, AsyncBimpeAI
from ..errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    PermissionDeniedError,
    UserError,
)

T = TypeVar("T")

FAILED = 1
"""Exit status of a failed request or file operation."""
USAGE = 2
"""Exit status of a usage mistake: a missing key, a bad URL (typer uses it for options)."""
INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), except for ``bimpe tail`` where it is 0."""

ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        envvar="BIMPEAI_API_KEY",
        show_default=False,
        help="API key (sk_...).",
    ),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        envvar="BIMPEAI_BASE_URL",
        show_default=False,
        help=f"API server (default: {DEFAULT_BASE_URL}), e.g. an emulator's URL.",
    ),
]
MaxRetriesOption = Annotated[
    int,
    typer.Option("--max-retries", min=0, help="Retries of a request that failed transiently."),
]
AgentArgument = Annotated[str, typer.Argument(metavar="AGENT", help="The agent's id.")]
ConversationArgument = Annotated[
    str, typer.Argument(metavar="CONVERSATION", help="The conversation's id.")
]
JsonOption = Annotated[
    bool,
    typer.Option("--json", help="JSON Lines on stdout: each object as the API sent it."),
]


class ApiObject(Protocol):
    """A model decoded from a response (an agent, a conversation, a message)."""

    @property
    def id(self) -> str: ...

    @property
    def model_raw(self) -> dict[str, Any]: ...


class CliError(Exception):
    """A failure the command explains itself, in one line."""


@dataclass(frozen=True)
class Connection:
    """Where to send requests, and with which key."""

    api_key: str
    base_url: str | None
    max_retries: int

    def client(self) -> AsyncBimpeAI:
        return AsyncBimpeAI(self.api_key, base_url=self.base_url, max_retries=self.max_retries)


def connection(api_key: str | None, base_url: str | None, max_retries: int = 2) -> Connection:
    """The connection options of a command, or exit when there is no key."""
    if not api_key:
        fail("no API key: pass --api-key or set BIMPEAI_API_KEY", USAGE)
    return Connection(api_key, base_url, max_retries)


def fail(message: str, status: int = FAILED) -> NoReturn:
    """Print ``bimpe: message`` on stderr and exit with ``status``."""
    typer.echo(f"bimpe: {message}", err=True)
    raise typer.Exit(status)


def run(
    connection: Connection,
    work: Callable[[AsyncBimpeAI], Awaitable[T]],
    *,
    interrupted_status: int = INTERRUPTED,
    interrupted_note: str | None = None,
) -> T:
    """Run ``work`` with a client in a new event loop, and close the client after it.

    Ctrl-C exits with ``interrupted_status`` (printing ``interrupted_note`` if given);
    errors exit as described in the module docstring.
    """

    async def with_client() -> T:
        async with connection.client() as client:
            return await work(client)

    try:
        return asyncio.run(with_client())
    except KeyboardInterrupt:
        if interrupted_note:
            typer.echo(f"bimpe: {interrupted_note}", err=True)
        raise typer.Exit(interrupted_status) from None
    except (UserError, CliError, APIError, APIConnectionError, OSError) as error:
        message, status = explain(error, connection)
        fail(message.replace(connection.api_key, "***"), status)


def explain(error: Exception, connection: Connection) -> tuple[str, int]:
    """The line and exit status that report ``error``."""
    if isinstance(error, UserError):
        return str(error), USAGE
    if isinstance(error, (AuthenticationError, PermissionDeniedError)):
        return f"the API key was refused: {error}", FAILED
    if isinstance(error, APIConnectionError):
        return f"cannot reach {connection.base_url or DEFAULT_BASE_URL}: {error}", FAILED
    return str(error), FAILED


def json_line(item: ApiObject) -> bytes:
    """``item`` as the API sent it, as one line of JSON (newline included)."""
    return msgspec.json.encode(item.model_raw) + b"\n"


def echo_json_lines(items: Iterable[ApiObject]) -> None:
    for item in items:
        typer.echo(json_line(item), nl=False)
