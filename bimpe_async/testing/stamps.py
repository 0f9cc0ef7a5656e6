"""Ids and timestamps in the formats the API uses.

Both take their randomness or time from the caller, so a seeded generator or a fake
clock makes them reproducible.
"""

from __future__ import annotations

import random
from datetime import datetime, timezone


def iso(timestamp: float) -> str:
    """Unix seconds as ISO-8601 UTC with milliseconds, e.g. ``2026-11-23T09:00:00.000Z``."""
    millis = int(timestamp * 1000)
    moment = datetime.fromtimestamp(millis // 1000, tz=timezone.utc)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis % 1000:03d}Z"


def make_id(prefix: str, rng: random.Random) -> str:
    """A kind-prefixed id such as ``ag_3f9c...`` (24 hex digits)."""
    return f"{prefix}_{rng.getrandbits(96):024x}"
