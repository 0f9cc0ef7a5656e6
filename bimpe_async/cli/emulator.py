"""``bimpe emulator``: the embedded emulator as a server, until Ctrl-C.

The same as ``python -m bimpe_async.testing``, plus the environment to point the other
commands at it. Its ``--api-key`` is the key the emulator accepts (a made-up one), so
it is printed, and it is never read from ``BIMPEAI_API_KEY``, which may hold a real key.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer

from .common import fail

if TYPE_CHECKING:
    from ..testing import Emulator


async def serve(server: Emulator) -> None:
    async with server:
        typer.echo(f"BimpeAI emulator listening on {server.base_url}")
        typer.echo(f"  export BIMPEAI_BASE_URL={server.base_url} BIMPEAI_API_KEY={server.api_key}")
        await asyncio.Event().wait()


def emulator(
    port: Annotated[int, typer.Option("--port", min=0, help="0 picks a free port.")] = 8787,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    seed: Annotated[
        bool, typer.Option("--seed", help="Load the demo data set (agents, conversations, ...).")
    ] = False,
    api_key: Annotated[
        str, typer.Option("--api-key", help="The key the emulator accepts.")
    ] = "sk_test_emulator",
    rate_limit: Annotated[
        int | None,
        typer.Option(
            "--rate-limit", min=1, help="Requests per minute per key (default: unlimited)."
        ),
    ] = None,
) -> None:
    """Serve the BimpeAI API emulator (in-memory, for tests and demos) until Ctrl-C."""
    from ..testing import Emulator  # here: aiohttp's server is only loaded for this command

    server = Emulator(api_key=api_key, host=host, port=port, rate_limit=rate_limit, seed=seed)
    try:
        asyncio.run(serve(server))
    except KeyboardInterrupt:
        return
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error.strerror or error}")
