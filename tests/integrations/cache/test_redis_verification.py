"""Phone verification against a real Redis (and the cluster): codes hashed, single use, expiring, guesses counted
atomically with a lockout, sends limited per number and per address, Redis down handled."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
import redis

from app_integrations.cache import redis_client
from app_integrations.cache.verification import (
    MAX_GUESSES,
    _code_key,
    check_verification_rate_limit,
    initiate_phone_verification,
    verify_phone_code,
)

from . import fake_sms
from .hammer import hammer


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHONE_VERIFICATION_SECRET", "test-verification-secret")
    fake_sms.SENT.clear()


@pytest.fixture
def store(redis_url: str) -> Any:
    return redis_client(redis_url)


@pytest.fixture
def phone() -> str:
    return f"+1555{time.time_ns() % 10**7:07d}"


def start(phone: str, store: Any, **options: Any) -> str:
    result = initiate_phone_verification(phone, send_code=fake_sms.send_verification_code, client=store, **options)
    assert result["success"], result
    assert result["sms_id"] == len(fake_sms.SENT)
    return fake_sms.SENT[-1][1]


def test_the_flow_verifies_once_and_stores_no_code(store: Any, redis_client: redis.Redis, phone: str) -> None:
    code = start(phone, store)
    assert len(code) == 6 and code.isdigit()
    keys = [key for key in redis_client.scan_iter("pv:*") if redis_client.type(key) == b"hash"]
    stored = [redis_client.hgetall(key) for key in keys]
    assert all(code.encode() not in value for entry in stored for value in entry.values())
    assert phone.encode() not in b"".join(keys)  # numbers are not readable in key names either
    assert verify_phone_code(phone, "000000", client=store)["error"] == "Invalid code"
    assert verify_phone_code(phone, code, client=store) == {"success": True, "verified": True}
    again = verify_phone_code(phone, code, client=store)
    assert again["success"] is False and again["error"] == "Code expired or not found"


def test_codes_expire(store: Any, redis_client: redis.Redis, phone: str) -> None:
    # Redis times the code (its key's TTL), and a test cannot move the server's clock: the key carries code_ttl, and
    # once the server drops it (told to, now, rather than after a sleep) the code is expired.
    code = start(phone, store, code_ttl=60)
    key = _code_key(phone)
    assert 59_000 < redis_client.pttl(key) <= 60_000
    redis_client.pexpire(key, 1)
    while redis_client.exists(key):
        time.sleep(0.001)
    assert verify_phone_code(phone, code, client=store)["code"] == "code_expired"


def test_five_wrong_guesses_lock_the_code_without_renewing_it(
    store: Any, redis_client: redis.Redis, phone: str
) -> None:
    code = start(phone, store)
    wrong = "111111" if code != "111111" else "222222"
    assert [verify_phone_code(phone, wrong, client=store)["code"] for _ in range(MAX_GUESSES)] == ["invalid_code"] * 5
    key = next(key for key in redis_client.scan_iter("pv:*:code") if redis_client.exists(key))
    ttl = redis_client.pttl(key)
    assert verify_phone_code(phone, code, client=store)["code"] == "too_many_attempts"  # even the right code
    assert redis_client.pttl(key) <= ttl


def test_a_new_code_replaces_the_old_one_and_its_guesses(store: Any, phone: str) -> None:
    old = start(phone, store)
    for _ in range(4):
        verify_phone_code(phone, "999999" if old != "999999" else "888888", client=store)
    new = start(phone, store)
    if new != old:
        assert verify_phone_code(phone, old, client=store)["code"] == "invalid_code"
    for _ in range(3):
        verify_phone_code(phone, "000000", client=store)
    assert verify_phone_code(phone, new, client=store)["verified"] is True


def test_sends_are_limited_per_number_and_a_success_clears_the_count(store: Any, phone: str) -> None:
    assert check_verification_rate_limit(phone, client=store)
    codes = [start(phone, store) for _ in range(3)]
    assert not check_verification_rate_limit(phone, max_attempts=3, window=3600, client=store)
    refused = initiate_phone_verification(phone, send_code=fake_sms.send_verification_code, client=store)
    assert refused["code"] == "rate_limited" and len(fake_sms.SENT) == 3
    assert verify_phone_code(phone, codes[-1], client=store)["verified"]
    assert check_verification_rate_limit(phone, client=store)


def test_sends_are_limited_per_client_address(store: Any, phone: str) -> None:
    address = f"203.0.113.{time.time_ns() % 250}"
    numbers = [f"{phone[:-1]}{digit}" for digit in "123"]
    results = [
        initiate_phone_verification(n, client_ip=address, ip_max_sends=2, send_code=fake_sms.send_verification_code,
                                    client=store)
        for n in numbers
    ]  # fmt: skip
    assert [r["success"] for r in results] == [True, True, False] and results[2]["code"] == "rate_limited"
    assert len(fake_sms.SENT) == 2


def test_refusals_before_sending(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    invalid = initiate_phone_verification("12345", send_code=fake_sms.send_verification_code, client=store)
    assert invalid == {"success": False, "error": "Invalid phone number", "code": "invalid_argument",
                       "status_code": None, "request_id": None}  # fmt: skip
    monkeypatch.setenv("PHONE_VERIFICATION_SENDER", "")  # by default it is Twilio's send_verification_code
    unconfigured = initiate_phone_verification("+15550000001", client=store)
    assert unconfigured["code"] == "not_configured" and "SMS sender" in unconfigured["error"]
    monkeypatch.delenv("PHONE_VERIFICATION_SENDER")
    failed = initiate_phone_verification("+15550000002", send_code=fake_sms.failing_sender, client=store)
    assert failed["error"] == "Twilio said no" and failed["code"] == "21211"
    monkeypatch.setenv("PHONE_VERIFICATION_SECRET", "")
    assert verify_phone_code("+15550000002", "123456", client=store)["code"] in ("not_configured", "code_expired")
    assert fake_sms.SENT == []


def test_redis_down_fails_closed_without_raising(disposable_redis: Any, phone: str) -> None:
    store = redis_client(disposable_redis.url)
    code = start(phone, store)
    disposable_redis.kill()
    assert verify_phone_code(phone, code, client=store)["code"] == "unavailable"
    down = initiate_phone_verification(phone, client_ip="198.51.100.1", send_code=fake_sms.send_verification_code,
                                       client=store)  # fmt: skip
    assert down["code"] == "unavailable" and down["status_code"] == 503 and len(fake_sms.SENT) == 1
    assert check_verification_rate_limit(phone, client=store) is False


def test_about_1000_concurrent_wrong_guesses_count_at_most_five(redis_url: str, store: Any, phone: str) -> None:
    code = start(phone, store)
    wrong = "123456" if code != "123456" else "654321"

    def make_guess() -> Any:
        client = redis_client(redis_url)
        return lambda: verify_phone_code(phone, wrong, client=client)["code"] == "invalid_code"

    assert hammer(make_guess, processes=8, threads=4, calls=32) == MAX_GUESSES  # 1 024 guesses, 5 compared
    assert verify_phone_code(phone, code, client=store)["code"] == "too_many_attempts"


def test_racing_correct_submissions_verify_once(store: Any, phone: str) -> None:
    code = start(phone, store)
    barrier, results = threading.Barrier(8), []

    def submit() -> None:
        barrier.wait()
        results.append(verify_phone_code(phone, code, client=store).get("verified", False))

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1


def test_on_a_cluster(cluster_client: Any, phone: str) -> None:
    code = start(phone, cluster_client)
    assert verify_phone_code(phone, "000000" if code != "000000" else "111111", client=cluster_client)["code"] == (
        "invalid_code"
    )
    assert verify_phone_code(phone, code, client=cluster_client)["verified"]
    assert check_verification_rate_limit(phone, client=cluster_client)


def test_seed_flow_as_written_with_the_sender_from_settings(redis_django: Any, phone: str) -> None:
    redis_django(PHONE_VERIFICATION_SENDER="tests.integrations.cache.fake_sms.send_verification_code")
    phone_number = phone

    if not check_verification_rate_limit(phone_number):
        pytest.fail("rate limited before any send")
    result = initiate_phone_verification(phone_number)
    assert result["success"] and result.get("sms_id")
    user_code = fake_sms.SENT[-1][1]
    result = verify_phone_code(phone_number, user_code)
    assert result == {"success": True, "verified": True}


def test_by_default_the_code_goes_out_through_twilio_and_verifies(
    redis_django: Any, twilio_sandbox: Any, store: Any
) -> None:
    """Seed 002's flow end to end: Twilio's `send_verification_code` (the default sender) texts the code through the
    Twilio sandbox, the SMS row is saved, a wrong code is refused and the texted one verifies once."""
    from app_integrations.django.models import SMS

    redis_django(
        TWILIO_ENABLED=True,
        TWILIO_ACCOUNT_SID=twilio_sandbox.account_sid,
        TWILIO_AUTH_TOKEN=twilio_sandbox.auth_token,
        TWILIO_PHONE_NUMBER="+15005550006",
        TWILIO_BASE_URL=twilio_sandbox.url,
    )
    phone_number = "+14155550123"
    SMS.objects.filter(to_number=phone_number).delete()
    started = initiate_phone_verification(phone_number, client=store)
    assert started["success"] is True and started.get("sms_id")
    sms = SMS.objects.get(pk=started["sms_id"])
    assert sms.external_id.startswith("SM") and sms.body == "Your verification code is: ******"  # never the code
    texted = twilio_sandbox.app.store.one("SELECT data FROM twilio_messages WHERE sid = ?", (sms.external_id,))
    code = json.loads(texted["data"])["body"].rsplit(" ", 1)[1]  # what the phone received
    assert verify_phone_code(phone_number, "000000" if code != "000000" else "111111", client=store)["success"] is False
    assert verify_phone_code(phone_number, code, client=store) == {"success": True, "verified": True}
    assert verify_phone_code(phone_number, code, client=store)["success"] is False  # single use
    SMS.objects.filter(to_number=phone_number).delete()
