"""A storm of concurrent calls against a small server budget, on a virtual clock.

The acceptance of the adaptive limiter: against the emulator's 30 requests per window,
``adaptive_rate_limit=True`` alone must draw at least ten times fewer 429s than no
limiter, and no call may wait past its timeout. The scenario is the benchmark's
(``benchmarks/rate_limits.py``, which runs it with 1,000 calls); here 300 calls with a
5 s timeout keep it near a second while still making the timeout bite.
"""

from __future__ import annotations

from benchmarks.rate_limits import ADAPTIVE, NONE, storm
from benchmarks.virtual_time import run_virtual

CALLS = 300
TIMEOUT = 5.0


def test_adaptive_limiting_alone_draws_ten_times_fewer_429s_and_waits_within_timeouts() -> None:
    unlimited = run_virtual(storm(NONE, calls=CALLS, timeout=TIMEOUT))
    adaptive = run_virtual(storm(ADAPTIVE, calls=CALLS, timeout=TIMEOUT))

    # 30 per window get through; the rest are refused, and refused again on each retry.
    assert unlimited["refused_429"] == (CALLS - 30) + (CALLS - 60) + (CALLS - 90)
    assert adaptive["refused_429"] * 10 <= unlimited["refused_429"]
    assert adaptive["refused_429"] == 0
    # Calls the budget cannot serve within their timeout end with LimiterTimeoutError
    # at that timeout, having sent nothing; none waits longer.
    outcomes = adaptive["outcomes"]
    assert set(outcomes) == {"ok", "limiter timeout"}
    assert outcomes["ok"] == adaptive["sent"] >= 5 * 30
    assert adaptive["longest_limiter_wait_s"] <= TIMEOUT
    assert adaptive["longest_call_s"] <= TIMEOUT
