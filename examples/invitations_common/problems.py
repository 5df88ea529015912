"""Every refusal the example apps answer with: one exception carrying the status, the JSON body and headers.

Bodies are the seed's `{"error": "...", "code": "..."}`. Nothing here ever includes a token, a key or an
exception's own text from a library: messages are fixed or built from the request's own, checked, values.
"""

from __future__ import annotations

from typing import Any

from vault_auth import VaultAuthError
from vault_auth.errors import AuthenticationError, VaultConnectionError
from vortex_sdk import VortexApiError, VortexConflictError, VortexNotFoundError, VortexValidationError


class Problem(Exception):
    """An answer other than success: `status`, `body` (`error`, `code`) and extra `headers`."""

    def __init__(self, status: int, message: str, code: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": message, "code": code}
        self.headers = headers or {}


def bad_request(message: str) -> Problem:
    """400 with the seed's `INVALID_REQUEST` code."""
    return Problem(400, message, "INVALID_REQUEST")


def unauthorized(token_sent: bool) -> Problem:
    """401 with `WWW-Authenticate: Bearer` (and `error="invalid_token"` when a token was sent but refused)."""
    challenge = 'Bearer error="invalid_token"' if token_sent else "Bearer"
    return Problem(401, "Unauthorized", "UNAUTHORIZED", {"WWW-Authenticate": challenge})


def forbidden(message: str = "Forbidden") -> Problem:
    """403: authenticated, but not allowed."""
    return Problem(403, message, "FORBIDDEN")


def from_vault(exc: VaultAuthError) -> Problem:
    """A Vault failure while authenticating the caller: a refused token is 401, an unreachable Vault 503."""
    if isinstance(exc, AuthenticationError):
        return unauthorized(token_sent=True)
    if isinstance(exc, VaultConnectionError):
        return Problem(503, "Authentication is unavailable, try again shortly", "AUTH_UNAVAILABLE")
    return Problem(502, "Authentication failed upstream", "AUTH_UPSTREAM_ERROR")


def from_vortex(exc: VortexApiError) -> Problem:
    """A Vortex failure: what the caller can act on keeps its status; our own trouble with Vortex is a 502/503."""
    if isinstance(exc, VortexNotFoundError):
        return Problem(404, exc.message, "NOT_FOUND")
    if isinstance(exc, VortexConflictError):
        return Problem(409, exc.message, "CONFLICT")
    if isinstance(exc, VortexValidationError):
        return bad_request(exc.message)
    # 401/403 from Vortex mean *our* key is wrong: never tell the caller their token is bad.
    if exc.status_code == 429:
        return Problem(503, "Invitations are busy, try again shortly", "UPSTREAM_BUSY", {"Retry-After": "5"})
    return Problem(502, "The invitations service failed", "UPSTREAM_ERROR")
