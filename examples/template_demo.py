"""Seed 002 through the project template (`django_project/`), against the embedded stand-ins (the second half of
`make demo`).

Starts the Loops, Stripe and Twilio sandboxes, a local S3 server (moto), Redis (`REDIS_URL`, else a private
`redis-server` when the binary exists, else the in-memory cache, said so) and the template itself on loopback (so
the sandboxes can deliver webhooks and callbacks to it), points the template's settings at them, and walks: a Loops
login-link e-mail in the outbox and the link signing in once; a customer and a subscription checkout paid on the
Stripe sandbox's hosted page, its webhooks processed once each; an SMS reaching `delivered` through signed status
callbacks; phone verification with a wrong then a right code; a direct upload completed; a rate limit answering 429;
and `integrations_check`. Prints each step; exits 0 when every step did what it should.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # examples/: the demos' shared walk (demo_steps.py) and the template's wiring
sys.path.insert(0, str(HERE / "django_project"))  # the project template itself (`config`, `apps`)

from demo_steps import DemoFailed, expect, step  # noqa: E402
from template_wiring import (  # noqa: E402
    connect_stripe,
    live_template,
    redis_url,
    register_login_email,
    setup_django,
    template_env,
)


@contextlib.contextmanager
def stand_ins(scratch: Path) -> Iterator[dict[str, Any]]:
    """Every stand-in running, and the environment that points the template at them (`template_wiring.template_env`)."""
    from app_integrations.aws.local_server import start_local_s3
    from sdk_sandbox.loops import build_loops_app
    from sdk_sandbox.runner import BackgroundServer, bind, url_of
    from sdk_sandbox.stripe import build_stripe_app
    from sdk_sandbox.twilio import build_twilio_app

    loops, stripe, twilio = build_loops_app(), build_stripe_app(), build_twilio_app()
    loops_sock, stripe_sock, twilio_sock = bind(), bind(), bind()
    stripe.root_url = url_of(stripe_sock)  # checkout URLs point at its hosted page
    server = BackgroundServer([(loops, loops_sock), (stripe, stripe_sock), (twilio, twilio_sock)])
    server.start()
    sandboxes = {
        "loops": (loops, url_of(loops_sock, loops.api.spec.base_path)),
        "stripe": (stripe, url_of(stripe_sock)),
        "twilio": (twilio, url_of(twilio_sock)),
    }
    try:
        with start_local_s3("moto", bucket="template-uploads") as s3, redis_url() as redis:
            env = template_env(sandboxes, s3, redis, scratch / "template.sqlite3", "http://testserver")
            yield {
                "env": env,
                "loops_root": url_of(loops_sock),
                "stripe": stripe,
                "twilio": twilio,
                "s3": s3,
                "redis": redis,
            }
    finally:
        server.stop()


def stripe_flow(live: str) -> None:
    """A customer and a subscription checkout paid on the hosted page; every webhook event processed once."""
    import collections

    import httpx
    from apps.common.models import User
    from apps.integration.stripe.client import StripeClient
    from apps.integration.stripe.shortcuts import create_customer_from_user, create_subscription_checkout
    from django.conf import settings

    from app_integrations.django.models import WebhookEvent
    from app_integrations.django.signals import webhook_received

    client = StripeClient()
    connected = connect_stripe(
        {"STRIPE_API_KEY": settings.STRIPE_API_KEY, "STRIPE_BASE_URL": settings.STRIPE_BASE_URL}, live
    )
    settings.STRIPE_WEBHOOK_SECRET = connected["STRIPE_WEBHOOK_SECRET"]
    processed: collections.Counter[str] = collections.Counter()

    def count(sender: Any, provider: str, payload: dict[str, Any], **kwargs: Any) -> None:
        if provider == "stripe":
            processed.update([payload["id"]])

    webhook_received.connect(count, weak=False)
    price = connected["STRIPE_PRICE_ID"]
    user = User.objects.create(username="grace", email="grace@example.com", first_name="Grace")
    customer = create_customer_from_user(user)
    step("create_customer_from_user(user)", customer["customer"]["id"])
    checkout = create_subscription_checkout(price_id=price, user=user)
    step("create_subscription_checkout(price_id, user=user)", checkout["session"]["url"])
    expect(checkout["success"] and checkout["session"]["customer"] == customer["customer"]["id"], "reuse the customer")
    paid = httpx.post(f"{checkout['session']['url']}/pay", data={"card_number": "4242424242424242"})
    step("pay on the sandbox's hosted checkout page", f"{paid.status_code} -> {paid.headers.get('location')}")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        events = set(WebhookEvent.objects.filter(provider="stripe").values_list("event_id", flat=True))
        if events and {"checkout.session.completed", "invoice.paid"} <= set(
            WebhookEvent.objects.filter(provider="stripe").values_list("event_type", flat=True)
        ):
            break
        time.sleep(0.1)
    kinds = sorted(WebhookEvent.objects.filter(provider="stripe").values_list("event_type", flat=True))
    step("webhook events stored by the template", kinds)
    expect(bool(processed) and all(count == 1 for count in processed.values()), "each event processed once")
    subscriptions = client.list("subscriptions", customer=customer["customer"]["id"])["data"]
    step("the customer's subscriptions", [(s["id"], s["status"]) for s in subscriptions])
    expect([s["status"] for s in subscriptions] == ["active"], "the paid subscription should be active")


def sms_flow(live: str, twilio: Any) -> None:
    """An SMS saved, sent through the Twilio sandbox, and moved to `delivered` by signed status callbacks."""
    from apps.common.models import SMS
    from apps.integration.twilio.shortcuts import send_sms
    from django.conf import settings

    settings.TWILIO_STATUS_CALLBACK_BASE_URL = live
    result = send_sms(to_number="+12125551234", body="Your order has been shipped!")
    step("send_sms(to_number='+12125551234', body=...)", f"sid {result.get('sid')} sms_id {result.get('sms_id')}")
    expect(result["success"], "the SMS should be accepted")
    deadline = time.monotonic() + 20
    sms = SMS.objects.get(pk=result["sms_id"])
    while time.monotonic() < deadline and sms.status != "delivered":
        time.sleep(0.1)
        sms.refresh_from_db()
    step("the SMS row after Twilio's signed status callbacks", f"{sms.status} (delivered_at {sms.delivered_at})")
    expect(sms.status == "delivered", "the SMS should reach delivered")


def verification_flow(twilio: Any, redis: str | None) -> None:
    """Seed 002's phone verification: a code texted through Twilio; a wrong code refused, the right one accepted."""
    import json

    from app_integrations.cache import initiate_phone_verification, verify_phone_code

    if redis is None:
        step("phone verification skipped", "it needs Redis: set REDIS_URL or install redis-server")
        return
    phone = "+14155550123"
    started = initiate_phone_verification(phone)
    step("initiate_phone_verification(phone)", {k: started.get(k) for k in ("success", "sms_id")})
    expect(started["success"], "the code should be sent")
    texted = twilio.store.all("SELECT data FROM twilio_messages ORDER BY seq DESC LIMIT 1")[0]
    code = json.loads(texted["data"])["body"].rsplit(" ", 1)[1]
    wrong = verify_phone_code(phone, "000000" if code != "000000" else "111111")
    step("verify_phone_code(phone, <wrong code>)", wrong)
    right = verify_phone_code(phone, code)
    step("verify_phone_code(phone, <the texted code>)", right)
    expect(not wrong["success"] and right.get("verified") is True, "only the texted code should verify")


def loops_flow(root: str) -> None:
    """A user asks for a login link; the e-mail is in the Loops outbox; the link signs in once."""
    import httpx
    from apps.common.models import User
    from apps.integration.loops.shortcuts import send_login_code_email
    from django.test import Client

    register_login_email(root)
    user = User.objects.create(username="ada", email="ada@example.com", first_name="Ada")
    result = send_login_code_email(user, next_url="/upload/")
    step("send_login_code_email(user, next_url='/upload/')", result)
    expect(result["success"] and not result.get("simulated"), "the login e-mail should be sent to the sandbox")
    [email] = httpx.get(f"{root}/sandbox/outbox").json()["emails"]
    step("the Loops sandbox outbox", f"{email['transactionalId']} to {email['email']}")
    path = email["dataVariables"]["login_url"].removeprefix("http://testserver")
    browser = Client()
    signed_in = browser.post(path)
    step("POST the e-mailed login link", f"{signed_in.status_code} -> {signed_in.get('Location')}")
    expect(signed_in.status_code == 302 and browser.session.get("_auth_user_id") == str(user.pk), "should sign in")
    again = Client().post(path)
    step("the same link again", f"{again.status_code} (used once)")
    expect(again.status_code == 400, "a login link must work once")


def upload_flow(s3: Any) -> None:
    """Seed 002's direct upload: credentials, the browser's POST straight to S3, confirmation."""
    import httpx
    from apps.common.models.upload import Upload
    from apps.integration.aws.shortcuts import complete_upload, get_direct_upload_form_data

    granted = get_direct_upload_form_data("holiday photo.png", content_type="image/png", max_file_size=1024 * 1024)
    step("get_direct_upload_form_data('holiday photo.png')", f"key {granted['form_fields']['key']}")
    expect(granted["success"], "credentials should be granted")
    posted = httpx.post(granted["form_url"], data=granted["form_fields"],
                        files={"file": ("holiday photo.png", b"\x89PNG demo bytes", "image/png")})  # fmt: skip
    step("POST the form straight to S3 (as the browser does)", posted.status_code)
    done = complete_upload(granted["upload_id"], status=Upload.STATUS_COMPLETE)
    step("complete_upload(upload_id)", done.get("upload") or done)
    expect(done["success"] and done["upload"]["status"] == "complete", "the upload should be complete")


def rate_limit_flow(redis: str | None) -> None:
    """`@rate_limited` on a view: the fourth request in the window is answered 429 with Retry-After."""
    from django.http import JsonResponse
    from django.test import RequestFactory

    from app_integrations.cache import rate_limit, rate_limited

    step("cache backend", "Redis at " + redis if redis else "in-memory (no REDIS_URL and no redis-server binary)")

    @rate_limited(key="ip", rate="3/m")
    def api_view(request: Any) -> JsonResponse:
        return JsonResponse({"data": "success"})

    statuses = [api_view(RequestFactory().get("/api", REMOTE_ADDR="203.0.113.9")) for _ in range(4)]
    step("4 requests to a @rate_limited(rate='3/m') view", [s.status_code for s in statuses])
    expect([s.status_code for s in statuses] == [200, 200, 200, 429], "the fourth request should be refused")
    step("its 429 headers", {k: statuses[-1][k] for k in ("Retry-After", "RateLimit-Limit") if k in statuses[-1]})
    allowed = [rate_limit("demo-key", max_requests=2, window=60) for _ in range(3)]
    step("rate_limit('demo-key', max_requests=2) three times", allowed)
    expect(allowed == [True, True, False], "rate_limit should allow exactly two")


def check_flow() -> None:
    """`python manage.py integrations_check`."""
    from django.core.management import call_command

    out = StringIO()
    call_command("integrations_check", stdout=out)
    step("manage.py integrations_check", out.getvalue().strip().replace("\n", "\n   "))


def main() -> int:
    """Run the walk; exit status 0 when every step did what it should."""
    with tempfile.TemporaryDirectory() as scratch, stand_ins(Path(scratch)) as running:
        setup_django(running["env"])
        step("the Django project template migrated", f"Loops sandbox {running['env']['LOOPS_BASE_URL']} | "
                                             f"S3 {running['env']['AWS_S3_ENDPOINT_URL']}")  # fmt: skip
        try:
            with live_template() as live:
                loops_flow(running["loops_root"])
                stripe_flow(live)
                sms_flow(live, running["twilio"])
                verification_flow(running["twilio"], running["redis"])
                upload_flow(running["s3"])
                rate_limit_flow(running["redis"])
                check_flow()
        except DemoFailed as exc:
            print(f"the Django integrations demo failed: {exc}", file=sys.stderr)
            return 1
    step("the template's stand-ins stopped; the Django integrations demo passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
