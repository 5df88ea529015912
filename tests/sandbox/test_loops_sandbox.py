"""The Loops sandbox over a real loopback socket: auth, transactional sends and the outbox, idempotency, contacts,
events, properties, lists, the rate limit and the control endpoints."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from loops_api.api.api_key import test_api_key as check_api_key
from loops_api.api.contacts import create_contact, delete_contact, find_contact, update_contact
from loops_api.api.events import send_event
from loops_api.api.transactional_emails import list_transactional_emails, send_transactional_email
from loops_api.models import ContactDeleteRequest, ContactRequest, EventRequest, TransactionalRequest

from sdk_runtime import APIStatusError, AsyncAPIClient, Call, SyncAPIClient
from sdk_sandbox.pytest_plugin import SandboxHandle


def send(client: SyncAPIClient, kwargs: dict[str, Any]) -> Any:
    return client.request(Call.from_kwargs(kwargs)).data


@pytest.fixture
def raw(loops_sandbox: SandboxHandle) -> Iterator[httpx.Client]:
    """Plain httpx against the emptied sandbox, with its key, for checking exact statuses, bodies and headers."""
    headers = {"Authorization": f"Bearer {loops_sandbox.api_key}"}
    with httpx.Client(base_url=loops_sandbox.url, headers=headers, timeout=10) as client:
        yield client


def transactional(template_id: str, email: str = "ada@example.com", **fields: Any) -> dict[str, Any]:
    return {"transactionalId": template_id, "email": email, **fields}


# API key and error shapes ----------------------------------------------------------------------------------------


def test_api_key_names_the_team_and_a_bad_key_is_refused(loops_http: SyncAPIClient, raw: httpx.Client) -> None:
    assert send(loops_http, check_api_key._get_kwargs()) == {"success": True, "teamName": "Sandbox Team"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}):
        response = httpx.get(f"{raw.base_url}api-key", headers=headers)
        assert (response.status_code, response.json()) == (401, {"success": False, "error": "Invalid API key"})
        assert response.headers["x-ratelimit-limit"] == "10"


def test_every_response_carries_the_rate_limit_headers(raw: httpx.Client) -> None:
    first, second = raw.get("/lists"), raw.get("/lists")
    assert first.headers["x-ratelimit-limit"] == "10"
    assert int(second.headers["x-ratelimit-remaining"]) < int(first.headers["x-ratelimit-remaining"])


def test_wrong_method_is_405_without_a_body_and_bad_input_is_loops_shaped(raw: httpx.Client) -> None:
    wrong = raw.delete("/api-key")
    assert (wrong.status_code, wrong.content, wrong.headers["allow"]) == (405, b"", "GET")
    invalid = raw.post("/transactional", json={"email": "ada@example.com"})
    assert invalid.status_code == 400
    assert invalid.json() == {"success": False, "message": "Validation failed: transactionalId is required"}


def test_injected_faults_answer_in_the_loops_shape(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    loops_sandbox.inject_fault("status", status=503)
    failed = raw.get("/lists")
    assert (failed.status_code, failed.json()) == (503, {"success": False, "message": "Injected fault"})
    assert "x-ratelimit-remaining" in failed.headers
    assert raw.get("/lists").status_code == 200


# Transactional e-mail --------------------------------------------------------------------------------------------


def test_a_send_lands_in_the_outbox_rendered(loops_sandbox: SandboxHandle, loops_http: SyncAPIClient) -> None:
    template = loops_sandbox.create_template(
        "Reset", ["name", "link"], template_id="tpl_reset", subject="Hi {{name}}", body="Go to {{ link }} ({{n}})"
    )
    body = TransactionalRequest.from_dict(
        transactional(template["id"], dataVariables={"name": "Ada", "link": "https://x.test/r", "n": 3})
    )
    result = send(loops_http, send_transactional_email._get_kwargs(body=body, idempotency_key="reset-1"))
    assert result == {"success": True}
    [email] = loops_sandbox.outbox()
    assert email["transactionalId"] == "tpl_reset" and email["email"] == "ada@example.com"
    assert (email["subject"], email["body"]) == ("Hi Ada", "Go to https://x.test/r (3)")
    assert email["dataVariables"] == {"name": "Ada", "link": "https://x.test/r", "n": 3}
    assert (email["idempotencyKey"], email["addToAudience"], email["attachments"]) == ("reset-1", False, [])
    loops_sandbox.clear_outbox()
    assert loops_sandbox.outbox() == []


def test_missing_data_variables_are_named(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    loops_sandbox.create_template("Welcome", ["name", "plan"], template_id="tpl_welcome")
    response = raw.post("/transactional", json=transactional("tpl_welcome", dataVariables={"plan": "pro"}))
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "message": "Missing required fields: name",
        "error": {"path": "dataVariables", "message": "Missing required fields: name"},
        "transactionalId": "tpl_welcome",
    }
    assert loops_sandbox.outbox() == []


def test_unknown_template_and_bad_address(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    missing = raw.post("/transactional", json=transactional("nope"))
    assert missing.status_code == 404
    assert missing.json()["error"] == {"path": "transactionalId", "message": "Transactional email not found."}
    loops_sandbox.create_template("Plain", template_id="tpl_plain")
    bad = raw.post("/transactional", json=transactional("tpl_plain", email="not-an-address"))
    assert (bad.status_code, bad.json()["path"]) == (400, "email")


def test_add_to_audience_creates_the_contact_once(loops_sandbox: SandboxHandle, loops_http: SyncAPIClient) -> None:
    loops_sandbox.create_template("Plain", template_id="tpl_plain")
    for _ in range(2):
        body = TransactionalRequest.from_dict(transactional("tpl_plain", addToAudience=True))
        send(loops_http, send_transactional_email._get_kwargs(body=body))
    [contact] = send(loops_http, find_contact._get_kwargs(email="ada@example.com"))
    assert contact["source"] == "API" and contact["subscribed"] is True
    assert [e["contactId"] for e in loops_sandbox.outbox()] == [contact["id"], contact["id"]]


def test_listing_pages_with_cursors(loops_sandbox: SandboxHandle, loops_http: SyncAPIClient) -> None:
    loops_sandbox.set_rate_limit(enabled=False)
    ids = [loops_sandbox.create_template(f"T{n}", ["v"])["id"] for n in range(23)]
    seen: list[str] = []
    cursor: Any = None
    pages = 0
    while True:
        kwargs = list_transactional_emails._get_kwargs(per_page="10", **({"cursor": cursor} if cursor else {}))
        page = send(loops_http, kwargs)
        pages += 1
        assert page["pagination"]["totalResults"] == 23 and page["pagination"]["totalPages"] == 3
        assert set(page["data"][0]) == {"id", "name", "lastUpdated", "dataVariables"}
        seen += [t["id"] for t in page["data"]]
        cursor = page["pagination"]["nextCursor"]
        if cursor is None:
            break
    assert (seen, pages) == (ids, 3)
    with pytest.raises(APIStatusError) as caught:
        send(loops_http, list_transactional_emails._get_kwargs(per_page="5"))
    assert caught.value.status_code == 400


def test_attachments_need_enabling_and_are_size_limited(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    loops_sandbox.create_template("Invoice", template_id="tpl_invoice")
    pdf = {"filename": "a.pdf", "contentType": "application/pdf", "data": base64.b64encode(b"%PDF-1.7 x").decode()}
    refused = raw.post("/transactional", json=transactional("tpl_invoice", attachments=[pdf]))
    assert refused.status_code == 400
    assert refused.json()["error"] == {"path": "attachments", "reason": "attachments not enabled"}
    assert loops_sandbox.update_account(attachmentsEnabled=True)["attachmentsEnabled"] is True
    assert raw.post("/transactional", json=transactional("tpl_invoice", attachments=[pdf])).status_code == 200
    [email] = loops_sandbox.outbox()
    assert email["attachments"] == [{"filename": "a.pdf", "contentType": "application/pdf", "size": 10}]
    half = base64.b64encode(b"\0" * (3 * 1024 * 1024 + 600 * 1024)).decode()
    big = [{"filename": f"{n}.bin", "contentType": "application/octet-stream", "data": half} for n in range(2)]
    too_big = raw.post("/transactional", json=transactional("tpl_invoice", attachments=big))
    assert (too_big.status_code, too_big.json()["success"]) == (413, False)
    not_base64 = raw.post("/transactional", json=transactional("tpl_invoice", attachments=[{**pdf, "data": "@@"}]))
    assert not_base64.status_code == 400


# Idempotency-Key ------------------------------------------------------------------------------------------------


def test_a_second_use_of_a_key_is_409_whatever_the_body(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    loops_sandbox.create_template("Plain", template_id="tpl_plain")
    key = {"Idempotency-Key": "order-42"}
    assert raw.post("/transactional", json=transactional("tpl_plain"), headers=key).status_code == 200
    for body in (transactional("tpl_plain"), transactional("tpl_plain", email="bob@example.com")):
        again = raw.post("/transactional", json=body, headers=key)
        assert again.status_code == 409
        assert again.json() == {"success": False, "message": "This Idempotency-Key has already been used."}
    assert len(loops_sandbox.outbox()) == 1
    event = {"email": "ada@example.com", "eventName": "signup"}
    assert raw.post("/events/send", json=event, headers=key).status_code == 200
    assert raw.post("/events/send", json={**event, "eventName": "other"}, headers=key).status_code == 409
    long_key = raw.post("/events/send", json=event, headers={"Idempotency-Key": "k" * 101})
    assert long_key.status_code == 400 and "Idempotency-Key" in long_key.json()["message"]


def test_a_key_spent_on_a_client_error_stays_spent(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    key = {"Idempotency-Key": "spent"}
    assert raw.post("/transactional", json=transactional("nope"), headers=key).status_code == 404
    loops_sandbox.create_template("Plain", template_id="nope")
    assert raw.post("/transactional", json=transactional("nope"), headers=key).status_code == 409


# Contacts, properties, lists, events ------------------------------------------------------------------------------


def test_contacts_create_find_update_delete(
    loops_sandbox: SandboxHandle, loops_http: SyncAPIClient, raw: httpx.Client
) -> None:
    loops_sandbox.set_rate_limit(enabled=False)  # more than 10 calls: the default 10/s would answer 429
    body = ContactRequest.from_dict({"email": "ada@example.com", "firstName": "Ada", "userId": "u1", "plan": "pro"})
    created = send(loops_http, create_contact._get_kwargs(body=body))
    assert created["success"] is True
    for duplicate in ({"email": "ADA@example.com"}, {"email": "other@example.com", "userId": "u1"}):
        conflict = raw.post("/contacts/create", json=duplicate)
        assert (conflict.status_code, conflict.json()["success"]) == (409, False)
    [by_user] = send(loops_http, find_contact._get_kwargs(user_id="u1"))
    assert by_user["id"] == created["id"] and by_user["plan"] == "pro" and by_user["firstName"] == "Ada"
    assert raw.get("/contacts/find", params={"email": "ada@example.com", "userId": "u1"}).status_code == 400
    assert raw.get("/contacts/find").status_code == 400
    assert send(loops_http, find_contact._get_kwargs(email="nobody@example.com")) == []
    moved = raw.put("/contacts/update", json={"userId": "u1", "email": "ada@new.example.com", "lastName": "L"})
    assert moved.json() == {"success": True, "id": created["id"]}
    [found] = send(loops_http, find_contact._get_kwargs(email="ada@new.example.com"))
    assert found["lastName"] == "L"
    upserted = send(loops_http, update_contact._get_kwargs(body=ContactRequest.from_dict({"email": "bob@example.com"})))
    assert upserted["id"] != created["id"]
    assert raw.put("/contacts/update", json={"userId": "ghost"}).status_code == 400
    deleted = send(loops_http, delete_contact._get_kwargs(body=ContactDeleteRequest(email="bob@example.com")))
    assert deleted == {"success": True, "message": "Contact deleted."}
    assert raw.post("/contacts/delete", json={"email": "bob@example.com"}).status_code == 404
    assert raw.post("/contacts/delete", json={"email": "ada@new.example.com", "userId": "u1"}).status_code == 400


def test_contact_properties_are_camel_case_and_typed(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    loops_sandbox.set_rate_limit(enabled=False)
    assert raw.post("/contacts/properties", json={"name": "favoriteColor", "type": "string"}).json() == {
        "success": True
    }
    assert raw.post("/contacts/properties", json={"name": "favoriteColor", "type": "number"}).status_code == 400
    assert raw.post("/contacts/properties", json={"name": "Bad Name", "type": "string"}).status_code == 400
    assert raw.post("/contacts/properties", json={"name": "email", "type": "string"}).status_code == 400
    custom = raw.get("/contacts/properties", params={"list": "custom"}).json()
    assert custom == [{"key": "favoriteColor", "label": "Favorite Color", "type": "string"}]
    every = raw.get("/contacts/properties").json()
    assert every[-1] == custom[0] and {"key": "email", "label": "Email", "type": "string"} in every
    wrong_type = raw.post("/contacts/create", json={"email": "a@example.com", "favoriteColor": 3})
    assert wrong_type.status_code == 400


def test_events_create_unknown_contacts_and_subscribe_lists(
    loops_sandbox: SandboxHandle, loops_http: SyncAPIClient, raw: httpx.Client
) -> None:
    loops_sandbox.set_rate_limit(enabled=False)
    news = loops_sandbox.create_mailing_list("News", list_id="list_news", description="Monthly", isPublic=True)
    assert raw.get("/lists").json() == [news]
    body = EventRequest.from_dict(
        {"email": "new@example.com", "eventName": "signup", "eventProperties": {"plan": "pro"},
         "mailingLists": {"list_news": True}, "city": "Paris"}
    )  # fmt: skip
    assert send(loops_http, send_event._get_kwargs(body=body, idempotency_key="ev-1")) == {"success": True}
    [contact] = send(loops_http, find_contact._get_kwargs(email="new@example.com"))
    assert contact["mailingLists"] == {"list_news": True} and contact["city"] == "Paris"
    raw.post("/events/send", json={"email": "new@example.com", "eventName": "upgrade"})
    events = loops_sandbox.events()
    assert [(e["eventName"], e["contactCreated"]) for e in events] == [("signup", True), ("upgrade", False)]
    assert events[0]["eventProperties"] == {"plan": "pro"} and events[0]["idempotencyKey"] == "ev-1"
    assert raw.post("/events/send", json={"eventName": "x"}).status_code == 400
    assert raw.post("/events/send", json={"userId": "ghost", "eventName": "x"}).status_code == 400
    unknown_list = {"email": "new@example.com", "eventName": "x", "mailingLists": {"list_missing": True}}
    assert raw.post("/events/send", json=unknown_list).status_code == 400


async def test_the_async_client_reaches_the_sandbox(async_loops_http: AsyncAPIClient) -> None:
    result = await async_loops_http.request(Call.from_kwargs(check_api_key._get_kwargs()))
    assert result.data["teamName"] == "Sandbox Team"


# Rate limit, account, reset --------------------------------------------------------------------------------------


def test_over_the_limit_is_429_with_the_headers(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    assert loops_sandbox.set_rate_limit(3, window_seconds=600) == {"limit": 3, "windowSeconds": 600, "enabled": True}
    answers = [raw.get("/api-key") for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert [r.headers["x-ratelimit-remaining"] for r in answers] == ["2", "1", "0", "0"]
    assert answers[-1].headers["x-ratelimit-limit"] == "3"
    assert answers[-1].json() == {"success": False, "message": "Rate limit exceeded"}
    loops_sandbox.set_rate_limit(enabled=False)
    assert {raw.get("/api-key").status_code for _ in range(15)} == {200}


def test_reset_empties_everything_and_restores_defaults(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    loops_sandbox.create_template("Plain", template_id="tpl_plain")
    loops_sandbox.create_mailing_list("News")
    loops_sandbox.update_account(teamName="Acme", attachmentsEnabled=True)
    loops_sandbox.set_rate_limit(1, window_seconds=600)
    loops_sandbox.set_webhook("http://127.0.0.1:9/hook")
    loops_sandbox.reset()
    assert raw.get("/transactional").json()["data"] == []
    assert raw.get("/lists").json() == []
    assert raw.get("/api-key").json()["teamName"] == "Sandbox Team"
    assert raw.get("/api-key").headers["x-ratelimit-limit"] == "10"
    assert httpx.get(f"{loops_sandbox.url.removesuffix('/api/v1')}/sandbox/webhook").status_code == 404


def test_control_refuses_duplicates_and_bad_input(loops_sandbox: SandboxHandle) -> None:
    loops_sandbox.create_template("Plain", template_id="tpl_plain")
    with pytest.raises(httpx.HTTPStatusError) as caught:
        loops_sandbox.create_template("Again", template_id="tpl_plain")
    assert caught.value.response.status_code == 409
    assert caught.value.response.json()["success"] is False
    with pytest.raises(httpx.HTTPStatusError) as caught:
        loops_sandbox.set_webhook("http://127.0.0.1:9/hook", secret="whsec_c2hvcnQ=")
    assert caught.value.response.status_code == 400


def test_concurrent_uses_of_one_key_send_once(loops_sandbox: SandboxHandle, raw: httpx.Client) -> None:
    loops_sandbox.set_rate_limit(enabled=False)
    event, key = {"email": "ada@example.com", "eventName": "signup"}, {"Idempotency-Key": "once"}
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(lambda _: raw.post("/events/send", json=event, headers=key).status_code, range(6)))
    assert statuses == [200, 409, 409, 409, 409, 409]
    assert len(loops_sandbox.events()) == 1


def test_a_retried_fault_does_not_spend_the_key(loops_sandbox: SandboxHandle, loops_http: SyncAPIClient) -> None:
    loops_sandbox.inject_fault("status", status=503)
    body = EventRequest.from_dict({"email": "ada@example.com", "eventName": "signup"})
    assert send(loops_http, send_event._get_kwargs(body=body, idempotency_key="retry-me")) == {"success": True}
    assert [e["idempotencyKey"] for e in loops_sandbox.events()] == ["retry-me"]
