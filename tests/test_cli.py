"""The ``bimpe`` command line, driven with typer's CliRunner against a seeded emulator.

The CLI runs ``asyncio.run`` itself, so the emulator serves from its own event loop in
a background thread, for the whole module. One test runs ``bimpe tail`` as a real
process and stops it with SIGINT, as Ctrl-C would.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from bimpe_async.cli import INSTALL_HINT, main
from bimpe_async.cli.app import app
from bimpe_async.testing import Emulator

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = 30
MESSAGES = 12


class EmulatorThread:
    """Serves an emulator from an event loop of its own, in a daemon thread."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def _call(self, work: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=10)

    def __enter__(self) -> Emulator:
        self._thread.start()
        self._call(self.emulator.start())
        return self.emulator

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._call(self.emulator.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


@pytest.fixture(scope="module")
def served() -> Iterator[Emulator]:
    emulator = Emulator()
    emulator.seed(
        agents=2,
        workflows=1,
        conversations_per_agent=CONVERSATIONS,
        messages_per_conversation=MESSAGES,
    )
    with EmulatorThread(emulator) as running:
        yield running


@pytest.fixture(autouse=True)
def no_leftover_faults(served: Emulator) -> Iterator[None]:
    yield
    served.faults.clear()


@pytest.fixture
def env(served: Emulator) -> dict[str, str | None]:
    """The environment of a run: keyed and pointed at the emulator, no forced terminal."""
    return {
        "BIMPEAI_API_KEY": served.api_key,
        "BIMPEAI_BASE_URL": served.base_url,
        "COLUMNS": "200",
        "TTY_COMPATIBLE": None,
        "FORCE_COLOR": None,
    }


@pytest.fixture
def agent(served: Emulator) -> str:
    return next(iter(served.state.agents))


@pytest.fixture
def conversation(served: Emulator, agent: str) -> str:
    return served.state.conversations_of(agent)[0].id


def bimpe(env: dict[str, str | None], *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def assert_one_line_error(result: Result, status: int, *words: str) -> None:
    assert result.exit_code == status, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("bimpe: ")
    assert result.stderr.count("\n") == 1
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.output


# Listings


def test_agents_list_is_a_table_newest_first(env: dict[str, str | None], served: Emulator) -> None:
    result = bimpe(env, "agents", "list")
    assert result.exit_code == 0, result.output
    newest_first = sorted(served.state.agents.values(), key=lambda a: a.created_at, reverse=True)
    rows = [line for line in result.stdout.splitlines() if "ag_" in line]
    assert [row.split()[1] for row in rows] == [a.id for a in newest_first]
    assert "2 of 2" in result.stdout


def test_agents_list_json_lines_limit_and_search(
    env: dict[str, str | None], served: Emulator
) -> None:
    newest = max(served.state.agents.values(), key=lambda a: a.created_at)
    first = json_lines(bimpe(env, "agents", "list", "--json", "--limit", "1").stdout)
    assert [item["id"] for item in first] == [newest.id]
    assert first[0]["name"] == newest.name
    other = next(a for a in served.state.agents.values() if a.id != newest.id)
    found = json_lines(bimpe(env, "agents", "list", "--json", "--search", other.name).stdout)
    assert [item["id"] for item in found] == [other.id]


def test_conversations_list_table_and_json(
    env: dict[str, str | None], served: Emulator, agent: str
) -> None:
    newest = sorted(served.state.conversations_of(agent), key=lambda c: c.created_at, reverse=True)
    table = bimpe(env, "conversations", "list", agent, "--limit", "3")
    assert table.exit_code == 0, table.output
    assert all(c.id in table.stdout for c in newest[:3])
    assert newest[3].id not in table.stdout
    assert f"3 of {CONVERSATIONS}" in table.stdout
    lines = json_lines(bimpe(env, "conversations", "list", agent, "--json", "--limit", "5").stdout)
    assert [line["id"] for line in lines] == [c.id for c in newest[:5]]
    assert set(lines[0]) >= {"id", "channel_type", "created_at"}


# tail


def test_tail_prints_each_message_once_across_a_cut_stream(
    env: dict[str, str | None], served: Emulator, agent: str, conversation: str
) -> None:
    def tickets() -> int:
        return sum(r.path.endswith("/stream-ticket") for r in served.requests)

    before = tickets()
    served.faults.cut_stream_after(4)
    result = bimpe(env, "tail", agent, conversation, "--count", str(MESSAGES))
    assert result.exit_code == 0, result.output
    messages = served.state.messages_of(agent, conversation)
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines] == [m.id for m in messages]
    assert lines[0] == f"{messages[0].created_at}  {messages[0].id}  {messages[0].role}: " + (
        messages[0].message or ""
    )
    assert tickets() - before == 2  # the cut was resumed on a second connection


def test_tail_json_lines_after_a_message(
    env: dict[str, str | None], served: Emulator, agent: str, conversation: str
) -> None:
    messages = served.state.messages_of(agent, conversation)
    after = messages[MESSAGES - 3].id
    result = bimpe(env, "tail", agent, conversation, "--after", after, "--json", "--count", "2")
    assert result.exit_code == 0, result.output
    lines = json_lines(result.stdout)
    assert [line["id"] for line in lines] == [m.id for m in messages[-2:]]
    assert lines[0]["conversation_id"] == conversation


def test_tail_of_an_unknown_conversation_is_one_line(
    env: dict[str, str | None], agent: str
) -> None:
    assert_one_line_error(bimpe(env, "tail", agent, "cv_missing"), 1, "404")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is how Ctrl-C reaches a process")
def test_tail_stops_cleanly_on_ctrl_c(served: Emulator, agent: str, conversation: str) -> None:
    first = served.state.messages_of(agent, conversation)[0]
    environment = {
        **os.environ,
        "BIMPEAI_API_KEY": served.api_key,
        "BIMPEAI_BASE_URL": served.base_url,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-W", "always::ResourceWarning", "-m", "bimpe_async.cli"]
    # A child inherits an ignored SIGINT (processes started in the background ignore it)
    # and would never see Ctrl-C: handle SIGINT while it starts, so it gets the default.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [*command, "tail", agent, conversation],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    stdout, stderr = process.stdout, process.stderr
    assert stdout is not None
    assert stderr is not None
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stdout:
            lines.put(line)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert first.id in lines.get(timeout=30)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=30)
        errors = stderr.read()
        stdout.close()
        stderr.close()
    assert errors == ""


# export


def lines_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines()]


def test_export_conversations_resumes_an_interrupted_run(
    env: dict[str, str | None], served: Emulator, agent: str, tmp_path: Path
) -> None:
    out = tmp_path / "conversations.jsonl"
    export = ["export", "conversations", agent, "--out", str(out), "--page-size", "5"]
    # Interrupted: pages 1 and 2 are served, page 3 fails...
    served.faults.delay_next(2, seconds=0, path=f"/agents/{agent}/conversations")
    served.faults.fail_next(1, status=404, path=f"/agents/{agent}/conversations")
    assert_one_line_error(bimpe(env, *export, "--concurrency", "1"), 1, "404")
    assert len(lines_of(out)) == 10
    with out.open("ab") as file:  # ...and the process was killed in the middle of a line.
        file.write(b'{"id": "cv_half_writ')

    result = bimpe(env, *export, "--concurrency", "3")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"20 conversations written to {out}, 10 were there already\n"
    ids = lines_of(out)
    assert sorted(ids) == sorted(c.id for c in served.state.conversations_of(agent))
    assert len(ids) == len(set(ids)) == CONVERSATIONS
    listed = bimpe(env, "conversations", "list", agent, "--json", "--limit", "100").stdout
    as_sent = {item["id"]: item for item in json_lines(listed)}
    assert [json.loads(line) for line in out.read_bytes().splitlines()] == [
        as_sent[id] for id in ids
    ]


def test_export_messages_walks_pages_concurrently_and_reruns_idempotently(
    env: dict[str, str | None], served: Emulator, agent: str, conversation: str, tmp_path: Path
) -> None:
    out = tmp_path / "messages.jsonl"
    export = ["export", "messages", agent, conversation, "--out", str(out), "--page-size", "2"]
    first = bimpe(env, *export, "--concurrency", "4")
    assert first.exit_code == 0, first.output
    messages = served.state.messages_of(agent, conversation)
    assert lines_of(out) == [m.id for m in messages]  # in order, oldest first
    again = bimpe(env, *export, "--quiet")
    assert again.exit_code == 0, again.output
    assert again.stderr == ""
    assert lines_of(out) == [m.id for m in messages]


def test_export_shows_progress_on_a_terminal_only(
    env: dict[str, str | None], agent: str, conversation: str, tmp_path: Path
) -> None:
    export = ["export", "messages", agent, conversation, "--page-size", "4"]
    terminal = {**env, "TTY_COMPATIBLE": "1"}
    shown = bimpe(terminal, *export, "--out", str(tmp_path / "a.jsonl"))
    assert shown.exit_code == 0, shown.output
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.stderr)  # without terminal codes
    assert f"{MESSAGES}/{MESSAGES} items, page 3/3" in drawn
    quiet = bimpe(terminal, *export, "--out", str(tmp_path / "b.jsonl"), "--quiet")
    assert quiet.stderr == ""
    piped = bimpe(env, *export, "--out", str(tmp_path / "c.jsonl"))
    assert "items, page" not in piped.stderr


def test_export_will_not_append_to_another_kind_of_file(
    env: dict[str, str | None], agent: str, tmp_path: Path
) -> None:
    out = tmp_path / "notes.jsonl"
    out.write_text('{"id": "cv_1"}\nnot json\n')
    result = bimpe(env, "export", "conversations", agent, "--out", str(out))
    assert_one_line_error(result, 1, f"{out}, line 2, is not an exported item")
    assert out.read_text() == '{"id": "cv_1"}\nnot json\n'


def test_ctrl_c_during_an_export_says_how_to_resume(
    env: dict[str, str | None], agent: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(path: Path) -> set[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr("bimpe_async.cli.export.exported_ids", interrupted)
    result = bimpe(env, "export", "conversations", agent, "--out", str(tmp_path / "c.jsonl"))
    assert_one_line_error(result, 130, "run the same command again to resume")


# Errors: one line on stderr, never a traceback, never the key


def test_a_missing_key_is_a_usage_error(env: dict[str, str | None]) -> None:
    result = bimpe({**env, "BIMPEAI_API_KEY": None}, "agents", "list")
    assert_one_line_error(result, 2, "--api-key", "BIMPEAI_API_KEY")


def test_a_refused_key_is_reported_without_the_key(env: dict[str, str | None]) -> None:
    key = "sk_live_not_for_your_eyes"
    result = bimpe(env, "agents", "list", "--api-key", key)
    assert_one_line_error(result, 1, "API key was refused", "401")
    assert key not in result.output


def test_an_unknown_agent_is_a_404(env: dict[str, str | None]) -> None:
    assert_one_line_error(bimpe(env, "conversations", "list", "ag_missing"), 1, "404")


def test_a_refused_connection_names_the_server(env: dict[str, str | None]) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = bimpe(env, "agents", "list", "--base-url", url, "--max-retries", "0")
    assert_one_line_error(result, 1, f"cannot reach {url}")


def test_a_bad_base_url_is_a_usage_error(env: dict[str, str | None]) -> None:
    result = bimpe({**env, "BIMPEAI_BASE_URL": "ftp://example"}, "agents", "list")
    assert_one_line_error(result, 2, "base_url")


def test_help_never_shows_the_key(env: dict[str, str | None]) -> None:
    key = "sk_live_not_for_your_eyes"
    result = bimpe({**env, "BIMPEAI_API_KEY": key}, "tail", "--help")
    assert result.exit_code == 0
    assert "BIMPEAI_API_KEY" in result.stdout
    assert key not in result.output


# emulator, and the CLI as an optional extra


def test_emulator_on_a_busy_port_is_one_line(env: dict[str, str | None]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = bimpe(env, "emulator", "--port", port)
    assert_one_line_error(result, 1, f"cannot listen on 127.0.0.1:{port}")


def test_without_the_extra_bimpe_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "bimpe_async.cli.app")
    monkeypatch.setitem(sys.modules, "typer", None)  # what an import of typer then finds
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == INSTALL_HINT  # printed on stderr, status 1
    assert "pip install 'bimpe-async[cli]'" in INSTALL_HINT


def test_importing_the_sdk_needs_neither_typer_nor_rich() -> None:
    code = (
        "import sys, bimpe_async, bimpe_async.cli;"
        "print(sorted({'typer', 'rich'} & set(sys.modules)))"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60
    )
    assert done.stdout == "[]\n", done.stderr
