"""Semantic versions: parsing, comparing, and the version a given level of change needs.

Before 1.0.0 the minor number plays the major's role (SemVer item 4, as Cargo and npm read it): a breaking change
of 0.19.0 needs 0.20.0, an additive one 0.19.1.
"""

from __future__ import annotations

import re

import attrs

from .changes import Level

_PATTERN = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class VersionError(ValueError):
    """A version string that is not MAJOR.MINOR.PATCH."""


@attrs.frozen(order=True)
class Version:
    """A release version MAJOR.MINOR.PATCH (pre-releases are not part of this project's policy)."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse `1.2.3`, raising `VersionError` naming the text otherwise."""
        match = _PATTERN.match(text.strip())
        if not match:
            raise VersionError(f"{text!r} is not a MAJOR.MINOR.PATCH version")
        return cls(*(int(part) for part in match.groups()))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def bumped(self, level: Level) -> Version:
        """The smallest version after this one that may carry a change of `level` (itself for NONE)."""
        if level is Level.NONE:
            return self
        if level is Level.BREAKING:
            if self.major == 0:
                return Version(0, self.minor + 1, 0)
            return Version(self.major + 1, 0, 0)
        if level is Level.ADDITIVE and self.major > 0:
            return Version(self.major, self.minor + 1, 0)
        return Version(self.major, self.minor, self.patch + 1)

    def allows(self, base: Version, level: Level) -> bool:
        """Whether this version, released after `base`, is big enough for a change of `level`."""
        return self >= base.bumped(level)
