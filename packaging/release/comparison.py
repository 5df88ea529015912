"""What changed in one distribution since its last release, the version that needs, and what the gate refuses."""

from __future__ import annotations

import re

import attrs

from . import python_api, wire_api
from .baseline import Snapshot
from .changes import Change, Level, fragment_level, level_of
from .distributions import Distribution
from .semver import Version


@attrs.frozen
class Comparison:
    """A distribution's changes since its baseline, with its released and declared versions."""

    distribution: Distribution
    released: Version
    declared: Version
    changes: list[Change]
    fragments: list[str] = attrs.field(factory=list)

    @property
    def has_fragments(self) -> bool:
        """Whether changelog fragments are waiting for the next release."""
        return bool(self.fragments)

    @property
    def level(self) -> Level:
        """The highest level among the changes and the pending changelog fragments."""
        return max(level_of(self.changes), fragment_level(self.fragments))

    @property
    def needed(self) -> Version:
        """The smallest version a release of these changes may carry."""
        return self.released.bumped(self.level)

    def refusals(self) -> list[str]:
        """Why the gate refuses the tree for this distribution (empty when it passes)."""
        name = self.distribution.name
        if self.declared < self.released:
            return [f"{name}: version is {self.declared}, below the last release {self.released}"]
        problems = []
        if self.level >= Level.ADDITIVE and not self.declared.allows(self.released, self.level):
            for change in self.changes:
                if change.level == self.level:
                    problems.append(f"{name}: {change.describe()}: needs {self.needed}, version is {self.declared}")
            if fragment_level(self.fragments) == self.level:
                named = ", ".join(f for f in self.fragments if fragment_level([f]) == self.level)
                problems.append(
                    f"{name}: changelog fragment(s) {named} ({self.level.label}): "
                    f"needs {self.needed}, version is {self.declared}"
                )
        if self.level is Level.BREAKING and not self.has_fragments:
            folder = self.distribution.fragments.relative_to(self.distribution.folder.parents[1])
            problems.append(
                f"{name}: a breaking change needs a changelog fragment in {folder}/ (e.g. `<issue>.removed.md`)"
            )
        return problems


def compare(distribution: Distribution, baseline: Snapshot, now: Snapshot) -> Comparison:
    """Compare the working tree's snapshot with the last release's."""
    changes = python_api.diff(baseline.python, now.python)
    for spec in sorted(set(baseline.wire) | set(now.wire)):
        old, new = baseline.wire.get(spec, {}), now.wire.get(spec, {})
        changes.extend(Change(c.level, f"{spec}: {c.subject}", c.what) for c in wire_api.diff(old, new))
    if not changes and baseline.sources != now.sources:
        changes.append(Change(Level.INTERNAL, "sources", "changed without touching the public API"))
    return Comparison(
        distribution=distribution,
        released=Version.parse(baseline.version),
        declared=Version.parse(now.version),
        changes=changes,
        fragments=[path.name for path in distribution.pending_fragments()],
    )


_RUNTIME_REQUIREMENT = re.compile(r'"sdk-runtime>=([0-9.]+),<([0-9.]+)"')


def runtime_range_problems(runtime_version: Version, dependents: list[Distribution]) -> list[str]:
    """Dependents whose `sdk-runtime>=LOW,<HIGH` range leaves out the sdk-runtime version being released."""
    problems = []
    for distribution in dependents:
        text = (distribution.folder / "pyproject.toml").read_text()
        match = _RUNTIME_REQUIREMENT.search(text)
        if match is None:
            problems.append(f"{distribution.name}: its dependency on sdk-runtime is not a `>=LOW,<HIGH` range")
            continue
        low, high = Version.parse(match.group(1)), Version.parse(match.group(2))
        if not low <= runtime_version < high:
            problems.append(
                f"{distribution.name}: requires sdk-runtime>={low},<{high}, "
                f"which leaves out sdk-runtime {runtime_version}"
            )
    return problems
