"""Peak memory of a block, traced by ``tracemalloc``, for cases where memory is the point."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager


class Peak:
    """The most bytes Python had allocated at once inside the block (set on exit)."""

    bytes = 0


@contextmanager
def traced_peak() -> Iterator[Peak]:
    """Trace allocations inside the block; the peak counts from its start."""
    peak = Peak()
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
