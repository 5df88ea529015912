"""The client address a rate limit is keyed on: `REMOTE_ADDR`, or `X-Forwarded-For` only as told by trusted proxies.

Anyone can send an `X-Forwarded-For` header, so reading it blindly lets a client pick a fresh identity per request
and never be limited (or exhaust someone else's limit). The header is read only when the direct peer
(`REMOTE_ADDR`) is one of the proxies named in `RATE_LIMIT_TRUSTED_PROXIES` (addresses or networks); it is then
walked from the right, skipping trusted proxies, and the first address not trusted is the client. Entries
left of that one were written by the client and are ignored.

IPv6 clients are keyed by their /64 network (`ip_key`): one subscriber usually holds a whole /64 and could
otherwise rotate addresses within it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from ..settings import setting

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "unknown"


def trusted_networks(proxies: Iterable[str] | str | None = None) -> list[Network]:
    """`proxies` (default: the `RATE_LIMIT_TRUSTED_PROXIES` setting; a list or a comma-separated string) parsed."""
    value = setting("RATE_LIMIT_TRUSTED_PROXIES", proxies, ())
    items = value.split(",") if isinstance(value, str) else list(value)
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def _parse(value: str) -> Address | None:
    candidate = value.strip()
    if candidate.startswith("[") and "]" in candidate:  # [v6]:port
        candidate = candidate[1 : candidate.index("]")]
    elif candidate.count(":") == 1:  # v4:port
        candidate = candidate.split(":", 1)[0]
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        return None


def client_ip(request: Any, trusted_proxies: Iterable[str] | str | None = None) -> str:
    """The client's address for `request` (a Django `HttpRequest`), or `"unknown"` when there is none."""
    peer = _parse(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None:
        return UNKNOWN
    networks = trusted_networks(trusted_proxies)

    def trusted(address: Address) -> bool:
        return any(address.version == network.version and address in network for network in networks)

    if not networks or not trusted(peer):
        return str(peer)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    client = peer
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:  # garbage in a hop: the last address we could trust reported it
            break
        client = address
        if not trusted(address):
            break
    return str(client)


def ip_key(address: str) -> str:
    """The rate-limit key of an address: the address for IPv4, its /64 network for IPv6."""
    parsed = _parse(address)
    if parsed is None:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
