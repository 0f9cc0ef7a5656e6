"""Servers in processes of their own, pinned away from the client where possible.

What the benchmarks measure is the client, so every server runs as a separate process
(``python -m benchmarks.<module> ...``) on a core the client does not use. A server
module binds a free loopback port, prints one JSON line describing itself (at least
``base_url``) and serves until it is terminated; ``server_process`` starts one, reads
that line and stops the process afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
"""The repository root: ``benchmarks`` is importable from here."""

STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class Placement:
    """Which core the client and the servers run on (None: wherever the OS likes)."""

    client_core: int | None
    server_core: int | None

    @classmethod
    def detect(cls) -> Placement:
        """Client on the first usable core and servers on the second, if there are two."""
        if not hasattr(os, "sched_getaffinity"):
            return cls(None, None)
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) < 2:
            return cls(None, None)
        return cls(cores[0], cores[1])


@contextmanager
def client_pinned(placement: Placement) -> Iterator[None]:
    """Run the block with this process on the client's core, then restore its cores."""
    if placement.client_core is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {placement.client_core})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


@contextmanager
def server_process(module: str, *args: str, placement: Placement) -> Iterator[dict[str, Any]]:
    """Run ``python -m benchmarks.<module> ARGS``; yields the facts it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        if placement.server_core is not None:
            os.sched_setaffinity(process.pid, {placement.server_core})
        line = process.stdout.readline() if process.stdout is not None else ""
        if not line:
            raise RuntimeError(f"benchmarks.{module} exited before announcing itself")
        yield json.loads(line)
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def announce(facts: Mapping[str, object]) -> None:
    """Tell the parent process (reading our stdout) that the server is ready."""
    print(json.dumps(dict(facts)), flush=True)


async def serve_app(app: web.Application, facts: Mapping[str, object] | None = None) -> None:
    """Serve ``app`` on a free loopback port until the process is terminated."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    announce({"base_url": f"http://127.0.0.1:{port}", **(facts or {})})
    await asyncio.Event().wait()
