"""When a message stream may reconnect, and how long it waits first.

The rules are the client's retry rules (``is_retryable``, ``Backoff``), with three
changes for long-lived streams:

- The budget counts *consecutive* failures and is refilled by every delivered
  message, so a stream that has run for days is not one blip away from giving up.
- The first reconnect after a connection that delivered messages is immediate: a
  healthy stream that blips should not stall for half a second.
- A server-sent ``retry:`` field replaces the backoff's base delay (and raises its
  cap when larger), as the SSE spec lets the server pace its clients, but never
  beyond ``MAX_DELAY``: a server asking for days must not park a reader for days.
"""

from __future__ import annotations

from ..errors import BimpeAIError
from ..middleware.retry import Backoff, is_retryable

DEFAULT_BASE = 0.5
DEFAULT_CAP = 8.0
MAX_DELAY = 30.0
"""The longest wait before a reconnect, whatever the server's ``retry:`` says."""


class ReconnectPolicy:
    """The retry budget and the waits of one stream."""

    __slots__ = ("_backoff", "delivered_since_failure", "failures", "max_retries")

    def __init__(self, max_retries: int) -> None:
        self.max_retries = max_retries
        self.failures = 0
        """Consecutive failed connections (or connection attempts) since the last message."""
        self.delivered_since_failure = False
        """A message reached the caller since the last failure (then ``failures`` is 0)."""
        self._backoff = Backoff(DEFAULT_BASE, DEFAULT_CAP)

    def delivered(self) -> None:
        """A message reached the caller: the budget is full again."""
        self.failures = 0
        self.delivered_since_failure = True

    def server_retry(self, milliseconds: int) -> None:
        """The server's ``retry:`` value becomes the base delay (at most ``MAX_DELAY``)."""
        base = min(milliseconds / 1000, MAX_DELAY)
        self._backoff = Backoff(base, max(DEFAULT_CAP, base))

    def delay_after(self, error: BimpeAIError) -> float | None:
        """Seconds to wait before reconnecting after ``error``; None to give up."""
        if not is_retryable(error) or self.failures >= self.max_retries:
            return None
        self.failures += 1
        if self.delivered_since_failure:
            self.delivered_since_failure = False
            return 0.0
        return self._backoff.delay(self.failures, error)
