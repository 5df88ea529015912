"""Excluded paths: each entry is a subtree on a segment boundary; checked at start-up, matched fail-closed.

Every entry matches the path itself and everything below it, as the documentation writes them: `"/public"` matches
`/public` and `/public/info` (and `/public/a/b`); `"/public/"` and `"/public/*"` mean the same and also match
`/public/` itself. A bare trailing slash is not "below" (`"/health"` does not exempt `/health/`), and there are no
bare prefixes (`/healthz`, `/publicity`, `/public..` are never exempt) and no patterns. A request path with a
`.`/`..` segment, `//`, a backslash or NUL is never exempt: it falls through to authentication. Matching is
case-sensitive, like the routers, and is done on the decoded path the router uses (each integration says which).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs


class ExcludedPathError(ValueError):
    """An `excluded_paths` entry is malformed (raised at start-up)."""


def _suspicious(path: str) -> bool:
    if "//" in path or "\\" in path or "\0" in path:
        return True
    return any(segment in (".", "..") for segment in path.split("/"))


@attrs.frozen
class ExcludedPaths:
    """The validated exclusion list of one middleware: the entries' own paths, and the bases they cover."""

    exact: frozenset[str]
    subtrees: tuple[str, ...]

    @classmethod
    def parse(cls, entries: Iterable[str] | None, *, allow_root: bool = False) -> ExcludedPaths:
        """Validate `entries`; raise `ExcludedPathError` naming the bad one."""
        if isinstance(entries, str):
            raise ExcludedPathError("excluded_paths must be a list of paths, not one string")
        exact: set[str] = set()
        subtrees: list[str] = []
        for entry in entries or ():
            if not isinstance(entry, str) or not entry.startswith("/"):
                raise ExcludedPathError(f"excluded path {entry!r} must be a string starting with '/'")
            base = entry.removesuffix("*").removesuffix("/") if entry.endswith(("/*", "/")) else entry
            if "*" in base or _suspicious(entry.removesuffix("*")) or "?" in entry or "#" in entry:
                raise ExcludedPathError(f"excluded path {entry!r} may not contain '..', '//', '*', '?' or '#'")
            if not base and not allow_root:
                raise ExcludedPathError(f"excluded path {entry!r} would exempt every path (pass allow_root=True)")
            exact.update({base or "/", entry.removesuffix("*")})
            subtrees.append(base)
        return cls(frozenset(exact), tuple(subtrees))

    def __bool__(self) -> bool:
        return bool(self.exact or self.subtrees)

    def matches(self, path: str) -> bool:
        """Whether `path` (decoded, as the router sees it) is exempt from authentication."""
        if _suspicious(path):
            return False
        if path in self.exact:
            return True
        # Below an entry: a further segment after its `/` (so `/public/info`, never `/publicity` or `/health/`).
        return any(not base or (path.startswith(base + "/") and len(path) > len(base) + 1) for base in self.subtrees)
