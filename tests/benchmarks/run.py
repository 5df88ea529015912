"""`make bench`: run every `bench_*.py` here and print one table of ours vs named baselines, measured in one run.

Each module exposes `run(baseline_python, upstream_python) -> list[Row]`. Baselines that are other packages live
outside the dev env: stripe in the bench env (`--baseline-python`, where our wheels are installed too), and the
published vortex-python-sdk alone in `--upstream-python`'s env, since it installs the same module name as ours.
Nothing here fails on a time: missed targets are printed, and the exit status is 0.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Row, render  # noqa: E402


def main() -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline-python", required=True, help="interpreter of the bench env (the baselines, and our wheels)"
    )
    parser.add_argument("--upstream-python", required=True, help="interpreter of the env holding vortex-python-sdk")
    parser.add_argument("only", nargs="*", help="module names to run (default: all bench_*.py)")
    args = parser.parse_args()
    names = args.only or sorted(p.stem for p in HERE.glob("bench_*.py"))
    rows: list[Row] = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(name).run(args.baseline_python, args.upstream_python))
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
