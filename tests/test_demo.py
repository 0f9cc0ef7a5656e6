"""The README's demo runs end to end against the emulator and says what it did."""

from __future__ import annotations

import io
import re

from bimpe_async.demo import run


async def test_demo_runs_and_shows_a_retried_write_performed_once() -> None:
    out = io.StringIO()
    await run(out)
    text = out.getvalue()
    assert len(re.findall(r"^   created ag_\w+  \w+$", text, re.MULTILINE)) == 5
    assert re.search(r"page 3/3: \w+$", text, re.MULTILINE)
    attempts = re.findall(r"attempt (\d): POST -> (\d+), Idempotency-Key (\S+)", text)
    assert [(n, status) for n, status, _ in attempts][:2] == [("1", "503"), ("2", "503")]
    assert attempts[2][1].startswith("2")
    assert len({key for _, _, key in attempts}) == 1
    assert "the server now holds 6 agents" in text
    assert "NotFoundError: 404 not_found" in text
    assert re.search(r"^\s+user: Is my order on its way\?$", text, re.MULTILINE)
    assert "conversation preview is now 'Is my order on its way?'" in text
    assert "3 messages over 2 connections, none lost or repeated" in text
    assert re.search(r"^   .+ is now live$", text, re.MULTILINE)
    assert re.search(r"^   AI paused in cv_\w+: True$", text, re.MULTILINE)
    assert re.search(r"^   test call \S+: initiated$", text, re.MULTILINE)
    assert re.search(r"^   call \S+ to \+2348012345678 is \w+$", text, re.MULTILINE)
