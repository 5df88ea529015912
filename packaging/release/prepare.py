"""`make release`: plan a release from the diff since the last one, and with `--yes` apply it to the work tree.

    python -m release.prepare          # print the plan; change nothing
    python -m release.prepare --yes    # bump versions, build CHANGELOG.md from fragments, refresh the baseline

It refuses a dirty tree, and it never commits: after `--yes` it prints what it changed, for the maintainer to
review (`git diff`) and commit, then `make publish`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys

import attrs

from . import baseline
from .api_diff import comparisons, gate
from .changes import Level
from .comparison import Comparison
from .distributions import DISTRIBUTIONS, ROOT, Distribution
from .semver import Version
from .source_tree import DirtyTreeError, require_clean

_RUNTIME_RANGE = re.compile(r'"sdk-runtime>=[0-9.]+,<[0-9.]+"')


@attrs.frozen
class Step:
    """One distribution's part of the release: its new version and why."""

    distribution: Distribution
    released: Version
    version: Version
    reason: str


def plan(results: list[Comparison]) -> tuple[list[Step], str | None]:
    """The distributions to release with their versions, and the new sdk-runtime range if it must move."""
    steps: dict[str, Step] = {}
    for result in results:
        if result.level is Level.NONE and not result.has_fragments:
            continue
        level = max(result.level, Level.INTERNAL)
        version = max(result.declared, result.released.bumped(level))
        fragments = ", ".join(path.name for path in result.distribution.pending_fragments()) or "none"
        reason = f"{level.label} ({len(result.changes)} change(s); fragments: {fragments})"
        steps[result.distribution.name] = Step(result.distribution, result.released, version, reason)
    runtime_range = None
    runtime = next((r for r in results if r.distribution.name == "sdk-runtime"), None)
    if runtime is not None and runtime.level >= Level.ADDITIVE and "sdk-runtime" in steps:
        low = steps["sdk-runtime"].version
        runtime_range = f"sdk-runtime>={low},<{low.bumped(Level.BREAKING)}"
        for result in results:
            name = result.distribution.name
            if name != "sdk-runtime" and name not in steps:
                version = result.released.bumped(Level.INTERNAL)
                steps[name] = Step(result.distribution, result.released, version, f"needs {runtime_range}")
    ordered = [steps[d.name] for d in DISTRIBUTIONS if d.name in steps]
    return ordered, runtime_range


def apply(steps: list[Step], runtime_range: str | None, date: str) -> None:
    """Write the versions, the runtime range, the changelogs (consuming fragments) and the new baselines."""
    for step in steps:
        step.distribution.write_version(str(step.version))
    if runtime_range is not None:
        for distribution in DISTRIBUTIONS:
            if distribution.name == "sdk-runtime":
                continue
            pyproject = distribution.folder / "pyproject.toml"
            pyproject.write_text(_RUNTIME_RANGE.sub(f'"{runtime_range}"', pyproject.read_text()))
            # An orphan fragment (no issue number), so the changelog says why this release exists.
            distribution.fragments.mkdir(exist_ok=True)
            (distribution.fragments / "+sdk-runtime-range.changed.md").write_text(f"Requires `{runtime_range}`.\n")
    for step in steps:
        command = [sys.executable, "-m", "towncrier", "build", "--yes", "--version", str(step.version)]
        command += ["--date", date, "--dir", str(step.distribution.folder)]
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    for distribution in DISTRIBUTIONS:
        baseline.write(distribution, baseline.current(distribution))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--yes", action="store_true", help="apply the plan to the work tree (never commits)")
    args = parser.parse_args(argv)
    try:
        require_clean("make release")
    except DirtyTreeError as exc:
        print(f"release refused: {exc}", file=sys.stderr)
        return 1
    results = comparisons()
    steps, runtime_range = plan(results)
    if not steps:
        print("release: nothing changed since the last release; nothing to do")
        return 0
    print("release plan:")
    for step in steps:
        print(f"  {step.distribution.name}: {step.released} -> {step.version}  {step.reason}")
    if runtime_range is not None:
        print(f"  every facade and the sandbox: depend on {runtime_range}")
    if not args.yes:
        print("nothing changed; run `make release ARGS=--yes` to apply this plan")
        return 0
    apply(steps, runtime_range, dt.date.today().isoformat())
    problems = gate(comparisons())
    if problems:  # the new baseline is the tree itself, so this only fires on a range that misses
        print("\n".join(problems), file=sys.stderr)
        return 1
    print("applied to the work tree (nothing committed). Review with `git diff`, then:")
    names = " ".join(f"{s.distribution.name}-v{s.version}" for s in steps)
    print(f'  git commit -am "Release {names}" && make publish')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
