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
        ("/health", True), ("/healthz", False), ("/health/", False), ("/Health", False), ("/health/live", True),
        ("/health/live/", True), ("/health..", False), ("/health/..", False),
        ("/public", True), ("/public/", True), ("/public/a/b", True), ("/publicity", False),
        ("/public/../admin", False), ("/public/./x", False), ("/public//x", False), ("/public/a\\b", False),
        ("/public/a\0", False), ("/admin", True), ("/admin/", True), ("/admin/users", True), ("/administrator", False),
    ],
)  # fmt: skip
def test_matching(path: str, exempt: bool) -> None:
    paths = ExcludedPaths.parse(["/health", "/public/*", "/admin/"])
    assert paths.matches(path) is exempt


@pytest.mark.parametrize(
    ("path", "exempt"),
    [
        ("/public", True), ("/public/info", True), ("/public/a/b", True), ("/public/", False), ("/publicity", False),
        ("/public..", False), ("/public../x", False), ("/public/../admin", False), ("/publicx/info", False),
        ("/health", True), ("/health/live", True), ("/admin/", True), ("/admin/users", True), ("/admin", True),
        ("/administrator", False), ("/", False), ("/hello", False),
    ],
)  # fmt: skip
def test_seed_style_entries_cover_their_subtree(path: str, exempt: bool) -> None:
    # Seed 001: excluded_paths=["/health", "/public"] and VAULT_EXCLUDED_PATHS = ['/health', '/admin/'].
    paths = ExcludedPaths.parse(["/health", "/public", "/admin/"])
    assert paths.matches(path) is exempt
