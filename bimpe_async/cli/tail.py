"""``bimpe tail AGENT CONVERSATION``: a conversation's messages, live, one line each.

The SDK's ``MessageStream`` does the hard part: it reconnects with a fresh ticket after
a cut and resumes after the last message printed, so nothing is lost or repeated.
Following is the normal state of this command, so Ctrl-C ends it with status 0.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..client import AsyncBimpeAI
from ..models import (
    AudioContent,
    FileContent,
    ImageContent,
    OtherContent,
    StreamMessageEvent,
    TextContent,
)
from .common import (
    AgentArgument,
    ApiKeyOption,
    BaseUrlOption,
    ConversationArgument,
    JsonOption,
    connection,
    json_line,
    run,
)


def message_line(message: StreamMessageEvent) -> str:
    """``created_at  id  role: text [image: url]`` on one line, whatever the message holds."""
    parts = []
    for part in message.content:
        match part:
            case TextContent(text=text):
                parts.append(" ".join(text.splitlines()))
            case ImageContent(url=url):
                parts.append(f"[image: {url}]")
            case AudioContent(url=url):
                parts.append(f"[audio: {url}]")
            case FileContent(url=url):
                parts.append(f"[file: {url}]")
            case OtherContent(kind=kind, url=url):
                parts.append(f"[{kind}: {url}]")
    return f"{message.created_at}  {message.id}  {message.role}: {' '.join(parts)}"


def tail(
    agent: AgentArgument,
    conversation: ConversationArgument,
    after: Annotated[
        str | None,
        typer.Option(
            "--after",
            help="Start after this message id or ISO-8601 time (default: from the first message).",
            show_default=False,
        ),
    ] = None,
    count: Annotated[
        int | None,
        typer.Option("--count", min=1, help="Exit after this many messages.", show_default=False),
    ] = None,
    as_json: JsonOption = False,
    max_retries: Annotated[
        int,
        typer.Option("--max-retries", min=0, help="Failed reconnects in a row before giving up."),
    ] = 5,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Follow a conversation's messages as they arrive, until Ctrl-C.

    The history after --after comes first. Dropped connections are resumed without
    losing or repeating a message.
    """

    async def follow(client: AsyncBimpeAI) -> None:
        printed = 0
        stream = client.conversations.messages.stream(
            agent, conversation, after=after, max_retries=max_retries
        )
        async with stream as live:
            async for message in live:
                if as_json:
                    typer.echo(json_line(message), nl=False)
                else:
                    typer.echo(message_line(message))
                printed += 1
                if printed == count:
                    return

    run(connection(api_key, base_url), follow, interrupted_status=0)
