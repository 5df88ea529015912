"""The integrations guide's phone verification flow (`initiate_phone_verification`, `verify_phone_code`,
`check_verification_rate_limit`) with its result dicts, without its holes.

* Codes come from `secrets` (six digits, as the guide's) and are stored only as an HMAC keyed with
  `PHONE_VERIFICATION_SECRET` (else Django's `SECRET_KEY`): a million possible codes make a plain hash
  reversible by anyone who can read Redis.
* Each guess is counted atomically on the code itself (a Lua script increments before the stored HMAC is handed
  out), so concurrent wrong guesses cannot pass the lockout: after `MAX_GUESSES` (5) no guess is compared at
  all, and the lockout is not renewed by further guesses. The comparison is `hmac.compare_digest`.
* A code is single use (a compare-and-delete script consumes it, so two racing correct submissions verify once)
  and expires after 10 minutes; a new code replaces the old one and its guess count.
* Sends are limited per number (`max_attempts` per `window`, the guide's 3 per hour, counted atomically before
  sending) and per client address (`ip_max_sends`, against SMS pumping across many numbers).
* Redis unreachable: a failure result, never an exception, and never a send or a verification (fail closed).

The SMS itself goes through `send_code(phone_number, code) -> {"success": ..., "sms_id": ...}`, the shape of the
integrations guide's Twilio `send_verification_code`: passed in, or named by the `PHONE_VERIFICATION_SENDER` setting (a
dotted path); without one, `initiate_phone_verification` answers a `not_configured` failure. A number is checked
by `validate_number(phone_number) -> {"valid": ...}` (the guide's `verify_phone_number`), by default a local
E.164 format check.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from ..results import (
    CODE_EXPIRED,
    INVALID_ARGUMENT,
    INVALID_CODE,
    NOT_CONFIGURED,
    RATE_LIMITED,
    TOO_MANY_ATTEMPTS,
    UNAVAILABLE,
    Failure,
    Result,
    failure,
)
from ..settings import text
from .client import RedisClient, configured_client
from .keys import tagged_key
from .rate_limit import FIXED_WINDOW, STORE_ERRORS, RateLimiter, run_script

logger: logging.Logger = logging.getLogger(__name__)

NAMESPACE = "pv"
CODE_TTL = 600
MAX_GUESSES = 5
TOO_MANY_GUESSES = TOO_MANY_ATTEMPTS
_E164 = re.compile(r"\+[1-9]\d{6,14}")

Sender = Callable[[str, str], Mapping[str, Any]]
Validator = Callable[[str], Mapping[str, Any]]

# KEYS[1] code hash. ARGV[1] HMAC, ARGV[2] ttl ms. Replaces any earlier code and its guess count.
STORE = """
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 't', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""
# KEYS[1] code hash. ARGV[1] guesses allowed. {0}: no code; {-1}: locked out; {1, hmac}: compare this one.
GUESS = """
local stored = redis.call('HGET', KEYS[1], 'h')
if not stored then return {0} end
if redis.call('HINCRBY', KEYS[1], 't', 1) > tonumber(ARGV[1]) then return {-1} end
return {1, stored}
"""
# KEYS[1] code hash, KEYS[2] the number's send counter. ARGV[1] HMAC. 1 if this call consumed the code.
CONSUME = """
if redis.call('HGET', KEYS[1], 'h') == ARGV[1] then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
return 0
"""


class VerificationStarted(Result, total=False):
    """`initiate_phone_verification`'s result: `sms_id` of the message on success."""

    sms_id: Any


class VerificationChecked(Result, total=False):
    """`verify_phone_code`'s result: `verified` is True on success."""

    verified: bool


def _subject(phone_number: str) -> str:
    """The number's hash tag: its SHA-256, so numbers are not readable in key names."""
    return hashlib.sha256(phone_number.encode()).hexdigest()[:32]


def _code_key(phone_number: str) -> str:
    return tagged_key(NAMESPACE, _subject(phone_number), "code")


def _sends_key(phone_number: str, window: int) -> str:
    return tagged_key(NAMESPACE, _subject(phone_number), "sends", window)


def _digest(secret: str, phone_number: str, code: str) -> str:
    return hmac.new(secret.encode(), f"{phone_number}:{code}".encode(), hashlib.sha256).hexdigest()


def _secret() -> str:
    return text("PHONE_VERIFICATION_SECRET") or text("SECRET_KEY")


class _NoRedis(Exception):
    """No Redis is configured (a non-Redis Django cache and no `REDIS_URL`)."""


def _client(client: RedisClient | None) -> RedisClient:
    found = client if client is not None else configured_client()
    if found is None:
        raise _NoRedis
    return found


def _store_failure(exc: Exception) -> Failure:
    if isinstance(exc, _NoRedis):
        return failure("phone verification needs Redis: set REDIS_URL (or CACHES = redis_caches())", NOT_CONFIGURED)
    logger.error("phone verification store unavailable (%s)", type(exc).__name__)
    return failure("Verification is unavailable, try again later", UNAVAILABLE, status_code=503)


# The integrations guide's Twilio shortcut; set PHONE_VERIFICATION_SENDER to another dotted path, or to "" for none.
DEFAULT_SENDER = "app_integrations.twilio.shortcuts.send_verification_code"


def _sender(send_code: Sender | None) -> Sender | None:
    if send_code is not None:
        return send_code
    path = text("PHONE_VERIFICATION_SENDER", default=DEFAULT_SENDER)
    if not path:
        return None
    module, _, name = path.rpartition(".")
    found: Sender = getattr(importlib.import_module(module), name)
    return found


def _e164(phone_number: str) -> Mapping[str, Any]:
    return {"success": True, "valid": bool(_E164.fullmatch(phone_number))}


def _new_code() -> str:
    return f"{100000 + secrets.randbelow(900000)}"  # six digits, never a leading zero, as the guide's


def initiate_phone_verification(
    phone_number: str,
    *,
    client_ip: str | None = None,
    send_code: Sender | None = None,
    validate_number: Validator | None = None,
    max_attempts: int = 3,
    window: int = 3600,
    ip_max_sends: int = 10,
    code_ttl: float = CODE_TTL,
    client: RedisClient | None = None,
) -> VerificationStarted | Failure:
    """Step 1: send a fresh code to `phone_number`; `{"success": True, "sms_id": ...}` once the SMS is sent.

    `client_ip` (e.g. `client_ip(request)`) limits sends per address too. Failures: `invalid_argument` (not a
    valid number), `rate_limited` (the number's or the address's sends are used up), `not_configured` (no SMS
    sender or no secret), `unavailable` (Redis down), or the sender's own failure.
    """
    number = str(phone_number or "").strip()
    validation = (validate_number or _e164)(number)
    if not validation.get("valid"):
        return failure("Invalid phone number", INVALID_ARGUMENT)
    sender, secret = _sender(send_code), _secret()
    if sender is None or not secret:
        missing = "SMS sender (PHONE_VERIFICATION_SENDER)" if sender is None else "PHONE_VERIFICATION_SECRET"
        return failure(f"phone verification is not configured: no {missing}", NOT_CONFIGURED)
    try:
        redis_client = _client(client)
        if client_ip is not None:  # first, so a pumping address does not use up its victims' numbers
            by_address = RateLimiter(redis_client, on_error="deny").check(f"pv-ip:{client_ip}", ip_max_sends, window)
            if by_address.backend_error:
                raise ConnectionError("rate limit store unavailable")
            if not by_address.allowed:
                return failure("Too many verification requests", RATE_LIMITED, status_code=429)
        counted = run_script(redis_client, FIXED_WINDOW, [_sends_key(number, window)], [window * 1000])
        if int(counted) >> 32 > max_attempts:
            return failure("Too many verification requests", RATE_LIMITED, status_code=429)
        code = _new_code()
        result = dict(sender(number, code))
        if not result.get("success"):
            return failure(str(result.get("error") or "SMS not sent"), str(result.get("code") or "send_failed"))
        run_script(redis_client, STORE, [_code_key(number)], [_digest(secret, number, code), round(code_ttl * 1000)])
    except (*STORE_ERRORS, _NoRedis) as exc:
        return _store_failure(exc)
    return {"success": True, "sms_id": result.get("sms_id")}


def verify_phone_code(
    phone_number: str, user_code: str, *, window: int = 3600, client: RedisClient | None = None
) -> VerificationChecked | Failure:
    """Step 2: check the code the user entered; `{"success": True, "verified": True}` once, for the right code.

    Failures: `code_expired` ("Code expired or not found", also for a code already used), `invalid_code`,
    `too_many_attempts` (five wrong guesses lock the code until it expires or a new one is sent), `unavailable`.
    `window` is the send window of `initiate_phone_verification`, whose counter a success clears (as the guide).
    """
    number, secret = str(phone_number or "").strip(), _secret()
    if not secret:
        return failure("phone verification is not configured: no secret", NOT_CONFIGURED)
    submitted = _digest(secret, number, str(user_code or "").strip())
    try:
        redis_client = _client(client)
        code_key = _code_key(number)
        answer = run_script(redis_client, GUESS, [code_key], [MAX_GUESSES])
        state = int(answer[0])
        if state == 0:
            return failure("Code expired or not found", CODE_EXPIRED)
        if state < 0:
            return failure("Too many attempts", TOO_MANY_GUESSES, status_code=429)
        stored = answer[1].decode() if isinstance(answer[1], bytes) else str(answer[1])
        if not hmac.compare_digest(stored, submitted):
            return failure("Invalid code", INVALID_CODE)
        if not run_script(redis_client, CONSUME, [code_key, _sends_key(number, window)], [submitted]):
            return failure("Code expired or not found", CODE_EXPIRED)
    except (*STORE_ERRORS, _NoRedis) as exc:
        return _store_failure(exc)
    return {"success": True, "verified": True}


def check_verification_rate_limit(
    phone_number: str, max_attempts: int = 3, window: int = 3600, *, client: RedisClient | None = None
) -> bool:
    """The integrations guide's check: False once `phone_number` has had `max_attempts` codes sent in `window` seconds.

    A read: `initiate_phone_verification` counts (atomically) and enforces the same limit itself, so a race
    between this check and a send cannot exceed it. Redis unreachable: False (fail closed).
    """
    try:
        raw = _client(client).get(_sends_key(str(phone_number or "").strip(), window))
    except (*STORE_ERRORS, _NoRedis) as exc:
        _store_failure(exc)
        return False
    return int(raw or 0) < max_attempts
