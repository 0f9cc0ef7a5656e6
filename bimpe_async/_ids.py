"""Random ids for ``X-Request-Id`` and ``Idempotency-Key``: version-4 UUID strings.

``str(uuid.uuid4())`` costs one ``getrandom`` system call and a UUID object per id,
and a write needs two ids. Here 4 KiB of randomness is drawn at once and cut into
ids, which is several times cheaper and just as random (``os.urandom``, the same
source ``uuid4`` uses). The pool is dropped in a forked child, so two processes of a
fleet never hand out the same ids.
"""

from __future__ import annotations

import os

_IDS_PER_REFILL = 256
_pool: list[str] = []


_VARIANT = "89ab89ab89ab89ab"
"""The variant nibble (binary 10xx, RFC 4122) for each random nibble value."""


def _refill() -> None:
    text = os.urandom(16 * _IDS_PER_REFILL).hex()
    for start in range(0, len(text), 32):
        t = text[start : start + 32]
        # Nibble 12 becomes the version (4), nibble 16 the variant: 122 random bits.
        _pool.append(f"{t[:8]}-{t[8:12]}-4{t[13:16]}-{_VARIANT[int(t[16], 16)]}{t[17:20]}-{t[20:]}")


def new_id() -> str:
    """A fresh random UUID4 string, e.g. ``3f2b...-...-4...-a...-...``."""
    if not _pool:
        _refill()
    return _pool.pop()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_pool.clear)
