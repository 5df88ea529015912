"""Excluded-path rules (reference §4): validated at start-up, exact or segment-bounded, never exempting odd paths."""

from __future__ import annotations

import pytest

from vault_auth.middleware.paths import ExcludedPathError, ExcludedPaths


@pytest.mark.parametrize(
    "entry", ["health", "", "/health/../admin", "//health", "/a//b", "/pub*", "/*", "/", "/x?y", "/x#y", "/a/./b"]
)
def test_bad_entries_fail_at_start_up(entry: str) -> None:
    with pytest.raises(ExcludedPathError):
        ExcludedPaths.parse([entry])


def test_a_bare_string_is_refused() -> None:
    with pytest.raises(ExcludedPathError, match="list"):
        ExcludedPaths.parse("/health")  # type: ignore[arg-type]


def test_root_only_with_explicit_consent() -> None:
    assert ExcludedPaths.parse(["/*"], allow_root=True).matches("/anything")


@pytest.mark.parametrize(
    ("path", "exempt"),
    [
        ("/health", True), ("/healthz", False), ("/health/", False), ("/Health", False), ("/health/x", False),
        ("/public", True), ("/public/", True), ("/public/a/b", True), ("/publicity", False),
        ("/public/../admin", False), ("/public/./x", False), ("/public//x", False), ("/public/a\\b", False),
        ("/public/a\0", False), ("/admin", True), ("/admin/users", True), ("/administrator", False),
    ],
)  # fmt: skip
def test_matching(path: str, exempt: bool) -> None:
    paths = ExcludedPaths.parse(["/health", "/public/*", "/admin/"])
    assert paths.matches(path) is exempt
