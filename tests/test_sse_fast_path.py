"""The parser's fast path for plain events gives exactly what the line rules give.

Hypothesis builds streams from plain events and from every line shape the fast path
must not take (CR and CRLF ends, comments, ``retry:``, multi-line data, fields in
another order, NUL ids, a BOM), cuts them at random places, and feeds the pieces to
the parser as shipped and to one with the fast path switched off.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bimpe_async.streaming.sse import EventTooLargeError, ServerSentEvent, SSEParser


class LineByLineParser(SSEParser):
    """The same parser with the fast path switched off: the reference."""

    def _plain_events(self, chunk: bytes) -> tuple[list[ServerSentEvent], int]:
        return [], 0


text = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=12)
value = text.map(lambda t: t.encode())
plain = st.builds(
    lambda i, e, d: (
        (b"id: " + i + b"\n" if i is not None else b"")
        + (b"event: " + e + b"\n" if e is not None else b"")
        + b"data: "
        + d
        + b"\n\n"
    ),
    st.none() | value,
    st.none() | st.sampled_from([b"message", b"heartbeat", b"", b"other"]),
    value,
)
tricky = st.sampled_from(
    [
        b": keep-alive\n",
        b"retry: 1500\n",
        b"retry: 12x\n",
        b"data: one\ndata: two\n\n",
        b"data:  two spaces\n\n",
        b"data\n\n",
        b"data: cr\r\r",
        b"data: crlf\r\n\r\n",
        b"event: late\nid: 7\ndata: x\n\n",
        b"id: a\0b\ndata: nul id\n\n",
        b"id\ndata: bare id\n\n",
        b"event: open\n",
        b"data: unfinished\n",
        b"\n",
        b"\xef\xbb\xbfdata: bom later\n\n",
        b"unknown: field\n",
    ]
)
streams = st.lists(st.one_of(plain, plain, tricky), max_size=12).map(b"".join)


def parse(
    parser: SSEParser, stream: bytes, cuts: list[int]
) -> tuple[list[ServerSentEvent], int | None]:
    events: list[ServerSentEvent] = []
    start = 0
    for cut in sorted(cut % (len(stream) + 1) for cut in cuts):
        events += parser.feed(stream[start:cut])
        start = max(start, cut)
    events += parser.feed(stream[start:])
    return events, parser.retry


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    st.sampled_from([b"", b"\xef\xbb\xbf"]), streams, st.lists(st.integers(0, 10_000), max_size=6)
)
def test_fast_path_matches_the_line_rules(bom: bytes, stream: bytes, cuts: list[int]) -> None:
    whole = bom + stream
    assert parse(SSEParser(), whole, cuts) == parse(LineByLineParser(), whole, cuts)


def test_fast_path_respects_the_event_size_cap() -> None:
    parser = SSEParser(max_event_bytes=64)
    parser.feed(b"data: warm-up\n\n")
    with pytest.raises(EventTooLargeError):
        parser.feed(b"data: " + b"x" * 100 + b"\n\n")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(streams)
def test_fast_path_matches_the_line_rules_fed_line_by_line(stream: bytes) -> None:
    """Chunks that end exactly at line ends: where state carries between chunks."""
    cuts = [index + 1 for index, byte in enumerate(stream) if byte == 0x0A]
    whole = b"data: start\n\n" + stream
    shifted = [cut + 13 for cut in cuts]
    assert parse(SSEParser(), whole, shifted) == parse(LineByLineParser(), whole, shifted)
