"""The one command: run the benchmarks, print the report, write the results.

``python -m benchmarks [--quick] [--no-uvloop] [--only NAME ...] [--json PATH]``

The JSON (default ``benchmarks/results/latest.json``, not committed) holds every
figure; the printed Markdown report shows the goals and one table per benchmark. A
full run (not ``--quick``, every benchmark) also rewrites ``benchmarks/RESULTS.md``,
the committed record of the latest full run.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import (
    admission,
    decode,
    loops,
    pagination,
    rate_limits,
    report,
    request_path,
    streaming,
)
from .environment import describe
from .servers import Placement, client_pinned
from .settings import Settings

HERE = Path(__file__).resolve().parent
DEFAULT_JSON = HERE / "results" / "latest.json"
RESULTS_MD = HERE / "RESULTS.md"

BENCHMARKS: dict[str, Callable[[Settings], dict[str, Any]]] = {
    "decode": decode.run,
    "request_path": request_path.run,
    "streaming": streaming.run,
    "pagination": pagination.run,
    "admission": admission.run,
    "rate_limits": rate_limits.run,
}

RESULTS_PREAMBLE = """# Latest full benchmark run

Written by `python -m benchmarks` (see `benchmarks/README.md` for what each benchmark
does and how to read the numbers). Absolute figures depend on the machine; compare
the ratios.

"""


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="Benchmark bimpe_async against its peers."
    )
    parser.add_argument("--quick", action="store_true", help="a few iterations of each")
    parser.add_argument(
        "--uvloop",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the async benchmarks on uvloop, when installed (default: yes)",
    )
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), default=None)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    return parser.parse_args(argv)


def run(settings: Settings, names: Sequence[str]) -> dict[str, Any]:
    """Run the named benchmarks (pinned to the client core) and check the goals."""
    with client_pinned(settings.placement):
        results = {name: BENCHMARKS[name](settings) for name in names}
    return {
        "schema": 1,
        "quick": settings.quick,
        "loops": list(settings.loops),
        "environment": describe(settings.placement),
        "results": results,
        "goals": report.goals(results),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run, print the report, write the JSON (and RESULTS.md after a full run)."""
    options = arguments(argv)
    settings = Settings(
        quick=options.quick,
        loops=loops.available(with_uvloop=options.uvloop),
        placement=Placement.detect(),
    )
    outcome = run(settings, options.only or list(BENCHMARKS))
    markdown = report.render(outcome)
    print(markdown)
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(outcome, indent=2) + "\n")
    print(f"JSON written to {options.json}")
    if not options.quick and options.only is None:
        RESULTS_MD.write_text(RESULTS_PREAMBLE + markdown)
        print(f"Report written to {RESULTS_MD}")
    return outcome
