"""Every sandbox has the same shape: the same modules, typed state read through `state_of`, and a handle of its own
that carries only its API's control calls."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

import pytest

import sdk_sandbox
from sdk_sandbox.handle import SandboxHandle
from sdk_sandbox.loops.handle import LoopsHandle
from sdk_sandbox.stripe.handle import StripeHandle
from sdk_sandbox.twilio.handle import TwilioHandle
from sdk_sandbox.vault.handle import VaultHandle
from sdk_sandbox.vortex.handle import VortexHandle

APIS = ("vault", "vortex", "loops", "twilio", "stripe")
PACKAGE = Path(sdk_sandbox.__file__).parent


@pytest.mark.parametrize("api", APIS)
def test_every_sandbox_folder_has_the_same_modules(api: str) -> None:
    present = {path.name for path in (PACKAGE / api).iterdir()}
    assert {
        "__init__.py",
        "app.py",
        "handlers.py",
        "control.py",
        "control.yaml",
        "state.py",
        "handle.py",
        "panel.py",
    } <= present


def test_each_fixture_hands_out_its_apis_handle(
    vault_sandbox: Any, vortex_sandbox: Any, loops_sandbox: Any, twilio_sandbox: Any, stripe_sandbox: Any
) -> None:
    kinds = [type(h) for h in (vault_sandbox, vortex_sandbox, loops_sandbox, twilio_sandbox, stripe_sandbox)]
    assert kinds == [VaultHandle, VortexHandle, LoopsHandle, TwilioHandle, StripeHandle]
    assert all(isinstance(h, SandboxHandle) for h in (vault_sandbox, stripe_sandbox))
    # One API's calls are not on another's handle.
    assert not hasattr(stripe_sandbox, "advance_message") and not hasattr(stripe_sandbox, "outbox")
    assert not hasattr(twilio_sandbox, "trigger") and not hasattr(loops_sandbox, "mint_token")
    assert twilio_sandbox.account_sid.startswith("AC") and twilio_sandbox.runtime_api_key.endswith(
        ":" + twilio_sandbox.auth_token
    )
    assert stripe_sandbox.app.root_url == stripe_sandbox.root_url


@pytest.mark.parametrize("api", APIS)
def test_state_is_typed_and_refuses_another_apis_app(api: str, stripe_sandbox: Any, vault_sandbox: Any) -> None:
    state_of = import_module(f"sdk_sandbox.{api}.state").state_of
    own = stripe_sandbox if api == "stripe" else vault_sandbox
    other = vault_sandbox if api == "stripe" else stripe_sandbox
    if api in ("stripe", "vault"):
        assert type(state_of(own.app)).__name__ == f"{api.capitalize()}State"
    with pytest.raises(TypeError, match=f"{other.app.api.name} is not the"):
        state_of(other.app)


def test_reset_restores_the_typed_state(stripe_sandbox: Any, twilio_sandbox: Any) -> None:
    from sdk_sandbox.stripe.state import state_of as stripe_state
    from sdk_sandbox.twilio.state import state_of as twilio_state

    stripe_sandbox.fail_next_payment(2)
    stripe_sandbox.delivery_settings(shuffle=True)
    twilio_sandbox.control("PUT", "/sandbox/delivery", {"step_seconds": 7})
    assert len(stripe_state(stripe_sandbox.app).fail_next) == 2 and twilio_state(twilio_sandbox.app).step_seconds == 7
    stripe_sandbox.reset()
    twilio_sandbox.reset()
    assert (
        stripe_state(stripe_sandbox.app).fail_next == []
        and stripe_state(stripe_sandbox.app).delivery["shuffle"] is False
    )
    assert twilio_state(twilio_sandbox.app).step_seconds == 1.0
