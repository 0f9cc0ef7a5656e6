"""Profile one contender of the request-path benchmark with cProfile.

``python -m benchmarks.profile_requests [--contender bimpe_async] [--op "GET list"]``
starts ``fixed_server`` on the other core, warms the client up, profiles N requests at
concurrency 1 and prints the top entries by own time: the first place to look when the
request-path goal is missed. cProfile slows Python code down more than C code, so use
the numbers to rank, not to time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
from collections.abc import Sequence

from .request_path import CONTENDERS, GET_LIST, OPERATIONS, OURS
from .servers import Placement, client_pinned, server_process


async def profile(base_url: str, contender: str, op: str, requests: int) -> cProfile.Profile:
    profiler = cProfile.Profile()
    async with CONTENDERS[contender](base_url) as operations:
        operation = operations[op]
        for _ in range(min(requests, 200)):
            await operation()
        profiler.enable()
        for _ in range(requests):
            await operation()
        profiler.disable()
    return profiler


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_requests")
    parser.add_argument("--contender", choices=sorted(CONTENDERS), default=OURS)
    parser.add_argument("--op", choices=OPERATIONS, default=GET_LIST)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    arguments = parser.parse_args(argv)
    placement = Placement.detect()
    with client_pinned(placement), server_process("fixed_server", placement=placement) as server:
        profiler = asyncio.run(
            profile(server["base_url"], arguments.contender, arguments.op, arguments.requests)
        )
    pstats.Stats(profiler).sort_stats("tottime").print_stats(arguments.top)


if __name__ == "__main__":
    main()
