"""Importing an SDK and constructing its client loads neither httpx nor the generated endpoints; a request does.

Nor do the clients whose construction is kept lean load attrs (nor the `inspect` it brings), the runtime's request
loop or their generated package: those come with the first request.

Each check runs in a fresh interpreter (what a serverless function or a CLI pays on every start) and reads
`sys.modules`: no timing, only what was imported. The figures themselves are `make bench` (`bench_cold_start`).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

CONSTRUCT = {
    "VaultAuth": "from vault_auth import VaultAuth; c = VaultAuth(api_key={key!r}, base_url={url!r})",
    "AsyncVaultAuth": "from vault_auth import AsyncVaultAuth; c = AsyncVaultAuth(api_key={key!r}, base_url={url!r})",
    "Vortex": "from vortex_sdk import Vortex; c = Vortex(api_key={key!r}, base_url={url!r})",
    "LoopsClient": "from app_integrations.loops import LoopsClient; c = LoopsClient(api_key={key!r}, base_url={url!r})",
    "StripeClient": (
        "from app_integrations.stripe import StripeClient; c = StripeClient(api_key={key!r}, base_url={url!r})"
    ),
    "TwilioClient": (
        "from app_integrations.twilio import TwilioClient; c = TwilioClient({sid!r}, {token!r}, '+15005550006', "
        "base_url={url!r})"
    ),
}
SANDBOX = {"VaultAuth": "vault", "AsyncVaultAuth": "vault", "Vortex": "vortex", "LoopsClient": "loops",
           "StripeClient": "stripe", "TwilioClient": "twilio"}  # fmt: skip
FIRST_REQUEST = {
    "VaultAuth": "c.users.list()",
    "AsyncVaultAuth": "import asyncio\nasync def main():\n    await c.users.list()\nasyncio.run(main())",
    "Vortex": "c.get_invitations_by_target_sync('email', 'nobody@example.com')",
    "LoopsClient": "assert c.test_api_key()['success']",
    "StripeClient": "assert c.list('customers')['success']",
    "TwilioClient": "assert c.list_messages()['success']",
}
HEAVY = ("httpx", "vault_api.api", "vortex_api.api", "loops_api.api", "stripe_api.api", "twilio_api.api")
# What the lean clients leave for the first request: the class builder, the request loop, the generated package.
LEAN = ("attrs", "inspect", "sdk_runtime.engine", "sdk_runtime.call", "sdk_runtime.request_options")
GENERATED = {"VaultAuth": "vault_api", "AsyncVaultAuth": "vault_api", "LoopsClient": "loops_api",
             "StripeClient": "stripe_api", "TwilioClient": "twilio_api"}  # fmt: skip


def loaded_after(code: str, modules: tuple[str, ...] = HEAVY) -> list[str]:
    """Which of `modules` a fresh interpreter has loaded after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {modules!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    loaded: list[str] = json.loads(out.strip().splitlines()[-1])
    return loaded


def construct_code(name: str, request: pytest.FixtureRequest) -> str:
    """The code that imports the client `name` and constructs it against its sandbox."""
    box: SandboxHandle = request.getfixturevalue(f"{SANDBOX[name]}_sandbox")
    fields = {"key": box.api_key, "url": box.url, "sid": "", "token": ""}
    if name == "TwilioClient":
        fields.update(sid=box.account_sid, token=box.auth_token)
    return CONSTRUCT[name].format(**fields)


@pytest.mark.parametrize("name", sorted(CONSTRUCT))
def test_import_and_construct_load_no_http_stack_and_the_first_request_does(
    name: str, request: pytest.FixtureRequest
) -> None:
    construct = construct_code(name, request)
    assert loaded_after(construct) == []
    assert "httpx" in loaded_after(f"{construct}\n{FIRST_REQUEST[name]}")


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_lean_clients_leave_attrs_the_request_loop_and_generated_code_to_the_first_request(
    name: str, request: pytest.FixtureRequest
) -> None:
    construct = construct_code(name, request)
    watched = (*LEAN, GENERATED[name])
    assert loaded_after(construct, watched) == []
    after_request = loaded_after(f"{construct}\n{FIRST_REQUEST[name]}", watched)
    assert "sdk_runtime.engine" in after_request
    assert GENERATED[name] in after_request


def test_the_runtime_names_resolve_on_first_read() -> None:
    code = (
        "import sdk_runtime, sys\n"
        "before = 'sdk_runtime.engine' in sys.modules\n"
        "names = [getattr(sdk_runtime, n) for n in sdk_runtime.__all__]\n"
        "print(before, 'sdk_runtime.engine' in sys.modules, sorted(dir(sdk_runtime)) == sorted(sdk_runtime.__all__))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "True"]


def test_an_unknown_runtime_name_is_an_attribute_error() -> None:
    import sdk_runtime

    with pytest.raises(AttributeError, match="no_such_name"):
        sdk_runtime.no_such_name  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize(
    "url", ["http://api .example.com", "https://api.example.com:99999", "https://", "http://exa\nmple.com", "//x.com"]
)
def test_base_urls_are_still_checked_without_the_http_stack(url: str) -> None:
    from sdk_runtime import ConfigurationError
    from sdk_runtime.config import validate_base_url

    with pytest.raises(ConfigurationError, match="base_url"):
        validate_base_url(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "https://[::1]:8443/api/v1", "https://api.example.com"])
def test_good_base_urls_pass_without_their_trailing_slash(url: str) -> None:
    from sdk_runtime.config import validate_base_url

    assert validate_base_url(url) == url.rstrip("/")


def test_a_timeout_object_is_taken_phase_by_phase() -> None:
    import httpx

    from sdk_runtime.config import Timeout, build_timeout

    assert build_timeout(httpx.Timeout(3.0, connect=1.0)) == Timeout(connect=1.0, read=3.0, write=3.0, pool=3.0)
    assert build_timeout(7) == Timeout(connect=5.0, read=7.0, write=7.0, pool=7.0)
