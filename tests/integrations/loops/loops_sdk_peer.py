"""Run inside .venv-peers (loops-sdk installed, not our packages): the Python `loops-sdk` making a real app's calls.

Reads `{url, api_key, template, list}` as JSON on stdin, prints what the SDK saw as JSON. loops-sdk sends `null`
for every option not given (`mailingLists`, `eventProperties`), as Loops' own SDKs do.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from loops_sdk import APIError, LoopsClient, LoopsEmail


def attempt(call: Callable[[], Any]) -> dict[str, Any]:
    """The answer, or the API error's status and body."""
    try:
        return {"ok": call()}
    except APIError as exc:
        return {"status": exc.status_code, "json": exc.json}


def main() -> None:
    """Do the job on stdin; print the answers."""
    job = json.load(sys.stdin)
    loops = LoopsClient(job["api_key"], api_root=job["url"].removesuffix("v1").removesuffix("v1/"))
    out: dict[str, Any] = {"api_key": loops.test_api_key()}
    out["created"] = attempt(lambda: loops.create_contact("grace@example.com", {"firstName": "Grace", "team": "navy"}))
    out["reset"] = attempt(lambda: loops.update_contact("grace@example.com", {"firstName": None, "team": None}))
    out["subscribed"] = attempt(
        lambda: loops.update_contact("grace@example.com", {"userGroup": "admirals"}, {job["list"]: True})
    )
    out["event"] = attempt(lambda: loops.send_event(event_name="login", email="grace@example.com"))
    out["found"] = loops.find_contact(email="grace@example.com")
    out["templates"] = loops.get_transactional_emails(per_page=10)
    out["sent"] = attempt(
        lambda: loops.send_transactional_email(
            LoopsEmail(email="grace@example.com", transactional_id=job["template"], data_variables={"name": "Grace"})
        )
    )
    out["bad_null"] = attempt(lambda: loops.update_contact("grace@example.com", {"subscribed": None}))
    out["deleted"] = loops.delete_contact(email="grace@example.com")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
