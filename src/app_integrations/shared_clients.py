"""The one client per service that the shortcuts share: made lazily under a lock, rebuilt when settings change,
closed at exit.

A shortcut (`send_sms`, `send_password_reset_email`, ...) used to build a client per call and never close it: a
new connection (and TLS handshake) every time, and an unclosed socket left for the garbage collector. Instead,
`shared(LoopsClient)` returns the process's one `LoopsClient`, whose connection pool keeps connections alive and is
thread-safe (`sdk_runtime.pool`). It is built from the settings in force when first asked for; when a setting
changes (Django's `setting_changed`, which the Django app connects to `reset`), the clients are closed and the next
call builds new ones from the new settings. Code that changes settings by other means (the environment) calls
`reset()` itself. Every shared client is closed when the interpreter exits.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any, Protocol, TypeVar


class _Closable(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=_Closable)

_lock = threading.Lock()
_clients: dict[type[Any], Any] = {}


def shared(client_class: type[C]) -> C:
    """The shared instance of `client_class` (constructed with no arguments: everything from settings)."""
    client = _clients.get(client_class)
    if client is None:
        with _lock:
            client = _clients.get(client_class)
            if client is None:
                client = client_class()
                _clients[client_class] = client
    found: C = client
    return found


def reset(**_signal_arguments: Any) -> None:
    """Close every shared client; the next `shared()` builds a new one from the settings then in force.

    Connected to Django's `setting_changed` by the Django app (hence the signal's keyword arguments).
    """
    with _lock:
        closing = list(_clients.values())
        _clients.clear()
    for client in closing:
        client.close()


atexit.register(reset)
