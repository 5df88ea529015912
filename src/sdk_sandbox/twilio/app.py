"""The Twilio sandbox: `build_twilio_app()` serves openapi/twilio.yaml (Messages and Lookups) plus its control
endpoints, over SQLite, and delivers signed status callbacks as messages move on the sandbox clock (both run by
the shared delivery worker, see `lifecycle`, which `app.close()` stops)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..control import COMMON_HANDLERS, control_index
from ..server import ApiDefinition, Handler, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from . import lifecycle
from . import messages as msgs
from .control import advance_message, configure_delivery, fail_message, list_callbacks
from .handlers import (
    create_message,
    fetch_message,
    fetch_phone_number,
    fetch_phone_number_v1,
    list_messages,
)
from .panel import twilio_panel
from .state import TwilioState, state_of

CONTROL_SPEC = Path(__file__).with_name("control.yaml")
# Twilio's codes for the sandbox's generic rejections, and for fields that fail validation.
GENERIC_CODES = {
    "UNAUTHORIZED": 20003, "NOT_FOUND": 20404, "METHOD_NOT_ALLOWED": 20004, "RATE_LIMITED": 20429,
    "SERVICE_UNAVAILABLE": 20503, "INTERNAL_ERROR": 20500, "BAD_GATEWAY": 20500, "GATEWAY_TIMEOUT": 20500,
}  # fmt: skip
FIELD_CODES = {"To": 21604, "From": 21212, "Body": 21617, "StatusCallback": 21609, "MediaUrl": 21620}
GENERIC_MESSAGES = {20003: "Authenticate", 20404: "The requested resource was not found"}


def error_body(status: int, code: str, message: str, fields: Mapping[str, list[str]]) -> dict[str, Any]:
    """Twilio's `{code, message, more_info, status}`; field problems are folded into the message."""
    if code.isdigit():
        number = int(code)
    elif fields:
        first = next(iter(fields))
        number = FIELD_CODES.get(first.split(".")[0], 20001)
        if first == "To" and "is required" not in fields[first]:
            number = 21211
    else:
        number = GENERIC_CODES.get(code, 20001 if status < 500 else 20500)
    if fields:
        message = f"{message}: " + "; ".join(f"{name} {', '.join(texts)}" for name, texts in fields.items())
    message = GENERIC_MESSAGES.get(number, message) if not fields and not code.isdigit() else message
    return {"code": number, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{number}",
            "status": status}  # fmt: skip


def check_credential(app: SandboxApp, credential: str) -> bool:
    """Accept `AccountSid:AuthToken`, or an API key `SK...:secret` of the account."""
    return credential in app.api_keys


HANDLERS: dict[str, Handler] = {
    "CreateMessage": create_message,
    "FetchMessage": fetch_message,
    "ListMessage": list_messages,
    "FetchPhoneNumber": fetch_phone_number,
    "FetchPhoneNumberV1": fetch_phone_number_v1,
    "advanceMessage": advance_message,
    "failMessage": fail_message,
    "listCallbacks": list_callbacks,
    "configureDelivery": configure_delivery,
    **COMMON_HANDLERS,
}


def _setup(store: Store) -> None:
    store.script(msgs.SCHEMA)


def _on_reset(app: SandboxApp) -> None:
    state_of(app).restore()


def build_twilio_app(
    *,
    db: str | None = None,
    account_sid: str | None = None,
    auth_token: str | None = None,
    api_keys: tuple[str, ...] = (),
) -> SandboxApp:
    """The Twilio sandbox app; with no credentials a test account is minted (`state_of(app).account_sid`,
    `.auth_token`, and `"AC...:token"` first in `app.api_keys`). `api_keys` adds API keys of the
    account as `"SK...:secret"`."""
    sid = account_sid or msgs.new_sid("AC")
    token = auth_token or os.urandom(16).hex()
    definition = ApiDefinition(
        name="twilio",
        spec=SpecIndex.load(spec_path("twilio")),
        control=control_index(CONTROL_SPEC),
        handlers=HANDLERS,
        check_credential=check_credential,
        error_body=error_body,
        setup=_setup,
        tables=msgs.TABLES,
        on_reset=_on_reset,
        on_close=lifecycle.stop,
        dashboard=twilio_panel,
    )
    app = SandboxApp(definition, db=db, api_keys=(f"{sid}:{token}", *api_keys))
    app.state = TwilioState(account_sid=sid, auth_token=token)
    return app
