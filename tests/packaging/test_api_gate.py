"""The version gate of `make check` (`packaging/api_gate`) and `make api-diff`, in scratch clones.

Each test makes a real change in a clone, runs exactly the script `make check` runs, and reads what it names.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from release.changes import Level  # packaging/release: on the path by pytest's `pythonpath`

from .conftest import Released

RunRelease = Callable[..., subprocess.CompletedProcess[str]]


def gate(repo: Path) -> subprocess.CompletedProcess[str]:
    """Run the gate script of `make check` in `repo`."""
    return subprocess.run([str(repo / "packaging" / "api_gate")], cwd=repo, capture_output=True, text=True)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))


def set_version(repo: Path, package: str, version: str) -> None:
    path = repo / "src" / package / "_version.py"
    path.write_text(re.sub(r'__version__ = "[^"]+"', f'__version__ = "{version}"', path.read_text()))


def add_fragment(repo: Path, distribution: str, name: str, text: str) -> None:
    (repo / "packaging" / distribution / "changes" / name).write_text(text + "\n")


def commit_all(repo: Path, message: str) -> None:
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "--quiet", "-m", message], cwd=repo, check=True)


def test_the_committed_tree_passes_the_gate(scratch_repo: Path, run_release: RunRelease, released: Released) -> None:
    result = gate(scratch_repo)
    assert result.returncode == 0, result.stderr
    assert "api gate: every declared version covers its changes" in result.stdout
    diff = run_release(scratch_repo, "api_diff")
    assert diff.returncode == 0
    assert f"vault-auth: released {released.vault}, declared {released.vault}: no change" in diff.stdout


@pytest.mark.slow
def test_a_removed_response_property_and_a_newly_required_request_field_need_the_major_bump(
    scratch_repo: Path, run_release: RunRelease, released: Released
) -> None:
    spec = scratch_repo / "openapi" / "vault.yaml"
    edit(spec, "        avatar_url:\n          type: [string, 'null']\n          maxLength: 2048\n", "")
    edit(spec, "        avatar_url: null\n", "")
    edit(
        spec,
        "      title: UserCreate\n      required: [email, password]",
        "      title: UserCreate\n      required: [email, password, first_name]",
    )
    subprocess.run(
        [sys.executable, "generator/generate.py", "vault"], cwd=scratch_repo, check=True, capture_output=True
    )

    refused = gate(scratch_repo)
    assert refused.returncode == 1
    assert (
        "vault-auth: openapi/vault.yaml: GET /api/v1/users/{user_id} response 200.data.avatar_url "
        f"response field removed (breaking): needs {released.vault_major}, version is {released.vault}"
    ) in refused.stderr
    assert (
        f"vault-auth: vault_api.models.User.avatar_url attribute removed (breaking): needs {released.vault_major}"
        in refused.stderr
    )
    assert (
        "vault-auth: openapi/vault.yaml: POST /api/v1/users request application/json.first_name made required "
        f"(breaking): needs {released.vault_major}, version is {released.vault}"
    ) in refused.stderr
    assert "vault-auth: a breaking change needs a changelog fragment in packaging/vault-auth/changes/" in refused.stderr

    diff = run_release(scratch_repo, "api_diff")
    assert f"vault-auth: released {released.vault}, declared {released.vault}: " in diff.stdout
    assert f"breaking: needs {released.vault_major}" in diff.stdout
    assert f"sdk-runtime: released {released.runtime}, declared {released.runtime}: no change" in diff.stdout

    set_version(scratch_repo, "vault_auth", str(released.vault_minor))  # a minor bump is not enough for a break
    add_fragment(scratch_repo, "vault-auth", "20.removed.md", "`User.avatar_url` is gone from the API.")
    assert f"needs {released.vault_major}, version is {released.vault_minor}" in gate(scratch_repo).stderr

    set_version(scratch_repo, "vault_auth", str(released.vault_major))
    passed = gate(scratch_repo)
    assert passed.returncode == 0, passed.stderr


def test_a_renamed_facade_method_is_refused_until_the_major_bump_and_a_fragment(
    scratch_repo: Path, released: Released
) -> None:
    edit(scratch_repo / "src" / "vault_auth" / "users.py", "def get_by_email(", "def find_by_email(", count=2)
    refused = gate(scratch_repo)
    assert refused.returncode == 1
    assert (
        f"vault-auth: vault_auth.users.Users.get_by_email function removed (breaking): "
        f"needs {released.vault_major}, version is {released.vault}" in refused.stderr
    )
    assert "vault_auth.users.AsyncUsers.get_by_email function removed (breaking)" in refused.stderr

    set_version(scratch_repo, "vault_auth", str(released.vault_major))
    without_fragment = gate(scratch_repo)
    assert without_fragment.returncode == 1
    assert "vault-auth: a breaking change needs a changelog fragment" in without_fragment.stderr

    add_fragment(scratch_repo, "vault-auth", "20.changed.md", "`users.get_by_email` is now `users.find_by_email`.")
    assert gate(scratch_repo).returncode == 0


def test_a_removed_result_key_needs_the_next_minor_before_1_0(scratch_repo: Path, released: Released) -> None:
    edit(
        scratch_repo / "src" / "app_integrations" / "loops" / "types.py",
        "    valid: bool\n    team_name: str\n",
        "    valid: bool\n",
    )
    refused = gate(scratch_repo)
    assert refused.returncode == 1
    assert (
        "app-integrations: app_integrations.loops.types.ApiKeyResult.team_name attribute removed (breaking): "
        f"needs {released.integrations.bumped(Level.BREAKING)}, version is {released.integrations}"
    ) in refused.stderr

    set_version(scratch_repo, "app_integrations", str(released.integrations.bumped(Level.BREAKING)))
    add_fragment(scratch_repo, "app-integrations", "20.removed.md", "`test_api_key` no longer returns `team_name`.")
    assert gate(scratch_repo).returncode == 0


def test_an_additive_change_needs_only_the_minor_bump(
    scratch_repo: Path, run_release: RunRelease, released: Released
) -> None:
    new_method = (
        "    def exists(self, user_id: str) -> bool:\n"
        '        """Whether a user with this ID exists."""\n'
        "        return bool(self.get(user_id))\n\n"
        "    def get_by_email("
    )
    edit(scratch_repo / "src" / "vault_auth" / "users.py", "    def get_by_email(", new_method)
    refused = gate(scratch_repo)
    assert refused.returncode == 1
    assert (
        f"vault-auth: vault_auth.users.Users.exists function added (additive): "
        f"needs {released.vault_minor}, version is {released.vault}" in refused.stderr
    )

    set_version(scratch_repo, "vault_auth", str(released.vault_fix))
    assert f"needs {released.vault_minor}, version is {released.vault_fix}" in gate(scratch_repo).stderr
    set_version(scratch_repo, "vault_auth", str(released.vault_minor))
    assert gate(scratch_repo).returncode == 0
    assert f"additive: needs {released.vault_minor}" in run_release(scratch_repo, "api_diff").stdout


def test_private_code_and_members_moved_to_a_base_class_need_no_bump(
    scratch_repo: Path, run_release: RunRelease, released: Released
) -> None:
    users = scratch_repo / "src" / "vault_auth" / "users.py"
    get_by_email = (
        "    @accepts_request_options\n"
        "    def get_by_email(\n"
        "        self, email: str, *, request_options: RequestOptions | None = None, "
        "**options: Unpack[RequestOptionsArgs]\n"
        "    ) -> User:\n"
        '        """The user with this email address, case-insensitively."""\n'
        "        return self._client.run(ops.users_get_by_email(email))\n\n"
    )
    # get_by_email moves into a private base class: inherited, it is still `Users.get_by_email` for a user.
    edit(users, get_by_email, "")
    edit(
        users,
        "class Users:\n",
        f"class _EmailLookup:\n    _client: VaultAuth\n\n{get_by_email}\nclass Users(_EmailLookup):\n",
    )
    edit(
        scratch_repo / "src" / "vault_auth" / "operations.py",
        "def _text(name: str, value: object, max_length: int = 320) -> str:\n",
        "def _text(name: str, value: object, max_length: int = 320) -> str:\n    # a private helper's body changes\n",
    )

    # A new function in a module the sandbox declares internal (inside an API's folder) is no API either.
    handlers = scratch_repo / "src" / "sdk_sandbox" / "vault" / "handlers.py"
    handlers.write_text(handlers.read_text() + '\n\ndef helper_for_tests() -> None:\n    """Nothing."""\n')

    passed = gate(scratch_repo)
    assert passed.returncode == 0, passed.stderr
    diff = run_release(scratch_repo, "api_diff").stdout
    assert (
        f"vault-auth: released {released.vault}, declared {released.vault}: "
        "1 change(s), internal only: no bump required" in diff
    )
    assert (
        f"sdk-sandbox: released {released.sandbox}, declared {released.sandbox}: "
        "1 change(s), internal only: no bump required" in diff
    )
    assert "removed" not in diff


def test_make_release_refuses_a_dirty_tree(scratch_repo: Path, run_release: RunRelease) -> None:
    (scratch_repo / "openapi" / "vault.yaml").write_text((scratch_repo / "openapi" / "vault.yaml").read_text() + "\n")
    result = run_release(scratch_repo, "prepare", "--yes")
    assert result.returncode == 1
    assert "release refused: make release needs a clean work tree; commit or stash these first:" in result.stderr
    assert "openapi/vault.yaml" in result.stderr
    assert (
        subprocess.run(["git", "diff", "--stat"], cwd=scratch_repo, capture_output=True, text=True).stdout.count("|")
        == 1
    )


def test_make_release_plans_then_applies_bumps_changelog_and_baseline_without_committing(
    scratch_repo: Path, run_release: RunRelease, released: Released
) -> None:
    edit(scratch_repo / "src" / "vault_auth" / "users.py", "def get_by_email(", "def find_by_email(", count=2)
    add_fragment(scratch_repo, "vault-auth", "20.changed.md", "`users.get_by_email` is now `users.find_by_email`.")
    set_version(scratch_repo, "vault_auth", str(released.vault_major))
    commit_all(scratch_repo, "Rename users.get_by_email")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=scratch_repo, capture_output=True, text=True).stdout

    plan = run_release(scratch_repo, "prepare")
    assert plan.returncode == 0, plan.stderr
    assert (
        f"  vault-auth: {released.vault} -> {released.vault_major}  breaking (4 change(s); fragments: 20.changed.md)"
        in plan.stdout
    )
    assert "nothing changed; run `make release ARGS=--yes` to apply this plan" in plan.stdout
    assert "sdk-runtime" not in plan.stdout
    assert (
        subprocess.run(["git", "status", "--porcelain"], cwd=scratch_repo, capture_output=True, text=True).stdout == ""
    )

    applied = run_release(scratch_repo, "prepare", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert "applied to the work tree (nothing committed)" in applied.stdout
    changelog = (scratch_repo / "packaging" / "vault-auth" / "CHANGELOG.md").read_text()
    assert f"## [{released.vault_major}] - " in changelog
    assert "`users.get_by_email` is now `users.find_by_email`. (#20)" in changelog
    assert changelog.index(f"## [{released.vault_major}]") < changelog.index(f"## [{released.vault}]")
    assert not (scratch_repo / "packaging" / "vault-auth" / "changes" / "20.changed.md").exists()
    assert f'"version": "{released.vault_major}"' in (scratch_repo / "api" / "vault-auth.json").read_text()
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=scratch_repo, capture_output=True, text=True).stdout == head
    # The new baseline is the tree: nothing left to release, and the gate passes.
    commit_all(scratch_repo, f"Release vault-auth {released.vault_major}")
    assert (
        f"vault-auth: released {released.vault_major}, declared {released.vault_major}: no change"
        in run_release(scratch_repo, "api_diff").stdout
    )
    assert gate(scratch_repo).returncode == 0


def test_the_gate_refuses_a_facade_whose_sdk_runtime_range_misses_the_runtime(
    scratch_repo: Path, released: Released
) -> None:
    set_version(scratch_repo, "sdk_runtime", f"{released.runtime.bumped(Level.BREAKING)}")
    refused = gate(scratch_repo)
    assert refused.returncode == 1
    assert f", which leaves out sdk-runtime {released.runtime.bumped(Level.BREAKING)}" in refused.stderr
    assert "vault-auth: requires sdk-runtime>=" in refused.stderr


def test_a_widened_request_type_is_additive_and_an_import_style_is_no_change(
    scratch_repo: Path, released: Released
) -> None:
    edit(
        scratch_repo / "openapi" / "vault.yaml",
        "          writeOnly: true\n        first_name:\n          type: string\n",
        "          writeOnly: true\n        first_name:\n          type: [string, 'null']\n",
    )
    # `dt.datetime` spelled `datetime.datetime`: the same type, however it is imported.
    edit(
        scratch_repo / "src" / "vault_auth" / "types.py",
        "    created_at: dt.datetime | None",
        "    created_at: datetime.datetime | None",
    )
    edit(
        scratch_repo / "src" / "vault_auth" / "types.py",
        "import datetime as dt\n",
        "import datetime\nimport datetime as dt\n",
    )
    refused = gate(scratch_repo)
    assert refused.returncode == 1
    assert (
        "vault-auth: openapi/vault.yaml: POST /api/v1/users request application/json.first_name "
        f"type widened string -> null|string (additive): needs {released.vault_minor}, version is {released.vault}"
    ) in refused.stderr
    assert "created_at" not in refused.stderr
    set_version(scratch_repo, "vault_auth", str(released.vault_minor))
    assert gate(scratch_repo).returncode == 0


def test_a_pending_fragment_counts_as_the_change_its_type_names(scratch_repo: Path, released: Released) -> None:
    # A behaviour removed behind an unchanged signature: no report sees it, the maintainer's fragment says it.
    add_fragment(scratch_repo, "vault-auth", "30.removed.md", "`users.list` no longer follows `next` links by itself.")
    refused = gate(scratch_repo)
    assert refused.returncode == 1
    assert (
        f"vault-auth: changelog fragment(s) 30.removed.md (breaking): needs {released.vault_major}, "
        f"version is {released.vault}"
    ) in refused.stderr
    (scratch_repo / "packaging" / "vault-auth" / "changes" / "30.removed.md").unlink()

    add_fragment(scratch_repo, "vault-auth", "30.added.md", "`users.list` takes `page_size`.")
    assert f"(additive): needs {released.vault_minor}, version is {released.vault}" in gate(scratch_repo).stderr
    set_version(scratch_repo, "vault_auth", str(released.vault_minor))
    assert gate(scratch_repo).returncode == 0

    add_fragment(scratch_repo, "sdk-sandbox", "30.fixed.md", "The clock no longer drifts.")
    assert gate(scratch_repo).returncode == 0  # a fix needs no bump before the release that carries it
