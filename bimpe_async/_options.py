"""The per-call options every method takes, declared once.

Each resource method spells its own arguments (ids, body fields, filters) and takes
these through ``**options: Unpack[CallOptions]`` (or a TypedDict that extends it), so
type checkers and IDEs see every keyword without seven keywords pasted into 57
signatures.
"""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import TypedDict


class CallOptions(TypedDict, total=False):
    """Keyword arguments accepted by every API method.

    ``timeout`` (seconds), ``max_retries`` and ``headers`` override the client's
    defaults for this call; ``headers`` is how a caller sets its own ``X-Request-Id``.
    ``idempotency_key`` replaces the generated key of a write. The ``extra_*`` options
    send what this SDK does not know yet: fields merged into the JSON body, query
    parameters, and headers (applied last).
    """

    idempotency_key: str | None
    timeout: float | None
    max_retries: int | None
    headers: Mapping[str, str] | None
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, object] | None
    extra_body: Mapping[str, object] | None


OPTION_NAMES: frozenset[str] = CallOptions.__optional_keys__
