"""One request budget for a fleet of processes sharing an API key, kept in Redis.

``TokenBucket`` keeps one process under its budget; ten processes on one key, each
with its own bucket, send ten budgets' worth. ``SharedRateLimit`` is the same
``Limiter`` with its schedule in Redis (the Lua script in ``shared_schedule.py``):

- admission is one round trip: a caller reserves the next free send time and sleeps
  until it, so callers are served first come, first served across processes;
- a caller cancelled while it waits (its call's timeout ran out, its task was
  cancelled) gives its slot back for the next arrival;
- a hold the server asks for (``hold_until``/``hold_for``, fed by the rate-limit
  middleware with ``adaptive_rate_limit=True``) is written to Redis and every answer
  of the script carries it, so every process holds; a caller whose slot comes when
  its process has not heard from Redis for ``HOLD_SYNC`` asks once more before going.

Redis is not trusted to be there. Each round trip has its own timeout,
``redis_timeout`` for the connect and for each read, with one retry on a fresh
connection (so at most about twice that), and a call's wait in the limiter is
bounded by the call's own timeout as with any limiter (``LimiterTimeoutError``).
When Redis fails, ``on_redis_error`` decides: ``"local"`` falls back to a
``TokenBucket`` at ``requests_per_minute / expected_processes`` (one warning; Redis is
tried again every ``recheck_interval`` seconds, by one call, and used as soon as it
answers), and ``"fail"`` raises ``RedisUnavailableError`` (nothing is sent, and the
call is not retried: another attempt would meet the same Redis).

The ``redis`` package (``pip install 'bimpe-async[redis]'``) is imported only when a
``SharedRateLimit`` is built: nothing else in ``bimpe_async`` needs it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from yarl import URL

from .._checks import check_positive_int, check_positive_number
from ..errors import BimpeAIError, UserError
from .rate_limit import TokenBucket
from .shared_schedule import SCRIPT

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.commands.core import AsyncScript

logger = logging.getLogger(__name__)

OnRedisError = Literal["local", "fail"]

MAX_CONNECTIONS = 8
"""Redis connections per limiter: round trips are short, so a few carry many callers."""

HOLD_SYNC = 0.05
"""Seconds within which a hold posted by one process reaches the others' waiters."""

Reply = tuple[int, int, int]
"""A reservation: wait, slot and ticket, in microseconds."""


class RedisUnavailableError(BimpeAIError):
    """The shared rate limit could not reach Redis, and its policy is to fail.

    Raised with ``on_redis_error="fail"``; nothing was sent. It is not an
    ``APIConnectionError``, so the retry middleware does not try the call again.
    """


class SharedRateLimit:
    """``requests_per_minute`` (``burst`` at once) for every process using ``key``.

    ``url`` is a Redis URL (``redis://host:6379/0``, ``rediss://`` for TLS); every
    process of the fleet passes the same ``key`` and budget, and ``expected_processes``
    (how many share it) sizes the local fallback. See the module docstring for the
    failure policy; ``recheck_interval=0`` tries Redis on every call.

    ``clock`` (unix seconds) replaces Redis's clock in the schedule and ``sleep`` the
    waits: tests drive the limiter with them. By default the schedule runs on the
    Redis server's clock, so the fleet's clocks need not agree.
    """

    def __init__(
        self,
        url: str,
        *,
        key: str,
        requests_per_minute: float,
        burst: int = 1,
        on_redis_error: OnRedisError = "local",
        expected_processes: int = 1,
        redis_timeout: float = 0.25,
        recheck_interval: float = 5.0,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        try:
            from redis.asyncio.connection import parse_url
            from redis.exceptions import ConnectionError as Unreachable
            from redis.exceptions import RedisError
        except ImportError as error:
            raise UserError(
                "SharedRateLimit needs the redis package: pip install 'bimpe-async[redis]'"
            ) from error
        try:
            parse_url(url)
        except (TypeError, ValueError) as error:
            raise UserError(
                f"url must be a Redis URL such as redis://host:6379/0: {error}"
            ) from None
        if not isinstance(key, str) or not key:
            raise UserError(f"key must be a non-empty string, got {key!r}")
        check_positive_number("requests_per_minute", requests_per_minute)
        check_positive_int("burst", burst)
        if on_redis_error not in ("local", "fail"):
            raise UserError(f"on_redis_error must be 'local' or 'fail', got {on_redis_error!r}")
        check_positive_int("expected_processes", expected_processes)
        check_positive_number("redis_timeout", redis_timeout)
        if recheck_interval != 0:
            check_positive_number("recheck_interval", recheck_interval)
        self.url = url
        self.key = key
        self.requests_per_minute = requests_per_minute
        self.burst = burst
        self.on_redis_error = on_redis_error
        self.expected_processes = expected_processes
        self.redis_timeout = redis_timeout
        self.recheck_interval = recheck_interval
        self.clock = clock
        self.sleep = sleep
        self._errors: tuple[type[BaseException], ...] = (RedisError, OSError)
        self._unreachable: type[Exception] = Unreachable
        self._interval = max(1, round(60e6 / requests_per_minute))
        self._tolerance = (burst - 1) * self._interval
        self._keys = [f"bimpe:rate:{{{key}}}:{part}" for part in ("tat", "hold", "freed")]
        self.fallback = TokenBucket(
            requests_per_minute / expected_processes,
            max(1, burst // expected_processes),
            clock=self._now,
            sleep=sleep,
        )
        """The local budget used while Redis is down (``on_redis_error="local"``)."""
        self._held_until = 0.0
        """When the hold this process was told of ends (unix seconds)."""
        self._shared_hold_until = 0.0
        """When the hold Redis last reported ends."""
        self._synced_at = 0.0
        """When Redis last answered (this process's clock)."""
        self._down = False
        self._recheck_at = 0.0
        self._redis: Redis | None = None
        self._script: AsyncScript | None = None
        self._background: set[asyncio.Future[Any]] = set()
        self._gate = asyncio.Semaphore(MAX_CONNECTIONS)
        self._failures = 0
        """Failed round trips so far: callers queued across a failure do not retry."""
        self._last_failure: BaseException | None = None

    @property
    def using_redis(self) -> bool:
        """False while Redis is down and the local fallback budget is in use."""
        return not self._down

    def _now(self) -> float:
        return time.time() if self.clock is None else self.clock()

    async def acquire(self) -> None:
        probe = self._down
        if probe and not self._recheck_due():
            await self.fallback.acquire()
            return
        try:
            await self._take_slot(probe)
        except self._errors as error:
            if self.on_redis_error == "fail":
                raise RedisUnavailableError(self._failure(error)) from error
            self._fall_back(error)
            await self.fallback.acquire()
            return
        # Only a probe made while down says Redis is back: an answer to a call made
        # before the failure may still arrive after it.
        if probe and self._down:
            self._down = False
            logger.info("Redis at %s answers again: key %r is shared again", self._url(), self.key)

    def hold_until(self, unix_time: float) -> None:
        self._held_until = max(self._held_until, unix_time)
        self.fallback.hold_until(unix_time)
        if not self._down:
            self._in_background(self._call("hold"))

    def hold_for(self, seconds: float) -> None:
        self.hold_until(self._now() + seconds)

    async def _take_slot(self, probe: bool) -> None:
        """Reserve a slot, sleep until it, and go unless a hold has come up meanwhile."""
        wait, slot, ticket = await self._reserve(0, 0, probe)
        while wait > 0:
            try:
                await self.sleep(wait / 1e6)
            except asyncio.CancelledError:
                self._give_back((wait, slot, ticket))
                raise
            if self._nothing_held():
                return
            wait, slot, ticket = await self._reserve(slot, ticket, probe)

    def _nothing_held(self) -> bool:
        """Whether a caller whose slot has come may go without asking Redis again.

        It may when no hold is known and Redis answered this process (any call of it)
        within ``HOLD_SYNC`` seconds: every answer carries the hold, so one posted by
        another process would be known. Otherwise it asks, which costs a round trip
        but only once per ``HOLD_SYNC`` in a busy process.
        """
        now = self._now()
        held = max(self._held_until, self._shared_hold_until)
        return now - self._synced_at <= HOLD_SYNC and held <= now

    async def _reserve(self, slot: int, ticket: int, probe: bool) -> Reply:
        """One ``acquire`` round trip that, if its caller is cancelled, still ends well.

        The round trip runs in a task of its own and is shielded: when the caller is
        cancelled mid-way (its timeout), the script may already have reserved a slot,
        so the answer is awaited in the background and that slot given back.
        """
        reply = asyncio.ensure_future(self._call("acquire", slot, ticket, probe=probe))
        try:
            return await asyncio.shield(reply)
        except asyncio.CancelledError:
            self._background.add(reply)
            reply.add_done_callback(self._return_reply)
            raise

    def _return_reply(self, reply: asyncio.Future[Reply]) -> None:
        self._background.discard(reply)
        if not reply.cancelled() and reply.exception() is None:
            self._give_back(reply.result())

    def _give_back(self, reply: Reply) -> None:
        _, slot, ticket = reply
        self._in_background(self._call("return", slot, ticket))

    async def _call(
        self, operation: str, slot: int = 0, ticket: int = 0, *, probe: bool = False
    ) -> Reply:
        """One script call; at most ``MAX_CONNECTIONS`` at a time, in arrival order.

        A call that queued while Redis failed another, or that finds the limiter
        fallen back (unless it is the ``probe``), fails at once instead of trying: a
        frozen Redis then costs one ``redis_timeout``, not one per queued caller.
        Waiting here is not timed as a Redis failure (the call's own timeout bounds it).
        """
        failures = self._failures
        async with self._gate:
            if self._failures != failures or (self._down and not probe):
                raise self._unreachable(f"it failed another call: {self._last_failure}")
            now = self._now()
            hold_for = max(0, round((self._held_until - now) * 1e6))
            try:
                answer = await self._connect()(
                    keys=self._keys,
                    args=[
                        operation,
                        self._interval,
                        self._tolerance,
                        hold_for,
                        slot,
                        ticket,
                        "" if self.clock is None else round(now * 1e6),
                    ],
                )
            except self._errors as error:
                self._failures += 1
                self._last_failure = error
                raise
        wait, slot, ticket, held = (int(part) for part in answer)
        self._synced_at = now
        self._shared_hold_until = now + held / 1e6
        return wait, slot, ticket

    def _connect(self) -> AsyncScript:
        """The script on a small pool, opened on first use (in the caller's loop)."""
        if self._script is None:
            from redis.asyncio import ConnectionPool, Redis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            pool = ConnectionPool.from_url(
                self.url,
                max_connections=MAX_CONNECTIONS,
                socket_timeout=self.redis_timeout,
                socket_connect_timeout=self.redis_timeout,
                retry=Retry(NoBackoff(), 1),
            )
            self._redis = Redis.from_pool(pool)
            self._script = self._redis.register_script(SCRIPT)
        return self._script

    def _in_background(self, work: Coroutine[Any, Any, Reply]) -> None:
        """Run a write nobody waits for (a hold, a returned slot); ``aclose`` awaits it."""
        task = asyncio.ensure_future(self._quietly(work))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _quietly(self, work: Coroutine[Any, Any, Reply]) -> None:
        try:
            await work
        except self._errors as error:
            if self.on_redis_error == "local":
                self._fall_back(error)

    def _recheck_due(self) -> bool:
        """Whether this caller should try Redis again (one caller per interval does)."""
        now = time.monotonic()
        if now < self._recheck_at:
            return False
        self._recheck_at = now + self.recheck_interval
        return True

    def _fall_back(self, error: BaseException) -> None:
        if self._down:
            return
        self._down = True
        self._recheck_at = time.monotonic() + self.recheck_interval
        logger.warning(
            "%s; until it answers again (tried every %g s), this process keeps to a local "
            "budget of %g requests/minute (%g / %d expected processes)",
            self._failure(error),
            self.recheck_interval,
            self.requests_per_minute / self.expected_processes,
            self.requests_per_minute,
            self.expected_processes,
        )

    def _failure(self, error: BaseException) -> str:
        return (
            f"the shared rate limit {self.key!r} could not reach Redis at {self._url()} "
            f"({type(error).__name__}: {error})"
        )

    def _url(self) -> str:
        """The Redis URL without its password, for messages."""
        url = URL(self.url)
        return str(url.with_password("***")) if url.password else self.url

    async def aclose(self) -> None:
        """Finish the background writes (each bounded by ``redis_timeout``), then
        close the Redis connections; used again, the limiter opens new ones."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
        redis, self._redis, self._script = self._redis, None, None
        self._gate = asyncio.Semaphore(MAX_CONNECTIONS)
        if redis is not None:
            await redis.aclose()

    async def __aenter__(self) -> SharedRateLimit:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"SharedRateLimit({self._url()!r}, key={self.key!r}, "
            f"requests_per_minute={self.requests_per_minute:g}, burst={self.burst})"
        )
