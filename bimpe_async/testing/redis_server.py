"""A throwaway ``redis-server`` on a free loopback port, for tests and benchmarks.

``SharedRateLimit`` is only tested honestly against a real Redis: its Lua script,
Redis's clock, and what a client sees when the server dies or freezes are the point.
``RedisServer`` runs the ``redis-server`` binary (loopback only, nothing written to
disk) and stops it; ``freeze``/``thaw`` make it stop answering without closing any
connection, the way an overloaded or partitioned server looks to a client.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
from types import TracebackType

READY = "Ready to accept connections"
"""What redis-server logs once it serves."""


class RedisServerError(RuntimeError):
    """redis-server is not installed, or did not start."""


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RedisServer:
    """``with RedisServer() as redis:`` serves on ``redis.url`` until the block ends.

    ``port`` None picks a free one (and another if it was taken meanwhile); ``stop()``
    and ``start()`` again reuse the same port, as a restarted server would.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        executable: str = "redis-server",
        start_timeout: float = 10.0,
    ) -> None:
        self.port = port
        self.executable = executable
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[str] | None = None
        self._drain: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RedisServerError("the server has not been started")
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which(self.executable)
        if binary is None:
            raise RedisServerError(
                f"{self.executable} is not installed (Debian: apt-get install redis-server)"
            )
        tries = 1 if self.port is not None else 3
        for attempt in range(tries):
            port = self.port or free_port()
            if self._launch(binary, port, last=attempt == tries - 1):
                self.port = port
                return

    def _launch(self, binary: str, port: int, *, last: bool) -> bool:
        """Start on ``port``; False when that failed and another port may be tried."""
        settings = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process = subprocess.Popen(
            [binary, *settings],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        watchdog = threading.Timer(self.start_timeout, process.kill)
        watchdog.start()
        said: list[str] = []
        try:
            for line in process.stdout:
                said.append(line)
                if READY in line:
                    break
        finally:
            watchdog.cancel()
        if not said or READY not in said[-1]:
            process.kill()
            process.wait()
            process.stdout.close()
            if last:
                raise RedisServerError(f"redis-server did not start:\n{''.join(said[-10:])}")
            return False
        # Keep reading what it logs, or a full pipe would block it one day.
        self._drain = threading.Thread(target=process.stdout.read, daemon=True)
        self._drain.start()
        self._process = process
        return True

    def stop(self) -> None:
        """Stop the server (it is woken first if frozen) and wait for it to exit."""
        process, self._process = self._process, None
        if process is None:
            return
        process.send_signal(signal.SIGCONT)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self._drain is not None:
            self._drain.join()
        if process.stdout is not None:
            process.stdout.close()

    def freeze(self) -> None:
        """Stop answering (SIGSTOP): connections stay open, requests go unanswered."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """Answer again (SIGCONT), including what was sent while frozen."""
        self._signal(signal.SIGCONT)

    def _signal(self, number: int) -> None:
        if self._process is None:
            raise RedisServerError("the server is not running")
        os.kill(self._process.pid, number)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
