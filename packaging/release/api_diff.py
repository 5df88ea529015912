"""`make api-diff` and the version gate of `make check`.

python -m release.api_diff            # what changed since the last release, per distribution
python -m release.api_diff --gate     # exit 1 when a version or changelog does not cover the changes
python -m release.api_diff --record   # make the working tree the new baseline (what `make release` runs)
"""

from __future__ import annotations

import argparse
import sys

import attrs

from . import baseline
from .changes import Level
from .comparison import Comparison, compare, runtime_range_problems
from .distributions import DISTRIBUTIONS, by_name
from .semver import Version


def comparisons() -> list[Comparison]:
    """One comparison per distribution, against its committed baseline.

    A distribution whose sources and specs hash as they did at the release is not read again: griffe runs only
    where something changed.
    """
    results = []
    for distribution in DISTRIBUTIONS:
        released = baseline.read(distribution)
        if baseline.fingerprint(distribution) == released.sources:
            now = attrs.evolve(released, version=distribution.declared_version())
        else:
            now = baseline.current(distribution)
        results.append(compare(distribution, released, now))
    return results


def render(comparison: Comparison) -> list[str]:
    """The lines `make api-diff` prints for one distribution."""
    name = comparison.distribution.name
    head = f"{name}: released {comparison.released}, declared {comparison.declared}"
    if comparison.level is Level.NONE:
        return [f"{head}: no change"]
    if comparison.level is Level.INTERNAL:
        verdict = f"internal only: no bump required ({comparison.released.bumped(Level.INTERNAL)} when released)"
    else:
        verdict = f"{comparison.level.label}: needs {comparison.needed}"
    lines = [f"{head}: {len(comparison.changes)} change(s), {verdict}"]
    ordered = sorted(comparison.changes, key=lambda change: (-change.level, change.subject))
    lines += [f"  {change.level.label:<9} {change.subject} {change.what}" for change in ordered]
    if not comparison.has_fragments and comparison.level >= Level.ADDITIVE:
        lines.append(f"  (no changelog fragment yet in packaging/{name}/changes/)")
    return lines


def gate(results: list[Comparison]) -> list[str]:
    """Every refusal of the gate: too small a bump, a break without a fragment, a runtime range that misses."""
    problems = [problem for result in results for problem in result.refusals()]
    runtime = by_name("sdk-runtime")
    dependents = [d for d in DISTRIBUTIONS if d is not runtime]
    problems += runtime_range_problems(Version.parse(runtime.declared_version()), dependents)
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--gate", action="store_true", help="fail when a declared version is too small")
    mode.add_argument("--record", action="store_true", help="record the working tree as the release baseline")
    args = parser.parse_args(argv)
    if args.record:
        for distribution in DISTRIBUTIONS:
            baseline.write(distribution, baseline.current(distribution))
            print(f"recorded api/{distribution.name}.json at {distribution.declared_version()}")
        return 0
    try:
        results = comparisons()
    except baseline.MissingBaselineError as exc:
        print(f"{exc}; record one with `make release`", file=sys.stderr)
        return 1
    if args.gate:
        problems = gate(results)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("api gate: refused (bump `_version.py` to the version named, and add a changelog fragment)",
                  file=sys.stderr)  # fmt: skip
            return 1
        print("api gate: every declared version covers its changes since the last release")
        return 0
    for result in results:
        print("\n".join(render(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
