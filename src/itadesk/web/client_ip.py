"""The real address of the client, for the login lockout and the API's throttles.

X-Forwarded-For is written by whoever sends the request, so it is believed only as far as
ITADESK_TRUSTED_PROXIES says (settings.TRUSTED_PROXIES):

- empty (the default): no proxy is trusted; the address is the socket's (REMOTE_ADDR) and
  X-Forwarded-For is ignored, so spoofing it changes nothing;
- a number N: N proxies of ours stand in front of the application, each appending the address it
  saw; the client is the N-th address from the right of REMOTE_ADDR + X-Forwarded-For;
- networks (CIDRs, comma-separated): walking from REMOTE_ADDR leftwards through X-Forwarded-For,
  the first address outside those networks is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> int | tuple[Network, ...]:
    """ITADESK_TRUSTED_PROXIES as a proxy count or a tuple of networks; ValueError if malformed."""
    value = (value or "").strip()
    if not value:
        return 0
    if value.isdigit():
        return int(value)
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:           # [::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:                         # 192.0.2.1:443
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address as a string (REMOTE_ADDR unless trusted proxies say otherwise)."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "") or ""
    trusted = getattr(settings, "TRUSTED_PROXIES", 0)
    if not trusted:
        return remote
    forwarded = [part for part in (meta.get("HTTP_X_FORWARDED_FOR", "") or "").split(",") if part.strip()]
    chain = [*forwarded, remote]
    if isinstance(trusted, int):
        candidate = chain[-(trusted + 1)] if len(chain) > trusted else chain[0]
        found = _address(candidate)
        return str(found) if found else remote
    # Networks: skip our own proxies from the right; the first outsider is the client.
    for hop in reversed(chain):
        found = _address(hop)
        if found is None:
            return remote
        if not any(found in net for net in trusted):
            return str(found)
    found = _address(chain[0])
    return str(found) if found else remote


def axes_client_ip(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: django-axes locks out on the same address as the throttles."""
    return client_ip(request)
