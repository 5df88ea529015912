"""Seed 002's Django template as `make sandbox` runs it, clicked through in a real browser (Debian's Chromium,
headless, driven by Playwright; no browser download).

`examples/sandbox.py` runs as a subprocess on free loopback ports; the browser signs in with the link from the
Loops sandbox's outbox, subscribes on the Stripe sandbox's hosted checkout page and sees the subscription active on
/billing/, verifies a phone with a wrong then the texted code (read from the Twilio sandbox), and uploads a file
straight to the local S3 server. Each flow is checked on the page and in the servers' state: the template's
database, the Stripe and Twilio sandboxes, the S3 bucket. Screenshots of the final pages go to the test's tmp dir;
the Stripe sandbox's checkout page also to `$DOCS_SCREENSHOTS` when set (`make docs-screenshots`).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..real_parts import CHROMIUM_FLAGS, keep_screenshot, require
from .sandbox_process import SandboxProcess

PHONE = "+14155550123"
UPLOAD = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxProcess]:
    """`make sandbox` running (its private redis-server: phone verification needs Redis), stopped after."""
    require(shutil.which("redis-server") is not None, "redis-server", "apt-get install redis-server")
    running = SandboxProcess(tmp_path)
    try:
        yield running
    finally:
        assert running.stop() == 0, running.stderr()


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """`condition()`'s first truthy value, polled until `timeout` (a failure naming `what` after that)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def query(database: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows of the template's database (read-only, beside the running server)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return db.execute(sql, params).fetchall()


def sign_in(page: Any, sandbox: SandboxProcess, site: str) -> None:
    from playwright.sync_api import expect

    email = sandbox.line("Django template").split("sign in as ")[1].rstrip(")")
    page.goto(f"{site}/login/")
    page.fill("#email", email)
    page.click("#send-link")
    expect(page.locator("#sent")).to_contain_text(email)
    outbox = wait_for(lambda: httpx.get(f"{sandbox.root('loops sandbox')}/sandbox/outbox").json()["emails"], "mail")
    [sent] = [mail for mail in outbox if mail["email"] == email]
    link = sent["dataVariables"]["login_url"]
    assert link.startswith(f"{site}/integrations/login/")
    sql = "SELECT event_type FROM app_integrations_webhookevent WHERE provider = 'loops' ORDER BY event_type"
    events = wait_for(lambda: len(query(sandbox.template_database, sql)) == 2 and query(sandbox.template_database, sql),
                      "the Loops sandbox's signed e-mail events at the template")  # fmt: skip
    assert events == [("email.delivered",), ("transactional.email.sent",)]
    page.goto(link)
    page.click("#sign-in")
    expect(page.locator("#who")).to_have_text(email)
    page.goto(link)  # a login link works once
    expect(page.locator("#reason")).to_have_text("This login link has already been used.")


def subscribe(page: Any, sandbox: SandboxProcess, site: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    stripe = sandbox.root("stripe sandbox")
    page.goto(f"{site}/billing/")
    expect(page.locator("#subscriptions")).to_contain_text("No subscription yet")
    page.goto(f"{site}/pricing/")
    page.click("#subscribe")
    page.wait_for_url(f"{stripe}/sandbox/checkout/cs_*")
    expect(page.locator("h1")).to_have_text("Pay 20.00 USD")
    page.screenshot(path=str(tmp_path / "checkout.png"))
    keep_screenshot(tmp_path / "checkout.png", "stripe-checkout.png")
    page.fill("input[name=card_number]", "4242424242424242")
    page.get_by_role("button", name="Pay").click()
    page.wait_for_url(f"{site}/billing/?checkout=success")
    expect(page.locator("#subscriptions strong")).to_have_text(["active"])
    page.screenshot(path=str(tmp_path / "billing.png"), full_page=True)
    [(customer,)] = query(sandbox.template_database, "SELECT customer_id FROM app_integrations_stripecustomer")
    headers = {"Authorization": f"Bearer {sandbox.keys['STRIPE_API_KEY']}"}
    listed = httpx.get(f"{stripe}/v1/subscriptions", params={"customer": customer}, headers=headers).json()
    assert [s["status"] for s in listed["data"]] == ["active"]
    wanted = {"checkout.session.completed", "invoice.paid"}  # delivered to the template's webhook, verified, stored

    def stored() -> set[str]:
        return {kind for (kind,) in query(sandbox.template_database, "SELECT event_type FROM "
                                          "app_integrations_webhookevent WHERE provider = 'stripe'")}  # fmt: skip

    assert wanted <= wait_for(lambda: wanted <= stored() and stored(), "the Stripe webhooks")


def verify_phone(page: Any, sandbox: SandboxProcess, site: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    sid, token = sandbox.keys["TWILIO_ACCOUNT_SID"], sandbox.keys["TWILIO_AUTH_TOKEN"]
    messages = f"{sandbox.root('twilio sandbox')}/2010-04-01/Accounts/{sid}/Messages.json"
    page.goto(f"{site}/verify-phone/")
    page.fill("#phone_number", PHONE)
    page.click("#send")
    expect(page.locator("#code")).to_be_visible()
    [texted] = httpx.get(messages, params={"To": PHONE}, auth=(sid, token)).json()["messages"]
    code = texted["body"].rsplit(" ", 1)[1]
    page.fill("#code", "000000" if code != "000000" else "111111")
    page.click("#check")
    expect(page.locator("#error")).to_contain_text("Invalid code")
    expect(page.locator("#verified")).to_have_count(0)
    page.fill("#code", code)
    page.click("#check")
    expect(page.locator("#verified")).to_have_text(f"{PHONE} is verified.")
    page.screenshot(path=str(tmp_path / "verify-phone.png"), full_page=True)
    sql = "SELECT status FROM app_integrations_sms WHERE external_id = ?"
    delivered = wait_for(lambda: query(sandbox.template_database, sql, texted["sid"]) == [("delivered",)], "callbacks")
    assert delivered  # the Twilio sandbox's signed status callbacks reached the template


def upload(page: Any, sandbox: SandboxProcess, site: str, tmp_path: Path) -> None:
    import boto3
    from playwright.sync_api import expect

    page.goto(f"{site}/upload/")
    page.set_input_files("#file-input", {"name": "holiday photo.png", "mimeType": "image/png", "buffer": UPLOAD})
    page.click("#upload-button")
    expect(page.locator("#status")).to_contain_text("Uploaded: ")
    page.screenshot(path=str(tmp_path / "upload.png"), full_page=True)
    [(key, status, name)] = query(sandbox.template_database, "SELECT s3_key, status, name FROM app_integrations_upload")
    assert status == "complete" and name == "holiday photo.png"
    keys = sandbox.keys
    s3 = boto3.client("s3", endpoint_url=keys["AWS_S3_ENDPOINT_URL"], aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
                      aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"], region_name=keys["AWS_REGION"])  # fmt: skip
    assert s3.get_object(Bucket=keys["AWS_STORAGE_BUCKET_NAME"], Key=key)["Body"].read() == UPLOAD


def test_a_person_clicks_through_every_seed_002_page(chromium: str, sandbox: SandboxProcess, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert "Redis at redis://" in sandbox.line("template cache")
    site = sandbox.url("Django template")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            sign_in(page, sandbox, site)
            subscribe(page, sandbox, site, tmp_path)
            verify_phone(page, sandbox, site, tmp_path)
            upload(page, sandbox, site, tmp_path)
        finally:
            browser.close()
    for shot in ("billing.png", "verify-phone.png", "upload.png"):
        assert (tmp_path / shot).stat().st_size > 5_000
