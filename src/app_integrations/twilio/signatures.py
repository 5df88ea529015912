"""`X-Twilio-Signature`: compute and validate the signature Twilio puts on status callbacks and webhooks.

The signed text is the full URL Twilio requested (query string included), followed, for a form body, by every
parameter name in sorted order, each followed by its values in sorted order (names and values de-duplicated, as
twilio-python's `RequestValidator` does). The signature is the base64 HMAC-SHA1 of that text keyed with the auth
token (or the signing key the Webhooks configuration API manages). A JSON body is not signed as parameters: its
URL carries `bodySHA256=<hex SHA-256 of the raw body>`, which is checked against the body itself.

Validation tries the URL as given, with the scheme's default port added and with it removed (Twilio signs whichever
the callback URL spelled), compares in constant time, and accepts several keys while one is being rotated.
There is no timestamp in the scheme, so a replay verifies: receivers must make processing idempotent.

Webhooks signed with a Twilio SharedKey say so in `X-Twilio-Webhooks-Signature-Settings`
(`key=<id>,algorithm=HMAC_SHA256`): the key is then the SharedKey secret and the HMAC may be SHA-256
(`signature_algorithm` reads the header; a missing one means the auth token's HMAC-SHA1).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from ..webhooks import WebhookRequest, WebhookVerificationError

DEFAULT_PORTS = {"https": 443, "http": 80}
HMAC_SHA1 = "HMAC_SHA1"
HMAC_SHA256 = "HMAC_SHA256"
ALGORITHMS = {HMAC_SHA1: hashlib.sha1, HMAC_SHA256: hashlib.sha256}
SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"
Params = Mapping[str, Any]


def signature_algorithm(settings_header: str | None) -> str:
    """The algorithm `X-Twilio-Webhooks-Signature-Settings` names (`HMAC_SHA1` when it names none)."""
    for part in (settings_header or "").split(","):
        name, separator, value = part.partition("=")
        if separator and name.strip() == "algorithm" and value.strip():
            return value.strip().upper()
    return HMAC_SHA1


def _values(params: Any, name: str) -> list[str]:
    """Every value of `name`: `getlist` (Django `QueryDict`, Starlette), `getall` (Werkzeug), a list, or one."""
    for method in ("getlist", "getall"):
        getter = getattr(params, method, None)
        if callable(getter):
            return [str(v) for v in getter(name)]
    value = params[name]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def signed_text(url: str, params: Params | None) -> str:
    """The text that is signed: the URL, then each sorted name followed by its sorted values."""
    parts = [url]
    for name in sorted(set(params or {})):
        for value in sorted(set(_values(params, name))):
            parts.append(name)
            parts.append(value)
    return "".join(parts)


def compute_signature(url: str, params: Params | None, auth_token: str, algorithm: str = HMAC_SHA1) -> str:
    """The `X-Twilio-Signature` value for a request to `url` with form `params` (None or `{}` for JSON bodies).

    Raises `ValueError` for an algorithm other than `HMAC_SHA1` and `HMAC_SHA256`.
    """
    digest = ALGORITHMS.get(algorithm.upper())
    if digest is None:
        raise ValueError(f"unsupported signature algorithm {algorithm!r}")
    mac = hmac.new(auth_token.encode("utf-8"), signed_text(url, params).encode("utf-8"), digest)
    return base64.b64encode(mac.digest()).decode("ascii")


def body_hash(body: bytes | str) -> str:
    """The hex SHA-256 Twilio puts in `bodySHA256` for a JSON body."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return hashlib.sha256(raw).hexdigest()


def url_variants(url: str) -> list[str]:
    """`url` as given, with its scheme's default port added, and with that default port removed."""
    parts = urlsplit(url)
    default = DEFAULT_PORTS.get(parts.scheme.lower())
    variants = [url]
    if default is None or parts.hostname is None:
        return variants
    try:
        port = parts.port
    except ValueError:
        return variants
    host = parts.netloc.rsplit("@", 1)[-1]
    userinfo = parts.netloc[: len(parts.netloc) - len(host)]
    bare = host.rsplit(":", 1)[0] if port is not None else host
    if port is None:
        variants.append(urlunsplit(parts._replace(netloc=f"{userinfo}{bare}:{default}")))
    elif port == default:
        variants.append(urlunsplit(parts._replace(netloc=f"{userinfo}{bare}")))
    return variants


def _body_sha(url: str) -> str | None:
    for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if name == "bodySHA256":
            return value
    return None


def validate_signature(
    url: str,
    params: Params | None,
    signature: str | None,
    auth_tokens: str | Iterable[str],
    *,
    body: bytes | str | None = None,
    algorithm: str | None = None,
) -> bool:
    """Whether `signature` is Twilio's for a request to `url` with form `params`, under any of `auth_tokens`.

    For a JSON body pass the raw `body` (and `params=None`): the URL's `bodySHA256` must match it. `algorithm` is
    `signature_algorithm(<X-Twilio-Webhooks-Signature-Settings>)`, HMAC-SHA1 when None. A missing or empty
    signature, an empty token, an unknown algorithm, or a `bodySHA256` without the body are all False, never an
    exception.
    """
    algorithm = (algorithm or HMAC_SHA1).upper()
    if not isinstance(signature, str) or not signature or algorithm not in ALGORITHMS:
        return False
    tokens = [auth_tokens] if isinstance(auth_tokens, str) else [t for t in auth_tokens if isinstance(t, str)]
    tokens = [token for token in tokens if token]
    if not tokens:
        return False
    expected_hash = _body_sha(url)
    if expected_hash is not None:
        if body is None or not hmac.compare_digest(body_hash(body), expected_hash.lower()):
            return False
        params = None
    given = signature.encode("ascii", "replace")
    valid = False
    for token in tokens:
        for candidate in url_variants(url):
            # Every comparison runs, so the time taken does not tell which key or URL form came close.
            expected = compute_signature(candidate, params, token, algorithm).encode("ascii")
            valid |= hmac.compare_digest(expected, given)
    return valid


class RequestValidator:
    """The interface of twilio-python's `RequestValidator`, on this module's functions (safer at the edges).

    `validate(uri, params, signature)` takes the form mapping, or for a JSON body the raw body string as `params`;
    a missing signature is False (twilio-python raises `TypeError`), and a dict passed with a `bodySHA256` URL is
    False rather than skipping the body check.
    """

    def __init__(self, token: str | Sequence[str]) -> None:
        self._tokens = [token] if isinstance(token, str) else list(token)

    def __repr__(self) -> str:
        return f"RequestValidator(tokens={len(self._tokens)})"

    def compute_signature(self, uri: str, params: Params | None, algorithm: str | None = None) -> str:
        """The signature under the first token."""
        return compute_signature(uri, params, self._tokens[0], algorithm or HMAC_SHA1)

    def compute_hash(self, body: str | bytes) -> str:
        """The hex SHA-256 for `bodySHA256`."""
        return body_hash(body)

    def validate(
        self, uri: str, params: Params | str | bytes | None, signature: str | None, algorithm: str | None = None
    ) -> bool:
        """Whether `signature` matches; `params` is the form mapping or the raw JSON body."""
        if isinstance(params, str | bytes):
            return validate_signature(uri, None, signature, self._tokens, body=params, algorithm=algorithm)
        return validate_signature(uri, params, signature, self._tokens, algorithm=algorithm)


SIGNATURE_HEADER = "X-Twilio-Signature"


def verify_request(request: WebhookRequest, secrets: Sequence[str]) -> dict[str, Any]:
    """`validate_signature` in the shape every provider's verifier has (see `app_integrations.webhooks`): the
    callback's fields (form fields, or a JSON body's object), or `WebhookVerificationError`."""
    signature = request.header(SIGNATURE_HEADER)
    algorithm = signature_algorithm(request.header(SETTINGS_HEADER))
    body = request.body if request.form is None else None
    if not validate_signature(request.url, request.form, signature, secrets, body=body, algorithm=algorithm):
        raise WebhookVerificationError("missing X-Twilio-Signature" if not signature else "no matching signature")
    if request.form is not None:
        return {name: request.form.get(name) for name in request.form}
    try:
        fields = json.loads(request.body)
    except (ValueError, RecursionError):
        raise WebhookVerificationError("body is not JSON") from None
    if not isinstance(fields, dict):
        raise WebhookVerificationError("body is not a JSON object")
    return fields
