"""A spec's `deprecated: true`, end to end in a scratch clone: `make generate`, then the facade warns at the user's
line (once per call site), and `make api-diff` classifies the deprecation as additive.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Released

RunRelease = Callable[..., subprocess.CompletedProcess[str]]

USER_CODE = r"""
import asyncio, json, warnings
from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.vault import build_vault_app
from vault_auth import AsyncVaultAuth, VaultAuth

warnings.simplefilter("default")
app = build_vault_app()
sock = bind()
server = BackgroundServer([(app, sock)])
server.start()
caught = []
warnings.showwarning = lambda message, category, filename, lineno, *rest: caught.append(
    [str(message), category.__name__, filename.rsplit("/", 1)[-1], lineno])
try:
    vault = VaultAuth(api_key=next(iter(app.api_keys)), base_url=url_of(sock, app.api.spec.base_path))
    user = vault.users.create(email="user@example.com", password="secure_password")
    for _ in range(3):
        vault.users.get(user.id)  # LINE A: one warning for three calls
    vault.users.get(user.id)  # LINE B: a second call site, a second warning
    vault.users.list(status="active")  # LINE C: the deprecated parameter, used
    vault.users.list()  # not used: no warning

    async def handler():
        base_url = url_of(sock, app.api.spec.base_path)
        async with AsyncVaultAuth(api_key=next(iter(app.api_keys)), base_url=base_url) as client:
            await client.users.get(user.id)  # LINE D

    asyncio.run(handler())
finally:
    server.stop()
print(json.dumps(caught))
"""


def line_of(marker: str) -> int:
    return next(number for number, line in enumerate(USER_CODE.splitlines(), start=1) if marker in line)


@pytest.mark.slow
def test_a_deprecated_operation_and_parameter_warn_from_the_facade_at_the_users_line(
    scratch_repo: Path, run_release: RunRelease, released: Released
) -> None:
    spec = scratch_repo / "openapi" / "vault.yaml"
    text = spec.read_text()
    text = text.replace(
        "    get:\n      operationId: getUser\n", "    get:\n      operationId: getUser\n      deprecated: true\n", 1
    )
    text = text.replace(
        "        - name: status\n          in: query\n",
        "        - name: status\n          in: query\n          deprecated: true\n",
        1,
    )
    spec.write_text(text)
    subprocess.run(
        [sys.executable, "generator/generate.py", "vault"], cwd=scratch_repo, check=True, capture_output=True
    )
    script = scratch_repo / "user_code.py"
    script.write_text(USER_CODE)
    # The clone's packages come first on the path (the shared .venv holds an editable install of the working tree).
    path = f"{scratch_repo / 'src'}:{scratch_repo / 'generated'}"
    result = subprocess.run(
        [sys.executable, str(script)], cwd=scratch_repo, capture_output=True, text=True, env={"PYTHONPATH": path}
    )
    assert result.returncode == 0, result.stderr[-3000:]
    caught = json.loads(result.stdout.splitlines()[-1])
    operation = "GET /api/v1/users/{user_id} is deprecated by the API"
    parameter = "parameter `status` of GET /api/v1/users is deprecated by the API"
    assert caught == [
        [operation, "DeprecationWarning", "user_code.py", line_of("LINE A")],
        [operation, "DeprecationWarning", "user_code.py", line_of("LINE B")],
        [parameter, "DeprecationWarning", "user_code.py", line_of("LINE C")],
        [operation, "DeprecationWarning", "user_code.py", line_of("LINE D")],
    ]

    diff = run_release(scratch_repo, "api_diff").stdout
    assert "additive    openapi/vault.yaml: GET /api/v1/users/{user_id} deprecated" in diff.replace(
        "additive  ", "additive    "
    )
    assert f"vault-auth: released {released.vault}, declared {released.vault}: " in diff
    assert f"additive: needs {released.vault_minor}" in diff
