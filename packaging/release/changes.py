"""What a change is: its level (internal, additive, breaking) and a sentence naming it in a user's terms."""

from __future__ import annotations

import enum

import attrs


class Level(enum.IntEnum):
    """How much a change matters to a user, ordered so that `max()` gives the level a release needs."""

    NONE = 0
    INTERNAL = 1
    ADDITIVE = 2
    BREAKING = 3

    @property
    def label(self) -> str:
        """The word `make api-diff` prints for this level."""
        return self.name.lower()


@attrs.frozen
class Change:
    """One difference between the last release and the working tree, e.g. `User.avatar_url removed`."""

    level: Level
    subject: str
    what: str

    def describe(self) -> str:
        """`User.avatar_url removed (breaking)`: the form the gate and `make api-diff` print."""
        return f"{self.subject} {self.what} ({self.level.label})"


def level_of(changes: list[Change]) -> Level:
    """The highest level among `changes` (NONE for no change)."""
    return max((change.level for change in changes), default=Level.NONE)


# What each changelog section promises, as a level: a fragment says what the maintainer knows a change is, which the
# diff of the public API cannot always see (a behaviour removed behind an unchanged signature, say).
_FRAGMENT_LEVELS = {"added": Level.ADDITIVE, "deprecated": Level.ADDITIVE, "removed": Level.BREAKING}


def fragment_level(fragment_names: list[str]) -> Level:
    """The level pending changelog fragments (`<issue>.<type>.md`) ask for: `removed` is breaking, `added` and
    `deprecated` are additive, the rest (changed, fixed, security) internal; NONE for no fragment."""
    levels = [_FRAGMENT_LEVELS.get(name.split(".")[-2], Level.INTERNAL) for name in fragment_names]
    return max(levels, default=Level.NONE)
