"""Timing and memory helpers shared by the benchmarks.

Client cost is measured as process CPU time (``time.process_time``): the machine is
shared and the servers run in other processes, so wall time would mostly measure them
and the neighbours. Contenders are measured in rounds, one measurement each, in an
order that rotates from round to round; a ratio between two contenders is taken
within each round (so a slow moment of the machine hits both alike) and the median
over the rounds is reported, with the lowest and highest round beside it so a reader
can tell a real difference from the machine's noise. Where a measurement can be cut
into short runs (decoding, the request path), the contenders' runs are interleaved
within the round, so a slow spell lands on all of them alike.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class Clock:
    """CPU and wall seconds spent inside a ``with measured() as clock`` block."""

    cpu: float = 0.0
    wall: float = 0.0


@contextmanager
def measured(*, collect: bool = True) -> Iterator[Clock]:
    """Measure the block's process CPU time and wall time, after a full collection.

    Collecting first keeps garbage left by the previous contender from being
    charged to this one. A quick run passes ``collect=False``: its figures are not
    measurements, and a full collection of the benchmark process (tens of
    milliseconds on a busy machine) would be most of the smoke test's time.
    """
    if collect:
        gc.collect()
    clock = Clock()
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        yield clock
    finally:
        clock.cpu = time.process_time() - cpu
        clock.wall = time.perf_counter() - wall


def rotated(items: Sequence[T], round_number: int) -> list[T]:
    """``items`` starting at a different one each round, so none always follows another."""
    shift = round_number % len(items)
    return [*items[shift:], *items[:shift]]


@dataclass(frozen=True)
class Ratio:
    """One contender's cost over another's: the median over rounds, and the range
    (the lowest and the highest round), which shows how much the machine moved it."""

    median: float
    low: float
    high: float


@dataclass
class Rounds:
    """Costs (seconds per unit of work) by contender, one dict per round."""

    rounds: list[dict[str, float]] = field(default_factory=list)

    def add(self, costs: dict[str, float]) -> None:
        self.rounds.append(costs)

    def median(self, name: str) -> float:
        return statistics.median(costs[name] for costs in self.rounds)

    def times(self, name: str, baseline: str) -> float:
        """Median over rounds of ``name``'s cost divided by ``baseline``'s."""
        return self.ratio(name, baseline).median

    def ratio(self, name: str, baseline: str) -> Ratio:
        """``name``'s cost divided by ``baseline``'s in each round: median and range."""
        ratios = [costs[name] / costs[baseline] for costs in self.rounds]
        return Ratio(statistics.median(ratios), min(ratios), max(ratios))


def calibrate(function: Callable[[], object], min_seconds: float) -> int:
    """How many calls of ``function`` take at least ``min_seconds`` of CPU time."""
    calls = 1
    while True:
        start = time.process_time()
        for _ in range(calls):
            function()
        if time.process_time() - start >= min_seconds:
            return calls
        calls *= 2


def slice_share(total: int, slices: int, number: int) -> int:
    """How much of ``total`` slice ``number`` of ``slices`` takes: an even share, one
    more in the first slices when ``total`` does not divide evenly."""
    return total // slices + (number < total % slices)


def interleaved_cpu_per_call(
    functions: dict[str, Callable[[], object]],
    calls: dict[str, int],
    slices: int,
    *,
    collect: bool = True,
) -> dict[str, float]:
    """CPU seconds per call of each function, measured in interleaved slices.

    Each function makes its ``calls`` in ``slices`` runs, taken in turn with the other
    functions' runs in an order that rotates from slice to slice, so a slow spell of
    a shared machine lands on all of them alike rather than on one whole measurement.
    One full collection comes first, none between the runs.
    """
    if collect:
        gc.collect()
    spent = dict.fromkeys(functions, 0.0)
    for number in range(slices):
        for name in rotated(list(functions), number):
            share = slice_share(calls[name], slices, number)
            function = functions[name]
            start = time.process_time()
            for _ in range(share):
                function()
            spent[name] += time.process_time() - start
    return {name: spent[name] / calls[name] for name in functions}


def peak_bytes(build: Callable[[], object], *, collect: bool = True) -> int:
    """Peak traced memory while ``build`` runs (what it returns is kept until the end)."""
    if collect:
        gc.collect()
    tracemalloc.start()
    try:
        kept = build()
        peak = tracemalloc.get_traced_memory()[1]
        del kept
    finally:
        tracemalloc.stop()
    return peak
