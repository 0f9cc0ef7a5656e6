"""Instructions per request under valgrind: the request path, without the machine's noise.

``python -m benchmarks.instructions [--op "POST create"] [--contender NAME ...]``
counts the CPU instructions each contender of the request-path benchmark spends per
request, at concurrency 64 against ``fixed_server``. Each contender runs twice in a
child process under ``valgrind --tool=callgrind``, making ``--requests`` and then
``--requests + --extra`` requests; the difference divided by ``--extra`` is its cost
per request, start-up and imports excluded.

Timings on a shared two-core machine move by tens of percent from one minute to the
next; instruction counts stay within 2-3% (what moves them is the garbage collector's
timing and how the server's answers batch up), so a change of a few thousand
instructions per request shows. They are not time: they ignore cache misses and
count the garbage collector's work only as far as it runs in those requests, which
is why ``python -m benchmarks`` stays the measure of record. Needs ``valgrind`` (on
Debian: ``apt-get install valgrind``); each contender takes a minute or two.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence

from .request_path import CONTENDERS, FLOOR, OPERATIONS, OURS, OURS_EMPTY, POST_CREATE
from .servers import ROOT, Placement, server_process

CONCURRENCY = 64
WARM_UP_WAVES = 2


async def make_requests(base_url: str, contender: str, op: str, requests: int) -> None:
    """Warm ``contender`` up, then make ``requests`` calls of ``op``, 64 at a time."""
    async with CONTENDERS[contender](base_url) as operations:
        operation = operations[op]
        for _ in range(WARM_UP_WAVES):
            await asyncio.gather(*(operation() for _ in range(CONCURRENCY)))

        async def caller() -> None:
            for _ in range(requests // CONCURRENCY):
                await operation()

        await asyncio.gather(*(caller() for _ in range(CONCURRENCY)))


def instructions(base_url: str, contender: str, op: str, requests: int) -> int:
    """What a child process making ``requests`` calls executes, start-up included."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "benchmarks.instructions",
        "--child",
        base_url,
        contender,
        op,
        str(requests),
    ]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    counted = re.search(r"Collected : (\d+)", finished.stderr)
    if counted is None:
        raise RuntimeError(f"valgrind reported no count:\n{finished.stderr[-2000:]}")
    return int(counted.group(1))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions")
    parser.add_argument("--op", choices=OPERATIONS, default=POST_CREATE)
    parser.add_argument(
        "--contender", nargs="+", choices=sorted(CONTENDERS), default=[FLOOR, OURS_EMPTY, OURS]
    )
    parser.add_argument("--requests", type=int, default=256)
    parser.add_argument("--extra", type=int, default=1280)
    parser.add_argument("--child", nargs=4, metavar=("URL", "CONTENDER", "OP", "REQUESTS"))
    arguments = parser.parse_args(argv)
    if arguments.child is not None:
        base_url, contender, op, requests = arguments.child
        asyncio.run(make_requests(base_url, contender, op, int(requests)))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (on Debian: apt-get install valgrind)")
    costs: dict[str, float] = {}
    with server_process("fixed_server", placement=Placement.detect()) as server:
        for contender in arguments.contender:
            low = instructions(server["base_url"], contender, arguments.op, arguments.requests)
            high = instructions(
                server["base_url"], contender, arguments.op, arguments.requests + arguments.extra
            )
            costs[contender] = (high - low) / arguments.extra
            print(f"{contender}: {costs[contender]:,.0f} instructions per request", flush=True)
    if FLOOR in costs:
        print(f"\n{arguments.op}, concurrency {CONCURRENCY}, vs the floor:")
        for contender, cost in costs.items():
            print(f"  {contender}: {cost / costs[FLOOR]:.3f}x")


if __name__ == "__main__":
    main()
