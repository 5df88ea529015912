"""The committed API report of each distribution's last release (`api/<name>.json`) and today's snapshot of it.

Like API Extractor's `<package>.api.md`, the report is text kept in the repository: one entry per line, so a
review shows exactly which public name or wire field a change touched.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import attrs

from . import python_api, wire_api
from .distributions import ROOT, Distribution


@attrs.frozen
class Snapshot:
    """A distribution's version, public Python API, wire API per spec, and a fingerprint of its sources."""

    version: str
    sources: str
    python: python_api.Report
    wire: dict[str, wire_api.Report]


def fingerprint(distribution: Distribution) -> str:
    """sha256 over its package sources and specs, to tell an internal change from no change at all."""
    digest = hashlib.sha256()
    files = [path for folder in distribution.package_dirs() for path in folder.rglob("*") if path.is_file()]
    files += [ROOT / spec for spec in distribution.specs]
    for path in sorted(files):
        if "__pycache__" in path.parts or path.name == "_version.py":
            continue
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def current(distribution: Distribution) -> Snapshot:
    """The snapshot of the working tree."""
    return Snapshot(
        version=distribution.declared_version(),
        sources=fingerprint(distribution),
        python=python_api.surface(distribution.packages, [ROOT / "src", ROOT / "generated"]),
        wire={spec: wire_api.surface(ROOT / spec) for spec in distribution.specs},
    )


def _section(name: str, entries: dict[str, Any], indent: str) -> list[str]:
    lines = [f"{indent}{json.dumps(name)}: {{"]
    items = sorted(entries.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        lines.append(f"{indent} {json.dumps(key)}: {json.dumps(value, sort_keys=True)}{comma}")
    lines.append(f"{indent}}}")
    return lines


def write(distribution: Distribution, snapshot: Snapshot) -> None:
    """Write `snapshot` as the distribution's release baseline, one entry per line."""
    lines = ["{", f' "distribution": {json.dumps(distribution.name)},', f' "version": {json.dumps(snapshot.version)},']
    lines.append(f' "sources": {json.dumps(snapshot.sources)},')
    lines += [line for line in _section("python", snapshot.python, " ")]
    lines[-1] += ","
    lines.append(' "wire": {')
    specs = sorted(snapshot.wire.items())
    for index, (spec, report) in enumerate(specs):
        section = _section(spec, report, "  ")
        if index < len(specs) - 1:
            section[-1] += ","
        lines += section
    lines += [" }", "}"]
    distribution.baseline.parent.mkdir(parents=True, exist_ok=True)
    distribution.baseline.write_text("\n".join(lines) + "\n")


class MissingBaselineError(FileNotFoundError):
    """A distribution has no committed baseline (run `make release` once to record one)."""


def read(distribution: Distribution) -> Snapshot:
    """The committed baseline of `distribution`."""
    path: Path = distribution.baseline
    if not path.is_file():
        raise MissingBaselineError(f"{distribution.name}: no API baseline at {path.relative_to(ROOT)}")
    data = json.loads(path.read_text())
    return Snapshot(version=data["version"], sources=data["sources"], python=data["python"], wire=data["wire"])
