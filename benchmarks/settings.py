"""What one run of the benchmarks was asked to do."""

from __future__ import annotations

from dataclasses import dataclass

from .servers import Placement


@dataclass(frozen=True)
class Settings:
    """``quick`` shrinks every benchmark to a few iterations (the smoke test uses it)."""

    quick: bool
    loops: tuple[str, ...]
    placement: Placement

    def size(self, full: int, quick: int) -> int:
        """``full`` normally, ``quick`` in a quick run."""
        return quick if self.quick else full
