"""Whatever bytes a server sends, the parsers answer with a value or one of our errors.

Hypothesis runs derandomized with a bounded number of examples, so the suite stays
deterministic and fast.
"""

from __future__ import annotations

import contextlib
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from bimpe_async.errors import APIError, error_from_response
from bimpe_async.streaming.reader import _decode
from bimpe_async.streaming.sse import EventTooLargeError, SSEParser

BOUNDED = settings(max_examples=60, derandomize=True, deadline=None, database=None)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=6,
)


def envelope_like(value: Any, noise: bytes) -> bytes:
    """A JSON error envelope around ``value``, with raw bytes spliced into it."""
    encoded = msgspec.json.encode({"message": value, "code": value, "request_id": value})
    cut = len(encoded) // 2
    return encoded[:cut] + noise + encoded[cut:]


@BOUNDED
@given(
    status=st.integers(300, 599),
    body=st.binary(max_size=256)
    | st.builds(envelope_like, json_values, st.sampled_from([b"", b"\xff", b"\xc3", b"["]))
    | json_values.map(msgspec.json.encode),
)
def test_an_error_response_always_maps_to_an_api_error(status: int, body: bytes) -> None:
    error = error_from_response(status, {}, body, "r1")
    assert isinstance(error, APIError)
    assert error.status == status
    assert isinstance(error.message, str)
    assert error.request_id is None or isinstance(error.request_id, str)
    str(error)


@BOUNDED
@given(chunks=st.lists(st.binary(max_size=48), max_size=24))
def test_the_sse_parser_takes_any_bytes(chunks: list[bytes]) -> None:
    parser = SSEParser(max_event_bytes=256)
    try:
        for chunk in chunks:
            for event in parser.feed(chunk):
                assert len(event.data) <= 256
    except EventTooLargeError:
        pass
    assert parser.retry is None or parser.retry >= 0


@BOUNDED
@given(data=st.binary(max_size=128) | json_values.map(msgspec.json.encode))
def test_a_message_event_either_decodes_or_is_skippable(data: bytes) -> None:
    with contextlib.suppress(msgspec.MsgspecError, ValueError, RecursionError):  # skipped
        _decode(data)
