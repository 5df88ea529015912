"""The sandbox dashboard over loopback: the panels of all five sandboxes (Vault, Vortex, Loops, Stripe, Twilio) in
`/api/state`, the Loops replay action, what the action endpoint refuses, the page's own hardening, and the panel data
types."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import httpx
import pytest

from sdk_sandbox.dashboard import Dashboard
from sdk_sandbox.panel import ActionError, Button, Panel, Section, compact, moment
from sdk_sandbox.pytest_plugin import SandboxHandle
from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.server import SandboxApp

from ..webhook_receiver import Receiver


def serve(dashboard: Dashboard) -> tuple[BackgroundServer, str]:
    sock = bind()
    server = BackgroundServer([(dashboard, sock)])
    server.start()
    return server, url_of(sock)


@pytest.fixture(scope="module")
def dashboard_url(
    vault_sandbox_server: SandboxHandle,
    vortex_sandbox_server: SandboxHandle,
    loops_sandbox_server: SandboxHandle,
    stripe_sandbox_server: SandboxHandle,
    twilio_sandbox_server: SandboxHandle,
) -> Iterator[str]:
    handles = {
        "vault": vault_sandbox_server, "vortex": vortex_sandbox_server, "loops": loops_sandbox_server,
        "stripe": stripe_sandbox_server, "twilio": twilio_sandbox_server,
    }  # fmt: skip
    server, url = serve(Dashboard({name: (h.app, h.url) for name, h in handles.items()}, refresh_seconds=0.25))
    yield url
    server.stop()


@pytest.fixture
def dashboard(dashboard_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=dashboard_url, timeout=10) as client:
        yield client


def sections(client: httpx.Client, sandbox: str) -> dict[str, dict[str, Any]]:
    """`{title: {"columns", "rows", ...}}` of one sandbox's panel, rows as dicts by column."""
    panel = next(p for p in client.get("/api/state").json()["panels"] if p["sandbox"] == sandbox)
    assert panel["error"] is None
    found = {}
    for section in panel["sections"]:
        rows = [dict(zip(section["columns"], row, strict=True)) for row in section["rows"]]
        found[section["title"]] = {**section, "rows": rows}
    return found


def test_state_lists_one_panel_per_sandbox_in_order(dashboard: httpx.Client, vault_sandbox: SandboxHandle) -> None:
    state = dashboard.get("/api/state").json()
    assert state["refreshSeconds"] == 0.25
    assert [(p["sandbox"], p["title"]) for p in state["panels"]] == [
        ("vault", "Vault"), ("vortex", "Vortex"), ("loops", "Loops"), ("stripe", "Stripe"), ("twilio", "Twilio")
    ]  # fmt: skip
    assert [p["error"] for p in state["panels"]] == [None] * 5
    assert state["panels"][0]["baseUrl"] == vault_sandbox.url


def test_vault_panel_shows_users_organizations_memberships_sessions(
    dashboard: httpx.Client, vault_sandbox: SandboxHandle, vault_client: Any
) -> None:
    user = vault_client.users.create(email="ada@example.com", password="correct horse", first_name="Ada")
    org = vault_client.organizations.create(name="Analytical Engines", slug="engines")
    vault_client.organizations.add_member(org.id, user.id, role="admin")
    vault_sandbox.mint_token(user.id)
    found = sections(dashboard, "vault")
    assert found["Users"]["rows"] == [
        {"E-mail": "ada@example.com", "Name": "Ada", "Status": "active", "Verified": False,
         "Created": found["Users"]["rows"][0]["Created"], "Last login": None, "Id": user.id}
    ]  # fmt: skip
    assert [(o["Name"], o["Slug"], o["Members"]) for o in found["Organizations"]["rows"]] == [
        ("Analytical Engines", "engines", 1)
    ]
    assert [(m["Organization"], m["User"], m["Role"]) for m in found["Memberships"]["rows"]] == [
        ("Analytical Engines", "ada@example.com", "admin")
    ]
    assert [(s["User"], s["State"]) for s in found["Sessions"]["rows"]] == [("ada@example.com", "active")]
    assert "correct horse" not in dashboard.get("/api/state").text


def test_vortex_panel_shows_invitations_with_status_targets_and_groups(
    dashboard: httpx.Client, vortex_sandbox: SandboxHandle
) -> None:
    first = vortex_sandbox.create_invitation("email", "ada@example.com", groups=[{"type": "team", "groupId": "red"}])
    second = vortex_sandbox.create_invitation("phone", "+15550100", expired=True)
    rows = sections(dashboard, "vortex")["Invitations"]["rows"]
    assert [(r["Id"], r["Status"], r["Targets"], r["Groups"]) for r in rows] == [
        (second["id"], "delivered (expired)", "phone:+15550100", None),
        (first["id"], "delivered", "email:ada@example.com", "team:red"),
    ]


def send_welcome(loops_sandbox: SandboxHandle, email: str) -> None:
    loops_sandbox.create_template("Welcome", ["name"], template_id="tpl_welcome", subject="Welcome {{name}}")
    body = {"transactionalId": "tpl_welcome", "email": email, "dataVariables": {"name": "Ada"}}
    headers = {"Authorization": f"Bearer {loops_sandbox.api_key}"}
    assert httpx.post(f"{loops_sandbox.url}/transactional", json=body, headers=headers).status_code == 200


def test_loops_panel_shows_the_outbox_templates_and_deliveries(
    dashboard: httpx.Client, loops_sandbox: SandboxHandle, receiver: Receiver
) -> None:
    loops_sandbox.set_webhook(receiver.url)
    send_welcome(loops_sandbox, "ada@example.com")
    loops_sandbox.webhook_deliveries(wait_for=2)
    found = sections(dashboard, "loops")
    [email] = found["Outbox"]["rows"]
    assert (email["Template"], email["To"], email["Subject"], email["Variables"]) == (
        "tpl_welcome", "ada@example.com", "Welcome Ada", '{"name": "Ada"}'
    )  # fmt: skip
    assert [(t["Id"], t["Variables"]) for t in found["Transactional templates"]["rows"]] == [("tpl_welcome", "name")]
    deliveries = found["Webhook deliveries"]
    assert deliveries["note"] == f"Delivered to {receiver.url}"
    assert [(d["Event"], d["Attempt"], d["Status"]) for d in deliveries["rows"]] == [
        ("email.delivered", 1, 204), ("transactional.email.sent", 1, 204)
    ]  # fmt: skip
    button = deliveries["rows"][0][""]
    assert button == {"button": {"label": "Replay", "action": "replay_delivery",
                                 "args": {"eventId": deliveries["rows"][0]["Webhook id"]}}}  # fmt: skip


def test_replay_resends_the_same_event_signed_anew_as_the_next_attempt(
    dashboard: httpx.Client, loops_sandbox: SandboxHandle, receiver: Receiver
) -> None:
    secret = loops_sandbox.set_webhook(receiver.url)["secret"]
    send_welcome(loops_sandbox, "ada@example.com")
    first = loops_sandbox.webhook_deliveries(wait_for=2)[0]
    answer = dashboard.post("/api/actions/loops/replay_delivery", json={"eventId": first["eventId"]})
    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "result": {"eventId": first["eventId"], "queued": True}}
    deliveries = loops_sandbox.webhook_deliveries(wait_for=3)
    assert [(d["eventId"], d["attempt"], d["status"]) for d in deliveries if d["eventId"] == first["eventId"]] == [
        (first["eventId"], 1, 204), (first["eventId"], 2, 204)
    ]  # fmt: skip
    received = receiver.verified(secret)
    assert received[-1] == received[0]  # the same webhook-id and payload, verified with the endpoint's secret


def test_replay_refuses_without_an_endpoint_or_for_an_unknown_event(
    dashboard: httpx.Client, loops_sandbox: SandboxHandle, receiver: Receiver
) -> None:
    refused = dashboard.post("/api/actions/loops/replay_delivery", json={"eventId": "msg_nothing"})
    assert (refused.status_code, refused.json()) == (400, {"ok": False, "error": "No webhook endpoint is registered."})
    loops_sandbox.set_webhook(receiver.url)
    unknown = dashboard.post("/api/actions/loops/replay_delivery", json={"eventId": "msg_nothing"})
    assert (unknown.status_code, unknown.json()["error"]) == (400, "No webhook event msg_nothing.")
    missing = dashboard.post("/api/actions/loops/replay_delivery", json={})
    assert (missing.status_code, missing.json()["error"]) == (400, "eventId is required")


@pytest.mark.parametrize(
    ("path", "options", "status"),
    [
        ("/api/actions/loops/nothing", {"json": {}}, 404),
        ("/api/actions/stripe/replay_delivery", {"json": {}}, 404),
        ("/api/actions/loops/replay_delivery", {"content": b"eventId=x",
                                                "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415),
        ("/api/actions/loops/replay_delivery", {"json": ["not", "an", "object"]}, 400),
        ("/api/actions/loops/replay_delivery", {"content": b"{", "headers": {"Content-Type": "application/json"}}, 400),
        ("/api/actions/loops/replay_delivery", {"json": {}, "headers": {"Origin": "https://evil.example"}}, 403),
        ("/api/actions/loops/replay_delivery", {"content": b"x" * (65 * 1024),
                                                "headers": {"Content-Type": "application/json"}}, 400),
    ],
)  # fmt: skip
def test_the_action_endpoint_refuses_what_a_button_never_sends(
    dashboard: httpx.Client, loops_sandbox: SandboxHandle, path: str, options: dict[str, Any], status: int
) -> None:
    answer = dashboard.post(path, **options)
    assert answer.status_code == status
    assert answer.json()["ok"] is False


def test_only_a_loopback_host_is_answered(dashboard: httpx.Client) -> None:
    # A page on another site that rebinds its own name to 127.0.0.1 sends its own name as Host.
    for path in ("/", "/api/state"):
        assert dashboard.get(path, headers={"Host": "rebind.example:80"}).status_code == 403
    assert dashboard.get("/api/state", headers={"Host": "localhost"}).status_code == 200
    assert dashboard.get("/nothing").status_code == 404
    assert dashboard.get("/api/actions/loops/replay_delivery").status_code == 405


def test_the_page_is_self_contained_and_allows_only_its_own_script(dashboard: httpx.Client) -> None:
    page = dashboard.get("/")
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    policy = page.headers["content-security-policy"]
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<script nonce="{nonce}">' in page.text and f'<style nonce="{nonce}">' in page.text
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert " src=" not in page.text and "<link" not in page.text and "http" not in page.text.split("<script", 1)[1]
    assert "innerHTML" not in page.text and "insertAdjacentHTML" not in page.text
    assert '"refreshSeconds": 0.25' in page.text
    assert dashboard.get("/").headers["content-security-policy"] != policy  # a fresh nonce per page


def test_a_failing_panel_shows_its_error_and_the_others_still_render(vault_sandbox: SandboxHandle) -> None:
    def broken(app: SandboxApp) -> Panel:
        raise RuntimeError("secret detail")

    app = vault_sandbox.app
    apps = {
        "broken": SandboxApp(attrs.evolve(app.api, dashboard=broken)),
        "plain": SandboxApp(attrs.evolve(app.api, dashboard=None)),
        "vault": app,
    }
    state = Dashboard({name: (a, "http://127.0.0.1:1") for name, a in apps.items()}).state()
    by_name = {p["sandbox"]: p for p in state["panels"]}
    assert by_name["broken"]["error"] == "This panel failed: RuntimeError"
    assert by_name["plain"] == {"sandbox": "plain", "title": "plain", "baseUrl": "http://127.0.0.1:1",
                                "sections": [], "error": None}  # fmt: skip
    assert by_name["vault"]["title"] == "Vault" and by_name["vault"]["error"] is None


def test_an_action_that_fails_unexpectedly_answers_500_without_details(vault_sandbox: SandboxHandle) -> None:
    def explode(app: SandboxApp, args: Mapping[str, Any]) -> Any:
        raise KeyError("secret detail")

    def refuse(app: SandboxApp, args: Mapping[str, Any]) -> Any:
        raise ActionError(f"cannot {args['what']}")

    app = vault_sandbox.app
    custom = SandboxApp(attrs.evolve(app.api, actions={"explode": explode, "refuse": refuse}))
    server, url = serve(Dashboard({"vault": (custom, vault_sandbox.url)}))
    try:
        failed = httpx.post(f"{url}/api/actions/vault/explode", json={})
        assert (failed.status_code, failed.json()) == (
            500,
            {"ok": False, "error": "The action failed; see the server log."},
        )
        refused = httpx.post(f"{url}/api/actions/vault/refuse", json={"what": "fly"})
        assert (refused.status_code, refused.json()) == (400, {"ok": False, "error": "cannot fly"})
    finally:
        server.stop()


def test_panel_data_serialises_cells_and_buttons() -> None:
    section = Section("Things", ("Name", "Count", ""), [("<b>", 2, Button("Go", "go", {"id": "t1"}))], note="n")
    assert Panel("T", [section]).to_json() == {
        "title": "T",
        "sections": [{"title": "Things", "columns": ["Name", "Count", ""], "empty": "Nothing yet.", "note": "n",
                      "rows": [["<b>", 2, {"button": {"label": "Go", "action": "go", "args": {"id": "t1"}}}]]}],
    }  # fmt: skip
    assert compact({"b": [1], "a": None}) == '{"a": null, "b": [1]}'
    assert (compact(None), compact("text")) == (None, "text")
    assert moment(0) == "1970-01-01 00:00:00" and moment(None) is None
    assert moment(time.time()) is not None
