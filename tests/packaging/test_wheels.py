"""Every distribution builds as its own wheel, passes `twine check`, and installs alone into a fresh virtual env."""

from __future__ import annotations

import subprocess
import venv
import zipfile
from pathlib import Path

import pytest
from release import artifacts  # packaging/release: on the path by pytest's `pythonpath`
from release.distributions import by_name

ROOT = Path(__file__).resolve().parents[2]

# distribution -> (import names it must provide, import names it must not ship)
EXPECTED = {
    "sdk_runtime": ({"sdk_runtime"}, {"vault_api", "vortex_api", "vault_auth", "vortex_sdk", "sdk_sandbox"}),
    "sdk_sandbox": (
        {"sdk_sandbox", "sdk_sandbox.vault", "sdk_sandbox.loops", "sdk_sandbox.twilio", "sdk_sandbox.dashboard"},
        {"vault_api", "vortex_api", "loops_api", "twilio_api", "vault_auth", "sdk_runtime"},
    ),
    "vault_auth": ({"vault_auth", "vault_api"}, {"sdk_runtime", "vortex_api", "vortex_sdk", "sdk_sandbox"}),
    "vortex_python_sdk": ({"vortex_sdk", "vortex_api"}, {"sdk_runtime", "vault_api", "vault_auth", "sdk_sandbox"}),
    "app_integrations": (
        {
            "app_integrations",
            "app_integrations.loops",
            "loops_api",
            "app_integrations.twilio",
            "twilio_api",
            "app_integrations.stripe",
            "stripe_api",
        },
        {"sdk_runtime", "vault_api", "vortex_api", "vault_auth", "vortex_sdk", "sdk_sandbox"},
    ),
}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    built = artifacts.build_wheels(out)  # also runs `twine check --strict`, raising if it fails
    return {path.name.split("-")[0]: path for path in built}


def top_level_packages(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name.split("/")[0] for name in archive.namelist() if not name.split("/")[0].endswith(".dist-info")}


@pytest.mark.slow
def test_each_wheel_holds_its_own_packages_only(wheels: dict[str, Path]) -> None:
    assert set(wheels) == set(EXPECTED)
    for dist, (must, must_not) in EXPECTED.items():
        packages = top_level_packages(wheels[dist])
        assert {name.split(".")[0] for name in must} <= packages, dist
        assert not packages & must_not, dist
        with zipfile.ZipFile(wheels[dist]) as archive:
            assert not [n for n in archive.namelist() if "__pycache__" in n or n.endswith(".pyc")]
            assert any(n.endswith("/py.typed") for n in archive.namelist())


@pytest.mark.slow
@pytest.mark.parametrize("dist", sorted(EXPECTED))
def test_wheel_installs_into_a_fresh_env_with_only_its_dependencies(
    wheels: dict[str, Path], dist: str, tmp_path: Path
) -> None:
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # --find-links lets an SDK wheel find the sdk-runtime wheel built beside it; the rest comes from the registry.
    subprocess.run([*install, "--find-links", str(wheels[dist].parent), str(wheels[dist])], check=True)
    must, must_not = EXPECTED[dist]
    code = (
        "import importlib, importlib.util, sys\n"
        f"for name in {sorted(must)!r}: importlib.import_module(name)\n"
        f"print(sorted(n for n in {sorted(must_not)!r} if importlib.util.find_spec(n)))\n"
        "import sdk_runtime; print(sdk_runtime.__version__)\n"
        "if importlib.util.find_spec('sdk_sandbox'):\n"
        "    from sdk_sandbox.vault import build_vault_app; build_vault_app()\n"
        "    from sdk_sandbox.vortex import build_vortex_app; build_vortex_app()\n"
        "    from sdk_sandbox.loops import build_loops_app; build_loops_app()\n"
        "    from sdk_sandbox.twilio import build_twilio_app; build_twilio_app()\n"
        "    from sdk_sandbox.stripe import build_stripe_app; build_stripe_app()\n"
        "    from sdk_sandbox.dashboard import Dashboard; assert 'Sandbox dashboard' in Dashboard({}).page('n')\n"
    )
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    shipped_elsewhere, runtime_version = result.stdout.split("\n")[:2]
    expected_present = sorted({"sdk_runtime"} & must_not) if dist != "sdk_runtime" else []
    assert shipped_elsewhere == repr(expected_present)
    assert runtime_version == by_name("sdk-runtime").declared_version()
