"""Run the emulator as a process: ``python -m bimpe_async.testing --port 8787 --seed``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import Sequence

from .context import PREFIX
from .emulator import Emulator


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bimpe_async.testing",
        description="Serve the BimpeAI Agent Console API emulator until interrupted.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787, help="0 picks a free port")
    parser.add_argument("--api-key", default="sk_test_emulator")
    parser.add_argument("--seed", action="store_true", help="load the demo data set")
    parser.add_argument("--rate-limit", type=int, default=None, help="requests per minute")
    return parser.parse_args(argv)


async def _serve(arguments: argparse.Namespace) -> None:
    emulator = Emulator(
        api_key=arguments.api_key,
        host=arguments.host,
        port=arguments.port,
        rate_limit=arguments.rate_limit,
        seed=arguments.seed,
    )
    async with emulator:
        print(f"BimpeAI emulator listening on {emulator.base_url}", flush=True)
        print(f"  API base: {emulator.base_url}{PREFIX}", flush=True)
        print(f"  API key:  {emulator.api_key}", flush=True)
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(_arguments(argv)))


if __name__ == "__main__":
    main()
