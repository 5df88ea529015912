"""The dashboard in a real browser (Debian's Chromium, headless, driven by Playwright; no browser download).

`make sandbox`'s stack (the Vault, Vortex, Loops, Stripe and Twilio sandboxes, the dashboard, the FastAPI example)
runs the demo's flows through the SDKs; the page shows what they created, renders a hostile name as text, replays a
Loops webhook delivery with its button and shows the new attempt once it refreshes by itself; a Stripe checkout is
paid with its button. Screenshots are written to the test's tmp dir, and to `$DOCS_SCREENSHOTS` when that is set
(`make docs-screenshots`: the pictures of the documentation).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from stack import Stack, start_stack

from ..real_parts import CHROMIUM_FLAGS, keep_screenshot
from ..webhook_receiver import Receiver

HOSTILE = '<img src=x onerror="window.pwned=1">'


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    running = start_stack(tmp_path / "example.db", refresh_seconds=0.3)
    try:
        yield running
    finally:
        running.stop()


def rows(page: Any, sandbox: str, section: str) -> Any:
    return page.locator(f'#panel-{sandbox} [data-section="{section}"] tbody tr')


def test_the_dashboard_shows_the_demo_data_and_replays_a_delivery(
    chromium: str, stack: Stack, receiver: Receiver, tmp_path: Path
) -> None:
    from demo import invitations_flow, loops_flow, vault_flow
    from playwright.sync_api import expect, sync_playwright

    secret = httpx.put(f"{stack.loops_root}/sandbox/webhook", json={"url": receiver.url}).json()["secret"]
    user_id, email, token = vault_flow(stack)
    invitations_flow(stack, email, token)
    email_id = loops_flow(stack, email)
    s = stack.settings
    hostile = {"email": "mallory@example.com", "password": "long enough", "first_name": HOSTILE}
    headers = {"Authorization": f"Bearer {s.vault_api_key}"}
    assert httpx.post(f"{s.vault_base_url}/api/v1/users", json=hostile, headers=headers).status_code == 201
    query = {"targetType": "email", "targetValue": email}
    listed = httpx.get(f"{s.vortex_base_url}/invitations", params=query, headers={"x-api-key": s.vortex_api_key})
    invitations = listed.json()["invitations"]
    assert invitations

    screenshot = tmp_path / "dashboard.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(stack.dashboard_url)
            vault = page.locator("#panel-vault")
            expect(vault.locator('[data-section="Users"]')).to_contain_text(email)
            expect(vault.locator('[data-section="Organizations"]')).to_contain_text("Acme Corp")
            expect(vault.locator('[data-section="Memberships"]')).to_contain_text("admin")
            expect(vault.locator('[data-section="Sessions"]')).to_contain_text("active")
            expect(vault).to_contain_text(user_id)
            expect(vault.locator("td", has_text="<img src=x")).to_have_count(1)  # shown as text, never as markup
            assert page.locator("img").count() == 0 and page.evaluate("window.pwned") is None
            vortex = page.locator("#panel-vortex [data-section='Invitations']")
            for invitation in invitations:
                expect(vortex).to_contain_text(invitation["id"])
            expect(vortex).to_contain_text(f"email:{email}")
            expect(vortex).to_contain_text("team:team-red")
            outbox = page.locator("#panel-loops [data-section='Outbox']")
            expect(outbox).to_contain_text(email_id)
            expect(outbox).to_contain_text("Welcome, John")
            expect(outbox).to_contain_text('{"firstName": "John"}')
            deliveries = rows(page, "loops", "Webhook deliveries")
            expect(deliveries).to_have_count(2)  # transactional.email.sent and email.delivered, both 204
            sent = deliveries.filter(has_text="transactional.email.sent")
            event_id = sent.locator("td").nth(2).text_content()
            sent.get_by_role("button", name="Replay").click()
            expect(page.locator("#toast")).to_have_text("Replay: done")
            expect(deliveries).to_have_count(3)  # the new attempt arrives through the page's own polling
            newest = deliveries.first.locator("td")
            expect(newest.nth(2)).to_have_text(event_id or "")
            expect(newest.nth(3)).to_have_text("2")
            expect(newest.nth(4)).to_have_text("204")
            page.mouse.move(0, 0)
            page.evaluate("window.scrollTo(0, 0)")  # the sticky header back on top of a full-page shot
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    received = receiver.verified(secret)
    assert [webhook_id for webhook_id, _ in received].count(event_id) == 2
    assert screenshot.stat().st_size > 10_000
    keep_screenshot(screenshot, "dashboard.png")


def test_a_checkouts_pay_button_turns_its_subscription_active(chromium: str, stack: Stack, tmp_path: Path) -> None:
    """Stripe on the dashboard: a subscription checkout made through the SDK is paid with its Pay button, and the
    page shows the subscription active (born incomplete, as in Stripe) and the events the payment fired."""
    from playwright.sync_api import expect, sync_playwright

    from app_integrations.stripe import StripeClient

    stripe = stack.sandboxes["stripe"]
    with StripeClient(api_key=next(iter(stripe.api_keys)), base_url=stripe.extra["root_url"]) as client:
        product = client.create_product("Pro")["object"]["id"]
        price = client.create_price(product, 2000, "usd", interval="month")["object"]["id"]
        customer = client.create_customer("payer@example.com", name="Payer")["customer"]["id"]
        session = client.create_checkout_session(
            price, "https://example.com/done", "https://example.com/cancel", mode="subscription", customer_id=customer
        )["session"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(stack.dashboard_url)
            sessions = rows(page, "stripe", "Checkout sessions").filter(has_text=session["id"])
            expect(sessions).to_contain_text("open")
            expect(rows(page, "stripe", "Subscriptions")).to_have_count(0)
            sessions.get_by_role("button", name="Pay").click()
            expect(page.locator("#toast")).to_have_text("Pay: done")
            subscriptions = rows(page, "stripe", "Subscriptions").filter(has_text=customer)
            expect(subscriptions).to_contain_text("active")  # through the page's own polling
            expect(sessions).to_contain_text("complete")
            expect(page.locator("#panel-stripe [data-section='Events']")).to_contain_text("checkout.session.completed")
            page.screenshot(path=str(tmp_path / "dashboard-stripe.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "dashboard-stripe.png").stat().st_size > 10_000
    keep_screenshot(tmp_path / "dashboard-stripe.png", "dashboard-stripe.png")
