"""Shared pieces of `make bench`: one result row, and CPU time of a statement in a cold interpreter."""

from __future__ import annotations

import resource
import statistics
import subprocess
from collections.abc import Sequence

import attrs


@attrs.frozen
class Row:
    """One figure of the table: ours against a named baseline, measured in the same run.

    `lower_is_better` says which way the ratio `ours / baseline` must go to meet `target`.
    """

    figure: str
    ours: float
    baseline: float
    baseline_name: str
    unit: str
    target: float | None
    lower_is_better: bool = True

    @property
    def ratio(self) -> float:
        """ours / baseline."""
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def verdict(self) -> str:
        """`met`, `MISSED`, or `info` for figures without a target."""
        if self.target is None:
            return "info"
        met = self.ratio <= self.target if self.lower_is_better else self.ratio >= self.target
        return "met" if met else "MISSED"


def cold_cpu_seconds(python: str, statement: str, runs: int = 9, env: dict[str, str] | None = None) -> float:
    """Median CPU seconds (user + system) of `python -c statement` in a fresh process, after one warm-up run."""
    samples: list[float] = []
    for index in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([python, "-c", statement], check=True, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if index:
            samples.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(samples)


def render(rows: Sequence[Row]) -> str:
    """The table `make bench` prints."""
    header = ("figure", "ours", "baseline", "ratio", "target", "verdict")
    lines = [header]
    for row in rows:
        target = "-" if row.target is None else f"{'<=' if row.lower_is_better else '>='} {row.target:.2f}x"
        lines.append(
            (
                row.figure,
                f"{row.ours:.4g} {row.unit}",
                f"{row.baseline:.4g} {row.unit} ({row.baseline_name})",
                f"{row.ratio:.2f}x",
                target,
                row.verdict,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in lines]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(text)
