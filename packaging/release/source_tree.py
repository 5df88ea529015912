"""The state of the git work tree the release steps run in: clean or not, and the commit's timestamp."""

from __future__ import annotations

import subprocess

from .distributions import ROOT


class DirtyTreeError(RuntimeError):
    """The work tree has uncommitted changes, so what would be released is not a commit anyone can see."""


def uncommitted() -> list[str]:
    """`git status --porcelain` lines: modified, staged and untracked files (ignored ones excepted)."""
    result = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if line.strip()]


def require_clean(step: str) -> None:
    """Raise `DirtyTreeError` naming the files when the tree is not clean."""
    dirty = uncommitted()
    if dirty:
        listing = "\n".join(f"  {line}" for line in dirty[:20])
        raise DirtyTreeError(f"{step} needs a clean work tree; commit or stash these first:\n{listing}")


def commit_timestamp() -> int:
    """The committer timestamp of HEAD: the SOURCE_DATE_EPOCH that makes a build of this commit reproducible."""
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(result.stdout.strip())
