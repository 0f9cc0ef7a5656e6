"""Run the emulator as a process: ``python -m bimpe_async.testing --port 8787 --seed``.

``--legacy-bodies`` and ``--workflow-placeholders`` set the two quirks (``quirks.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import Sequence

from .context import PREFIX
from .emulator import Emulator
from .quirks import Quirks


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
    parser.add_argument(
        "--legacy-bodies",
        action="store_true",
        help="also accept API 0.1.0-era request bodies (by default: 0.4.1's contract)",
    )
    parser.add_argument(
        "--workflow-placeholders",
        action="store_true",
        help="put the real server's [] placeholders in every workflow sent",
    )
    return parser.parse_args(argv)


def build(argv: Sequence[str] | None = None) -> Emulator:
    """The emulator the command line asks for (not started)."""
    arguments = _arguments(argv)
    quirks = Quirks(
        workflow_placeholders=arguments.workflow_placeholders,
        legacy_bodies=arguments.legacy_bodies,
    )
    return Emulator(
        api_key=arguments.api_key,
        host=arguments.host,
        port=arguments.port,
        rate_limit=arguments.rate_limit,
        seed=arguments.seed,
        quirks=quirks,
    )


async def _serve(emulator: Emulator) -> None:
    async with emulator:
        print(f"BimpeAI emulator listening on {emulator.base_url}", flush=True)
        print(f"  API base: {emulator.base_url}{PREFIX}", flush=True)
        print(f"  API key:  {emulator.api_key}", flush=True)
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(build(argv)))


if __name__ == "__main__":
    main()
