"""The benchmarks still run: a quick pass of each, checked for its JSON fields.

Timings are never asserted here (CI machines are shared and noisy); what is checked
is that every benchmark runs end to end against its server, measures every
contender and row, and reports the fields ``benchmarks/README.md`` documents (every
ratio with its range, every goal with its verdict), so that the suite cannot rot
between full runs.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("bimpeai", reason="the peer SDK comes with the 'bench' dependency group")

from benchmarks import (
    admission,
    decode,
    pagination,
    rate_limits,
    report,
    request_path,
    run,
    streaming,
)
from benchmarks.loops import ASYNCIO, UVLOOP

RATIO = {"median", "low", "high"}


def assert_ratio(figures: dict[str, float]) -> None:
    """A ratio as the JSON holds it: the median over rounds within its range."""
    assert set(figures) == RATIO
    assert 0 < figures["low"] <= figures["median"] <= figures["high"]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One quick run of every benchmark on the asyncio loop, read back from its JSON."""
    path = tmp_path_factory.mktemp("bench") / "latest.json"
    run.main(["--quick", "--no-uvloop", "--json", str(path)])
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def test_the_run_records_where_it_ran_and_checks_every_goal(outcome: dict[str, Any]) -> None:
    assert outcome["quick"] is True
    assert outcome["loops"] == [ASYNCIO]
    environment = outcome["environment"]
    assert {"date", "cores", "cpu", "python", "versions"} <= set(environment)
    assert [goal["target"] for goal in outcome["goals"]] == [
        "<= 1.15x",
        ">= 5.1x",
        ">= 7.6x",
        "<= 1.2x",
        ">= 2x",
        ">= 3.5x",
        ">= 5x",
        ">= 10x",
    ]
    for goal in outcome["goals"]:
        if goal["spread"] is not None:  # a count ratio (429s) has no rounds to range over
            low, high = goal["spread"]
            assert 0 < low <= goal["measured"] <= high
        assert isinstance(goal["met"], bool)


def test_the_report_shows_each_goal_with_its_range_and_verdict(outcome: dict[str, Any]) -> None:
    markdown = report.render(outcome)
    for goal in outcome["goals"]:
        verdict = "met" if goal["met"] else "MISSED"
        spread = "" if goal["spread"] is None else "{:.2f}-{:.2f}".format(*goal["spread"])
        assert f"| {goal['target']} | {goal['measured']:.2f}x | {spread} | {verdict} |" in markdown
    assert request_path.FLOOR_MIDDLEWARE in markdown


def test_decode_measures_every_contender_on_every_body(outcome: dict[str, Any]) -> None:
    results = outcome["results"]["decode"]
    assert set(results) == {case.name for case in decode.cases()}
    for case in results.values():
        assert_ratio(case["ours_vs_msgspec"])
        assert set(case["contenders"]) == set(decode.contenders(decode.cases()[0]))
        for figures in case["contenders"].values():
            assert set(figures) == {
                "seconds_per_body",
                "mb_per_s",
                "items_per_s",
                "peak_mb_per_10k_items",
                "times_ours",
            }
            assert figures["mb_per_s"] > 0
            assert figures["peak_mb_per_10k_items"] > 0
            assert_ratio(figures["times_ours"])


def test_request_path_measures_every_contender_per_operation(outcome: dict[str, Any]) -> None:
    operations = outcome["results"]["request_path"][ASYNCIO]
    assert set(operations) == set(request_path.OPERATIONS)
    for levels in operations.values():
        assert set(levels) == {"1", "64"}
        for contenders in levels.values():
            assert set(contenders) == set(request_path.CONTENDERS)
            for figures in contenders.values():
                assert figures["cpu_us_per_request"] > 0
                assert_ratio(figures["times_floor"])
                assert_ratio(figures["times_ours"])


def test_streaming_reads_the_whole_stream_through_every_reader(
    outcome: dict[str, Any],
) -> None:
    results = outcome["results"]["streaming"]
    assert results["events"] > 0
    readers = results["loops"][ASYNCIO]
    assert set(readers) == set(streaming.READERS)
    for figures in readers.values():
        assert figures["messages_per_cpu_s"] > 0
        assert figures["messages_per_wall_s"] > 0
        assert_ratio(figures["peer_vs_this"])


def test_pagination_walks_every_item_each_way(outcome: dict[str, Any]) -> None:
    results = outcome["results"]["pagination"]
    walks = results["loops"][ASYNCIO]
    assert set(walks) == set(pagination.WALKS)
    for figures in walks.values():
        assert figures["wall_s"] > 0
        assert figures["items_per_wall_s"] > 0
        assert_ratio(figures["times_ours_sequential"])


def test_rate_limits_report_429s_and_waits_per_client(outcome: dict[str, Any]) -> None:
    results = outcome["results"]["rate_limits"]
    assert set(results["strategies"]) == set(rate_limits.STRATEGIES)
    for figures in results["strategies"].values():
        assert figures["calls"] == results["calls"]
        assert figures["refused_429"] >= 0
        assert sum(figures["outcomes"].values()) == figures["calls"]
        assert figures["longest_limiter_wait_s"] <= figures["timeout_s"]
        assert figures["longest_call_s"] <= figures["deadline_s"]


def test_admission_compares_the_local_bucket_with_redis(outcome: dict[str, Any]) -> None:
    results = outcome["results"]["admission"]
    if shutil.which("redis-server") is None or importlib.util.find_spec("redis") is None:
        assert results["skipped"]  # the reason, instead of a crash
        return
    measurements = results["loops"][ASYNCIO]
    assert set(measurements) == {"admission", "call"}
    for levels in measurements.values():
        assert list(levels) == results["levels"] == [str(n) for n in admission.LEVELS]
        for figures in levels.values():
            assert figures["redis_vs_local_wall"] > 0
            assert figures["redis_vs_local_cpu"] > 0
            for name in (admission.LOCAL, admission.REDIS):
                assert figures[name]["wall_us"] > 0
                assert figures[name]["cpu_us"] > 0


def test_uvloop_is_reported_beside_asyncio(tmp_path: Path) -> None:
    pytest.importorskip("uvloop", reason="uvloop is optional (the 'bench' dependency group)")
    path = tmp_path / "latest.json"
    run.main(["--quick", "--only", "streaming", "--json", str(path)])
    results = json.loads(path.read_text())["results"]["streaming"]
    assert set(results["loops"]) == {ASYNCIO, UVLOOP}
