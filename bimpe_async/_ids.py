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

_VERSION = bytes((byte & 0x0F) | 0x40 for byte in range(256))
"""Byte 6 of a UUID with its high nibble made the version, 4."""
_VARIANT = bytes((byte & 0x3F) | 0x80 for byte in range(256))
"""Byte 8 of a UUID with its two high bits made the RFC 4122 variant, binary 10."""

_RECORD = b"00000000-0000-0000-0000-000000000000 "
"""One id as text and a space: the hex digits are written over the zeros."""
_DIGIT_PLACES = [
    digit + (digit >= 8) + (digit >= 12) + (digit >= 16) + (digit >= 20) for digit in range(32)
]
"""Where each of an id's 32 hex digits goes in its record, past the dashes."""


def _refill() -> None:
    # Built column by column, a few dozen C-level copies for all 256 ids at once,
    # rather than an f-string per id: four times cheaper per id.
    randomness = bytearray(os.urandom(16 * _IDS_PER_REFILL))
    randomness[6::16] = randomness[6::16].translate(_VERSION)
    randomness[8::16] = randomness[8::16].translate(_VARIANT)
    digits = randomness.hex().encode("ascii")
    text = bytearray(_RECORD * _IDS_PER_REFILL)
    for digit, place in enumerate(_DIGIT_PLACES):
        text[place :: len(_RECORD)] = digits[digit::32]
    _pool.extend(text.decode("ascii").split())


def new_id() -> str:
    """A fresh random UUID4 string, e.g. ``3f2b...-...-4...-a...-...``."""
    if not _pool:
        _refill()
    return _pool.pop()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_pool.clear)
