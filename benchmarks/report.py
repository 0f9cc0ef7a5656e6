"""The goals, checked against a run's results, and the tables that show them.

Every table puts the ratio first: it is the figure that survives a noisy machine. A
ratio is always "how many times our cost the other one's is", so above 1 means ours
is cheaper (or faster), except in the ``x floor`` column, where below 1.3 is the goal.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from . import decode, request_path, streaming

LIST_PAGES = ("agents page (100)", "messages page (100)")


def goal(name: str, target: str, measured: float, met: bool, where: str) -> dict[str, Any]:
    return {"goal": name, "target": target, "measured": measured, "met": met, "where": where}


def decode_goal(results: dict[str, Any]) -> dict[str, Any]:
    cases = {page: results[page]["contenders"][decode.PEER]["times_ours"] for page in LIST_PAGES}
    worst = min(cases, key=cases.__getitem__)
    measured = cases[worst]
    return goal("Decode: faster than the peer's models", ">= 10x", measured, measured >= 10, worst)


def request_cells(results: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for loop, operations in results.items():
        for op, levels in operations.items():
            for level, contenders in levels.items():
                yield f"{loop}, {op}, concurrency {level}", contenders


def request_goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    cells = dict(request_cells(results))
    floor = {where: c[request_path.OURS]["times_floor"] for where, c in cells.items()}
    peer = {where: c[request_path.PEER]["times_ours"] for where, c in cells.items()}
    worst_floor = max(floor, key=floor.__getitem__)
    worst_peer = min(peer, key=peer.__getitem__)
    return [
        goal(
            "Request path: default chain vs raw aiohttp floor (CPU/request)",
            "<= 1.3x",
            floor[worst_floor],
            floor[worst_floor] <= 1.3,
            worst_floor,
        ),
        goal(
            "Request path: less CPU/request than the peer",
            ">= 2x",
            peer[worst_peer],
            peer[worst_peer] >= 2,
            worst_peer,
        ),
    ]


def streaming_goal(results: dict[str, Any]) -> dict[str, Any]:
    loops = {loop: r[streaming.PEER]["times_ours"] for loop, r in results["loops"].items()}
    worst = min(loops, key=loops.__getitem__)
    return goal("Streaming: the peer's events/s", ">= 5x", loops[worst], loops[worst] >= 5, worst)


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    if "decode" in results:
        found.append(decode_goal(results["decode"]))
    if "request_path" in results:
        found.extend(request_goals(results["request_path"]))
    if "streaming" in results:
        found.append(streaming_goal(results["streaming"]))
    return found


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)


def x(value: float) -> str:
    return f"{value:.2f}x"


def number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def goals_table(found: list[dict[str, Any]]) -> str:
    rows = [
        [g["goal"], g["target"], x(g["measured"]), "met" if g["met"] else "MISSED", g["where"]]
        for g in found
    ]
    return table(["goal", "target", "measured (worst case)", "", "worst case at"], rows)


def decode_table(results: dict[str, Any]) -> str:
    rows = [
        [
            case,
            name,
            x(c["times_ours"]),
            number(c["mb_per_s"]),
            number(c["items_per_s"]),
            number(c["peak_mb_per_10k_items"]),
        ]
        for case, result in results.items()
        for name, c in result["contenders"].items()
    ]
    header = ["body", "contender", "time vs ours", "MB/s", "items/s", "peak MB per 10k items"]
    return table(header, rows)


def request_table(results: dict[str, Any]) -> str:
    names = list(request_path.CONTENDERS)
    rows = [
        [
            where,
            x(c[request_path.OURS]["times_floor"]),
            x(c[request_path.PEER]["times_ours"]),
            *(number(c[name]["cpu_us_per_request"]) for name in names),
        ]
        for where, c in request_cells(results)
    ]
    header = ["loop, operation, concurrency", "ours vs floor", "peer vs ours"]
    return table(header + [f"{name} (CPU us)" for name in names], rows)


def streaming_table(results: dict[str, Any]) -> str:
    rows = [
        [
            loop,
            name,
            x(r["times_ours"]),
            number(r["messages_per_cpu_s"]),
            number(r["messages_per_wall_s"]),
        ]
        for loop, contenders in results["loops"].items()
        for name, r in contenders.items()
    ]
    header = ["loop", "reader", "CPU/message vs ours", "messages per CPU s", "per wall s"]
    return table(header, rows)


def pagination_table(results: dict[str, Any]) -> str:
    rows = [
        [
            loop,
            name,
            x(r["times_ours_sequential"]),
            f"{r['wall_s']:.3f}",
            number(r["items_per_wall_s"]),
            f"{r['cpu_s']:.3f}",
        ]
        for loop, contenders in results["loops"].items()
        for name, r in contenders.items()
    ]
    header = ["loop", "walk", "wall vs ours sequential", "wall s", "items per wall s", "CPU s"]
    return table(header, rows)


def admission_table(results: dict[str, Any]) -> str:
    rows = [
        [
            loop,
            what,
            level,
            x(r["redis_vs_local_wall"]),
            x(r["redis_vs_local_cpu"]),
            number(r["local"]["wall_us"]),
            number(r["redis"]["wall_us"]),
            number(r["local"]["cpu_us"]),
            number(r["redis"]["cpu_us"]),
        ]
        for loop, measurements in results["loops"].items()
        for what, levels in measurements.items()
        for level, r in levels.items()
    ]
    header = ["loop", "what", "concurrency", "redis vs local (wall)", "redis vs local (CPU)"]
    units = ["local wall us", "redis wall us", "local CPU us", "redis CPU us"]
    return table(header + units, rows)


def render(run: dict[str, Any]) -> str:
    """The whole report as Markdown: header, goals, then one table per benchmark."""
    env = run["environment"]
    results = run["results"]
    packages = ", ".join(f"{name} {version}" for name, version in env["versions"].items())
    pinned = (
        f"client on core {env['client_core']}, servers on core {env['server_core']}"
        if env["client_core"] is not None
        else "not pinned"
    )
    parts = [
        f"Run {env['date']}{' (quick)' if run['quick'] else ''} on {env['cores']} cores "
        f"({env['cpu']}; {pinned}), {env['python']}, loops: {', '.join(run['loops'])}.",
        f"Packages: {packages}.",
        "### Goals\n\n" + goals_table(run["goals"]),
    ]
    if "decode" in results:
        parts.append("### Decode (CPU time per body)\n\n" + decode_table(results["decode"]))
    if "request_path" in results:
        parts.append(
            "### Request path (client CPU per request, fixed-response server)\n\n"
            + request_table(results["request_path"])
        )
    if "streaming" in results:
        s = results["streaming"]
        parts.append(
            f"### Streaming ({s['events']:,} messages, one stream)\n\n" + streaming_table(s)
        )
    if "pagination" in results:
        p = results["pagination"]
        parts.append(
            f"### Pagination walk ({p['items']:,} items, {p['page_size']} per page, "
            f"{p['latency_ms']:g} ms server latency)\n\n" + pagination_table(p)
        )
    if "admission" in results:
        a = results["admission"]
        parts.append(
            "### Admission (rate limiter cost per call: local bucket vs Redis on loopback)\n\n"
            + (f"Skipped: {a['skipped']}" if "skipped" in a else admission_table(a))
        )
    return "\n\n".join(parts) + "\n"
