"""The goals, checked against a run's results, and the tables that show them.

Every table puts the ratio first: it is the figure that survives a noisy machine. Each
ratio is printed as its median over rounds with its range beside it (lowest-highest
round), so a reader can tell whether a verdict is clear or within the machine's noise.
A goal is checked at its worst case (the worst median over bodies, loops, operations
and concurrency levels) and reported as met or MISSED on that median.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from . import decode, rate_limits, request_path, streaming

RatioFigures = Mapping[str, float]
"""A ratio as the JSON holds it: ``median``, ``low`` and ``high`` over the rounds."""

LIST_PAGES = ("agents page (100)", "messages page (100)")

DECODE_VS_MSGSPEC = 1.15
"""Ours at most this many times the bare typed msgspec decode of the same list page."""
DECODE_VS_PEER = {"agents page (100)": 5.1, "messages page (100)": 7.6}
"""The peer's decode time over ours, per list page: its ceiling (bare msgspec) / 1.15."""
REQUEST_VS_FLOOR = 1.20
REQUEST_VS_PEER = 2.0
STREAM_VS_PEER = 3.5
STREAM_BATCHES_VS_PEER = 5.0


def goal(
    name: str,
    target: str,
    measured: float,
    met: bool,
    where: str,
    spread: Sequence[float] | None = None,
) -> dict[str, Any]:
    """One goal's verdict; ``spread`` is the measured ratio's (low, high) over rounds."""
    return {
        "goal": name,
        "target": target,
        "measured": measured,
        "spread": None if spread is None else list(spread),
        "met": met,
        "where": where,
    }


def at_most(name: str, bound: float, cases: Mapping[str, RatioFigures]) -> dict[str, Any]:
    """Goal ``name``: every case's ratio (by where it was measured) at most ``bound``."""
    where = max(cases, key=lambda case: cases[case]["median"])
    worst = cases[where]
    met = worst["median"] <= bound
    return goal(name, f"<= {bound:g}x", worst["median"], met, where, spreads(worst))


def at_least(name: str, bound: float, cases: Mapping[str, RatioFigures]) -> dict[str, Any]:
    """Goal ``name``: every case's ratio (by where it was measured) at least ``bound``."""
    where = min(cases, key=lambda case: cases[case]["median"])
    worst = cases[where]
    met = worst["median"] >= bound
    return goal(name, f">= {bound:g}x", worst["median"], met, where, spreads(worst))


def spreads(ratio: RatioFigures) -> tuple[float, float]:
    return ratio["low"], ratio["high"]


def decode_goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    ceiling = {page: results[page]["ours_vs_msgspec"] for page in LIST_PAGES}
    found = [at_most("Decode: ours vs a bare typed msgspec decode", DECODE_VS_MSGSPEC, ceiling)]
    for page, bound in DECODE_VS_PEER.items():
        peer = {page: results[page]["contenders"][decode.PEER]["times_ours"]}
        found.append(at_least(f"Decode, {page}: the peer's time vs ours", bound, peer))
    return found


def request_cells(results: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for loop, operations in results.items():
        for op, levels in operations.items():
            for level, contenders in levels.items():
                yield f"{loop}, {op}, concurrency {level}", contenders


def versus_floor(results: dict[str, Any], name: str) -> dict[str, RatioFigures]:
    """``name``'s CPU per request over the floor's, in every cell."""
    return {where: c[name]["times_floor"] for where, c in request_cells(results)}


def request_goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    peer = {where: c[request_path.PEER]["times_ours"] for where, c in request_cells(results)}
    return [
        at_most(
            "Request path: ours (default chain) vs the raw aiohttp floor, CPU/request",
            REQUEST_VS_FLOOR,
            versus_floor(results, request_path.OURS),
        ),
        at_least("Request path: the peer's CPU/request vs ours", REQUEST_VS_PEER, peer),
    ]


def streaming_goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    def versus_peer(name: str) -> dict[str, RatioFigures]:
        return {loop: r[name]["peer_vs_this"] for loop, r in results["loops"].items()}

    return [
        at_least(
            "Streaming, `async for message in stream`: the peer's CPU/message vs ours",
            STREAM_VS_PEER,
            versus_peer(streaming.OURS),
        ),
        at_least(
            "Streaming, `async for batch in stream.batches()`: the peer's CPU/message vs ours",
            STREAM_BATCHES_VS_PEER,
            versus_peer(streaming.OURS_BATCHES),
        ),
    ]


def rate_limit_goal(results: dict[str, Any]) -> dict[str, Any]:
    """429s without a limiter over those with ``adaptive_rate_limit=True`` alone.

    Met only if no attempt also waited in the limiter past its timeout. No 429 at all
    counts as one, so the ratio stays finite.
    """
    strategies = results["strategies"]
    adaptive = strategies[rate_limits.ADAPTIVE]
    ratio = strategies[rate_limits.NONE]["refused_429"] / max(adaptive["refused_429"], 1)
    bounded = adaptive["longest_limiter_wait_s"] <= adaptive["timeout_s"]
    return goal(
        "Rate limits: 429s, no limiter vs adaptive_rate_limit alone",
        ">= 10x",
        ratio,
        ratio >= 10 and bounded,
        f"{results['calls']:,} calls, {results['budget']} per {results['window_s']:g} s",
    )


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    if "decode" in results:
        found.extend(decode_goals(results["decode"]))
    if "request_path" in results:
        found.extend(request_goals(results["request_path"]))
    if "streaming" in results:
        found.extend(streaming_goals(results["streaming"]))
    if "rate_limits" in results:
        found.append(rate_limit_goal(results["rate_limits"]))
    return found


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)


def x(value: float) -> str:
    return f"{value:.2f}x"


def span(low: float, high: float) -> str:
    return f"{low:.2f}-{high:.2f}"


def ratio(figures: RatioFigures) -> str:
    """A ratio and its range over rounds: ``1.18x (1.12-1.25)``."""
    return f"{x(figures['median'])} ({span(figures['low'], figures['high'])})"


def number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def goals_table(found: list[dict[str, Any]]) -> str:
    rows = [
        [
            g["goal"],
            g["target"],
            x(g["measured"]),
            "" if g["spread"] is None else span(*g["spread"]),
            "met" if g["met"] else "MISSED",
            g["where"],
        ]
        for g in found
    ]
    header = ["goal", "target", "measured (worst case)", "range over rounds", "", "worst case at"]
    return table(header, rows)


def request_limits_table(results: dict[str, Any]) -> str:
    """Beside the request-path goal: how close to the floor the SDK can get at all."""
    names = (request_path.OURS, request_path.OURS_EMPTY, request_path.FLOOR_MIDDLEWARE)
    rows = []
    for name in names:
        cases = versus_floor(results, name)
        where = max(cases, key=lambda case: cases[case]["median"])
        rows.append([name, ratio(cases[where]), where])
    return table(["contender", "vs the floor, worst case (range)", "worst case at"], rows)


def decode_table(results: dict[str, Any]) -> str:
    rows = [
        [
            case,
            name,
            ratio(c["times_ours"]),
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
    versus = (request_path.OURS, request_path.OURS_EMPTY, request_path.FLOOR_MIDDLEWARE)
    rows = [
        [
            where,
            *(ratio(c[name]["times_floor"]) for name in versus),
            ratio(c[request_path.PEER]["times_ours"]),
            *(number(c[name]["cpu_us_per_request"]) for name in names),
        ]
        for where, c in request_cells(results)
    ]
    header = [
        "loop, operation, concurrency",
        "ours vs floor",
        "empty chain vs floor",
        "floor + 6 middleware vs floor",
        "peer vs ours",
    ]
    return table(header + [f"{name} (CPU us)" for name in names], rows)


def streaming_table(results: dict[str, Any]) -> str:
    rows = [
        [
            loop,
            name,
            ratio(r["peer_vs_this"]),
            number(r["messages_per_cpu_s"]),
            number(r["messages_per_wall_s"]),
        ]
        for loop, contenders in results["loops"].items()
        for name, r in contenders.items()
    ]
    header = ["loop", "reader", "peer's CPU/message vs this", "messages per CPU s", "per wall s"]
    return table(header, rows)


def pagination_table(results: dict[str, Any]) -> str:
    rows = [
        [
            loop,
            name,
            ratio(r["times_ours_sequential"]),
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


def rate_limits_table(results: dict[str, Any]) -> str:
    rows = [
        [
            name,
            f"{r['refused_429']:,}",
            f"{r['sent']:,}",
            ", ".join(f"{count:,} {how}" for how, count in sorted(r["outcomes"].items())),
            f"{r['longest_limiter_wait_s']:.3g} / {r['timeout_s']:g}",
            f"{r['longest_call_s']:.3g} / {r['deadline_s']:g}",
        ]
        for name, r in results["strategies"].items()
    ]
    header = [
        "client",
        "429s",
        "requests sent",
        "calls ended",
        "longest limiter wait / timeout (s)",
        "longest call / deadline (s)",
    ]
    return table(header, rows)


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
    if "request_path" in results:
        parts.append(
            "Beside the request-path goal, the limit: the SDK without its middleware, and "
            "the floor behind six do-nothing middleware.\n\n"
            + request_limits_table(results["request_path"])
        )
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
    if "rate_limits" in results:
        r = results["rate_limits"]
        parts.append(
            f"### Rate limits ({r['calls']:,} concurrent calls, server budget {r['budget']} "
            f"per {r['window_s']:g} s, virtual clock)\n\n" + rate_limits_table(r)
        )
    return "\n\n".join(parts) + "\n"
