"""Release artifacts and `make publish`, on real processes: hatchling builds, twine uploads, pypiserver serves, pip
installs into a fresh virtual env, and the installed sandbox answers the seeds' quick starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import venv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from release.distributions import DISTRIBUTIONS  # packaging/release: on the path by pytest's `pythonpath`

ROOT = Path(__file__).resolve().parents[2]
RunRelease = Callable[..., subprocess.CompletedProcess[str]]
OURS = ("sdk_runtime", "sdk_sandbox", "vault_auth", "vortex_python_sdk", "app_integrations")
SECRET = "s3cret-password-never-printed"
# The versions the tree declares, which the artifacts of a clone of HEAD carry.
VERSION = {distribution.name: distribution.declared_version() for distribution in DISTRIBUTIONS}
RUNTIME, VAULT = VERSION["sdk-runtime"], VERSION["vault-auth"]


def build_artifacts(repo: Path, out: Path, *only: str) -> subprocess.CompletedProcess[str]:
    """`make artifacts` in `repo` into `out`."""
    args = [arg for name in only for arg in ("--only", name)]
    environment = {**os.environ, "PYTHONPATH": str(repo / "packaging")}
    command = [sys.executable, "-m", "release.artifacts", "--out", str(out), *args]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=environment, check=True)


@pytest.fixture(scope="module")
def release_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clone of HEAD for this module's builds, so every build is of the same commit."""
    clone = tmp_path_factory.mktemp("release-clone") / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    (clone / ".venv").symlink_to(Path(sys.prefix))
    return clone


@pytest.fixture(scope="module")
def artifacts(release_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every distribution's sdist, wheel and SBOM, built once for this module."""
    out = tmp_path_factory.mktemp("release") / "dist"
    result = build_artifacts(release_clone, out)
    assert "twine check --strict: passed" in result.stdout
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def pypiserver(folder: Path, passwords: Path | None = None) -> Iterator[str]:
    """A real pypiserver on a free loopback port serving `folder` (no fallback to PyPI); yields its root URL."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    auth = ["-a", "update", "-P", str(passwords)] if passwords else ["-a", ".", "-P", "."]
    command = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port), "--disable-fallback"]
    process = subprocess.Popen([*command, *auth, str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}simple/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("pypiserver did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def publish(repo: Path, dist: Path, url: str, password: str = "any") -> subprocess.CompletedProcess[str]:  # noqa: S107
    """`make publish` (without the build) of `dist` to the index at `url`, run in the clean clone `repo`."""
    environment = {
        **os.environ, "PYTHONPATH": str(repo / "packaging"), "TWINE_REPOSITORY_URL": url,
        "TWINE_USERNAME": "maintainer", "TWINE_PASSWORD": password,
    }  # fmt: skip
    command = [sys.executable, "-m", "release.publish", "--dist", str(dist)]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=environment)


def sha256s(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


@pytest.mark.slow
def test_two_builds_of_one_commit_are_byte_identical_and_carry_an_sbom(
    artifacts: Path, release_clone: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    build_artifacts(release_clone, again, "sdk-runtime", "vault-auth")
    second = sha256s(again)
    assert sorted(second) == [
        f"sdk-runtime-{RUNTIME}.cdx.json", f"sdk_runtime-{RUNTIME}-py3-none-any.whl", f"sdk_runtime-{RUNTIME}.tar.gz",
        f"vault-auth-{VAULT}.cdx.json", f"vault_auth-{VAULT}-py3-none-any.whl", f"vault_auth-{VAULT}.tar.gz",
    ]  # fmt: skip
    first = sha256s(artifacts)
    assert {name: first[name] for name in second} == second
    sbom = json.loads((artifacts / f"vault-auth-{VAULT}.cdx.json").read_text())
    assert sbom["bomFormat"] == "CycloneDX"
    assert sbom["metadata"]["component"]["name"] == "vault-auth"
    assert sbom["metadata"]["component"]["version"] == VAULT
    assert {"sdk-runtime", "httpx", "pyjwt"} <= {component["name"] for component in sbom["components"]}


@pytest.fixture(scope="module")
def dependency_wheels(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our wheels' third-party dependencies and the upstream's vortex-python-sdk 0.19.0, fetched by pip."""
    cache = tmp_path_factory.mktemp("dependencies")
    download = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--dest", str(cache)]
    wanted = ["vault-auth[fastapi]", "vortex-python-sdk", "app-integrations[django,s3,redis]", "sdk-sandbox"]
    subprocess.run([*download, "--find-links", str(artifacts), *wanted], check=True)
    for path in cache.iterdir():
        if path.name.startswith(OURS):
            path.unlink()  # ours reach the index through `make publish` only
    subprocess.run([*download, "--no-deps", "--only-binary", ":all:", "vortex-python-sdk==0.19.0"], check=True)
    assert (cache / "vortex_python_sdk-0.19.0-py3-none-any.whl").is_file()
    return cache


QUICK_STARTS = r"""
import asyncio, httpx
from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.vault import build_vault_app
from sdk_sandbox.vortex import build_vortex_app

vault_app, vortex_app = build_vault_app(), build_vortex_app()
vault_sock, vortex_sock = bind(), bind()
server = BackgroundServer([(vault_app, vault_sock), (vortex_app, vortex_sock)])
server.start()
try:
    # Seed 001's Quick Start (the Vault Auth SDK)
    from vault_auth import VaultAuth
    vault = VaultAuth(api_key=next(iter(vault_app.api_keys)), base_url=url_of(vault_sock, vault_app.api.spec.base_path))
    new_user = vault.users.create(
        email="user@example.com", password="secure_password", first_name="John", last_name="Doe"
    )
    token = httpx.post(url_of(vault_sock) + "/sandbox/tokens", json={"user_id": new_user.id}).json()["token"]
    user = vault.verify_token(token)
    print(user.email)
    user = vault.users.get(new_user.id)
    print(user.first_name, user.last_name)

    # Seed 000's client, JWT generation, sync and async methods, context managers (the Vortex SDK)
    from vortex_sdk import Vortex, User
    vortex_url = url_of(vortex_sock, vortex_app.api.spec.base_path)
    vortex = Vortex(api_key=next(iter(vortex_app.api_keys)), base_url=vortex_url)
    jwt = vortex.generate_jwt(user=User(id="user-123", email="user@example.com", admin_scopes=["autojoin"]))
    checked = httpx.post(url_of(vortex_sock) + "/sandbox/jwt/verify", json={"token": jwt}).json()
    print(checked["payload"]["userId"])
    created = httpx.post(url_of(vortex_sock) + "/sandbox/invitations",
                         json={"target": {"type": "email", "value": "user@example.com"}}).json()
    invitations = vortex.get_invitations_by_target_sync("email", "user@example.com")
    invitation = vortex.get_invitation_sync(created["id"])
    print(len(invitations), invitation.id == created["id"])

    async def main():
        async with Vortex(api_key=next(iter(vortex_app.api_keys)), base_url=vortex_url) as client:
            found = await client.get_invitations_by_target("email", "user@example.com")
            await client.revoke_invitation(found[0].id)
    asyncio.run(main())
    with Vortex(api_key=next(iter(vortex_app.api_keys)), base_url=vortex_url) as client:
        print(len(client.get_invitations_by_target_sync("email", "user@example.com")))
finally:
    server.stop()
"""


@pytest.mark.slow
def test_published_wheels_install_from_the_index_over_the_upstream_release_and_run_the_quick_starts(
    artifacts: Path, dependency_wheels: Path, scratch_repo: Path, tmp_path: Path
) -> None:
    index_folder = tmp_path / "index"
    index_folder.mkdir()
    for wheel in dependency_wheels.iterdir():
        (index_folder / wheel.name).write_bytes(wheel.read_bytes())
    with pypiserver(index_folder) as url:
        published = publish(scratch_repo, artifacts, url)
        assert published.returncode == 0, published.stderr
        assert "published 10 files to http://127.0.0.1:" in published.stdout

        env_dir = tmp_path / "env"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        python = str(env_dir / "bin" / "python")
        hermetic = {**os.environ, "PIP_CONFIG_FILE": os.devnull}  # this index and nothing else
        install = [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--index-url",
            f"{url}simple/",
        ]
        wanted = ["vault-auth[fastapi]", "vortex-python-sdk", "app-integrations[django,s3,redis]", "sdk-sandbox"]
        subprocess.run([*install, *wanted], check=True, env=hermetic, cwd=tmp_path)

    names = ("vault-auth", "vortex-python-sdk", "app-integrations", "sdk-sandbox", "sdk-runtime", "fastapi", "django")
    report = f"import importlib.metadata as m, json; print(json.dumps({{d: m.version(d) for d in {names!r}}}))"
    versions = subprocess.run([python, "-c", report], capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    installed = json.loads(versions)
    assert installed["vortex-python-sdk"] == VERSION["vortex-python-sdk"]  # ours, not the upstream's 0.19.0 beside it
    assert installed["vault-auth"] == VAULT
    assert installed["app-integrations"] == VERSION["app-integrations"]
    assert installed["sdk-sandbox"] == VERSION["sdk-sandbox"]
    # The facades' sdk-runtime range is tested at its lower bound: the runtime installed is that bound.
    lower_bounds = {
        re.search(r'"sdk-runtime>=([0-9.]+),', (ROOT / "packaging" / name / "pyproject.toml").read_text())[1]  # type: ignore[index]
        for name in ("vault-auth", "vortex-python-sdk", "app-integrations", "sdk-sandbox")
    }
    assert lower_bounds == {installed["sdk-runtime"]}

    run = subprocess.run([python, "-c", QUICK_STARTS], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.splitlines() == ["user@example.com", "John Doe", "user-123", "1 True", "0"]


@pytest.mark.slow
def test_a_second_upload_of_the_same_version_is_refused_and_nothing_is_uploaded(
    artifacts: Path, scratch_repo: Path, tmp_path: Path
) -> None:
    only_runtime = tmp_path / "runtime"
    only_runtime.mkdir()
    for path in artifacts.glob("sdk_runtime-*"):
        (only_runtime / path.name).write_bytes(path.read_bytes())
    with pypiserver(tmp_path / "index") as url:
        assert publish(scratch_repo, only_runtime, url).returncode == 0
        # The second run carries one new file and the two the index already has: none of them may go up.
        (only_runtime / f"vault_auth-{VAULT}-py3-none-any.whl").write_bytes(
            (artifacts / f"vault_auth-{VAULT}-py3-none-any.whl").read_bytes()
        )
        again = publish(scratch_repo, only_runtime, url)
    assert again.returncode == 1
    assert "publish failed: the index at http://127.0.0.1:" in again.stderr
    assert (
        f"already holds sdk_runtime-{RUNTIME}-py3-none-any.whl, sdk_runtime-{RUNTIME}.tar.gz; nothing was uploaded"
        in again.stderr
    )
    assert sorted(path.name for path in (tmp_path / "index").iterdir()) == [
        f"sdk_runtime-{RUNTIME}-py3-none-any.whl", f"sdk_runtime-{RUNTIME}.tar.gz",
    ]  # fmt: skip


@pytest.mark.slow
def test_a_wrong_password_is_a_clear_error_without_the_secret(
    artifacts: Path, scratch_repo: Path, tmp_path: Path
) -> None:
    from passlib.apache import HtpasswdFile

    passwords = HtpasswdFile(str(tmp_path / "htpasswd"), new=True)
    passwords.set_password("maintainer", "the-right-password")
    passwords.save()
    only_runtime = tmp_path / "runtime"
    only_runtime.mkdir()
    for path in artifacts.glob("sdk_runtime-*"):
        (only_runtime / path.name).write_bytes(path.read_bytes())
    with pypiserver(tmp_path / "index", passwords=tmp_path / "htpasswd") as url:
        refused = publish(scratch_repo, only_runtime, url, password=SECRET)
        assert refused.returncode == 1
        assert "publish failed: the index at http://127.0.0.1:" in refused.stderr
        assert "did not accept the credentials (TWINE_USERNAME / TWINE_PASSWORD)" in refused.stderr
        assert SECRET not in refused.stdout + refused.stderr
        assert list((tmp_path / "index").iterdir()) == []
        accepted = publish(scratch_repo, only_runtime, url, password="the-right-password")
        assert accepted.returncode == 0, accepted.stderr


def test_an_unreachable_index_is_a_clear_error_without_the_secret(scratch_repo: Path, tmp_path: Path) -> None:
    (tmp_path / f"sdk_runtime-{RUNTIME}-py3-none-any.whl").write_bytes(b"not reached")
    refused = publish(scratch_repo, tmp_path, f"http://maintainer:{SECRET}@127.0.0.1:{free_port()}/", password=SECRET)
    assert refused.returncode == 1
    assert refused.stderr.startswith("publish failed: cannot reach the index at http://127.0.0.1:")
    assert SECRET not in refused.stdout + refused.stderr


@pytest.mark.slow
def test_without_an_index_named_make_publish_uploads_to_a_local_pypiserver_in_an_ignored_folder(
    artifacts: Path, scratch_repo: Path, run_release: RunRelease
) -> None:
    environment = {key: "" for key in ("TWINE_REPOSITORY_URL", "TWINE_USERNAME", "TWINE_PASSWORD")}
    result = run_release(scratch_repo, "publish", "--dist", str(artifacts), env=environment)
    assert result.returncode == 0, result.stderr
    assert "published 10 files to the local index in .index/packages" in result.stdout
    held = sorted(path.name for path in (scratch_repo / ".index" / "packages").iterdir())
    assert held == sorted(path.name for path in artifacts.iterdir() if not path.name.endswith(".cdx.json"))
    assert (scratch_repo / ".index" / "sbom" / f"vault-auth-{VAULT}.cdx.json").is_file()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=scratch_repo, capture_output=True, text=True)
    assert status.stdout == ""  # .index/ is ignored
    second = run_release(scratch_repo, "publish", "--dist", str(artifacts), env=environment)
    assert second.returncode == 1
    assert "nothing was uploaded" in second.stderr


def test_make_publish_refuses_a_dirty_tree(scratch_repo: Path, run_release: RunRelease, tmp_path: Path) -> None:
    (scratch_repo / "src" / "vault_auth" / "users.py").write_text("# an uncommitted edit\n", encoding="utf-8")
    result = run_release(scratch_repo, "publish", "--dist", str(tmp_path))
    assert result.returncode == 1
    assert "publish failed: make publish needs a clean work tree; commit or stash these first:" in result.stderr
    assert "src/vault_auth/users.py" in result.stderr
