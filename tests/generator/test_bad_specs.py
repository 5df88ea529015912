"""A broken spec stops `make check` with a message naming the place; a generator warning stops generation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import generate  # generator/generate.py: on the path by pytest's `pythonpath`
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def validate(spec: Path) -> subprocess.CompletedProcess[str]:
    validator = Path(sys.executable).parent / "openapi-spec-validator"
    return subprocess.run([str(validator), str(spec)], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("api", ["vault", "vortex"])
def test_committed_specs_are_valid(api: str) -> None:
    result = validate(ROOT / "openapi" / f"{api}.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_invalid_spec_fails_with_the_place_named(tmp_path: Path) -> None:
    broken = tmp_path / "vault.yaml"
    text = (ROOT / "openapi" / "vault.yaml").read_text(encoding="utf-8")
    # A path parameter that is not required is invalid OpenAPI.
    broken.write_text(
        text.replace(
            "      name: user_id\n      in: path\n      required: true",
            "      name: user_id\n      in: path\n      required: false",
            1,
        )
    )
    result = validate(broken)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "required" in output
    assert "UserId" in output or "user_id" in output


def test_a_generator_warning_fails_generation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit, match="failed"):
        generate.generate_spec(
            FIXTURES / "warns.yaml", FIXTURES / "overrides_api.yaml", tmp_path / "overrides_api", "# fixture\n"
        )
    assert "application/pdf" in capsys.readouterr().err


def test_check_mode_reports_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    committed = tmp_path / "committed"
    fresh = generate.generate(api="vortex", out_root=committed)
    (fresh / "client.py").write_text("# edited by hand\n", encoding="utf-8")
    (fresh / "stray.py").write_text("", encoding="utf-8")
    drift = generate.differences(fresh, generate.generate("vortex", tmp_path / "again"))
    assert drift == ["client.py", "stray.py"]
