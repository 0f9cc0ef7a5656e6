"""A fleet of worker processes sharing one API key, driven from a test's event loop.

The workers (``tests/fleet_worker.py``) are started once and reused: starting Python
four times costs more than most scenarios. The emulator they call runs in the test
process, on the test's loop, which stays free to serve them while the test waits
for their answers (read in threads).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent

ANSWER_TIMEOUT = 60.0
"""Seconds a worker may take to answer before the fleet is declared stuck."""


class Fleet:
    def __init__(self, processes: Sequence[subprocess.Popen[str]], logs: Sequence[IO[str]]):
        self.processes = processes
        self.logs = logs

    async def run(self, command: dict[str, Any]) -> list[dict[str, Any]]:
        """Every worker runs ``command``, all starting together; their reports."""
        await self._ask(json.dumps(command))
        return await self._ask("go")

    async def _ask(self, line: str) -> list[dict[str, Any]]:
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.write(line + "\n")
            process.stdin.flush()
        try:
            answers = await asyncio.wait_for(
                asyncio.gather(*(asyncio.to_thread(self._answer, p) for p in self.processes)),
                ANSWER_TIMEOUT,
            )
        except asyncio.TimeoutError:
            self.kill()  # ends the reading threads too
            raise AssertionError(f"the fleet did not answer:\n{self.stderr()}") from None
        return answers

    def _answer(self, process: subprocess.Popen[str]) -> dict[str, Any]:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"a worker exited:\n{self.stderr()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stderr(self) -> str:
        text = []
        for log in self.logs:
            log.seek(0)
            text.append(log.read()[-4000:])
        return "\n".join(text)

    def kill(self) -> None:
        for process in self.processes:
            process.kill()


@contextmanager
def fleet(size: int) -> Iterator[Fleet]:
    """``size`` workers, terminated afterwards."""
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    with ExitStack() as stack:
        logs = [stack.enter_context(tempfile.TemporaryFile("w+")) for _ in range(size)]
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.fleet_worker"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
            for log in logs
        ]
        stack.callback(stop, processes)
        yield Fleet(processes, logs)


def stop(processes: Sequence[subprocess.Popen[str]]) -> None:
    """End the workers: they hold nothing worth an orderly interpreter shutdown."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


async def poll_until(condition: Callable[[], bool], *, timeout: float = 30.0) -> None:
    """Check ``condition`` every 5 ms until it holds; fail after ``timeout`` seconds.

    For what happens in other processes, which no loop turn of ours can hasten.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.005)
