"""`make bench`: run every `bench_*.py` here and print one table of ours vs named baselines, measured in one run.

Each module exposes `run(baseline_python, upstream_python) -> list[Row]`. Baselines that are other packages live
outside the dev env: stripe in the bench env (`--baseline-python`, where our wheels are installed too), and the
published vortex-python-sdk alone in `--upstream-python`'s env, since it installs the same module name as ours.
Nothing here fails on a time: missed targets are printed, and the exit status is 0.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import attrs  # noqa: E402
from harness import Row, render  # noqa: E402


def main() -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline-python", required=True, help="interpreter of the bench env (the baselines, and our wheels)"
    )
    parser.add_argument("--upstream-python", required=True, help="interpreter of the env holding vortex-python-sdk")
    parser.add_argument("--rows-of", help=argparse.SUPPRESS)  # internal: run one module, print its rows as JSON
    parser.add_argument("only", nargs="*", help="module names to run (default: all bench_*.py)")
    args = parser.parse_args()
    if args.rows_of:
        rows_of = importlib.import_module(args.rows_of).run(args.baseline_python, args.upstream_python)
        print(json.dumps([attrs.asdict(row) for row in rows_of]))
        return 0
    names = args.only or sorted(p.stem for p in HERE.glob("bench_*.py"))
    rows: list[Row] = []
    for name in names:
        # Each module in a fresh interpreter: one module's imports, heap and process-wide settings (Django) must
        # not weigh on the next one's figures.
        print(f"running {name} ...", file=sys.stderr, flush=True)
        command = [sys.executable, __file__, "--baseline-python", args.baseline_python,
                   "--upstream-python", args.upstream_python, "--rows-of", name]  # fmt: skip
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        rows.extend(Row(**row) for row in json.loads(output.strip().splitlines()[-1]))
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
