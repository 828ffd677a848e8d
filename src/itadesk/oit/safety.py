"""Where the OIT checker may connect: public addresses only, unless a setting says otherwise.

An evidence register is user input, so every URL in it (and every redirect it leads to) could
point at the server's own network: 127.0.0.1, 10.x, a cloud metadata service at
169.254.169.254, ``[::ffff:10.0.0.1]``. The checker therefore

1. refuses any scheme but http and https;
2. resolves the host with ``socket.getaddrinfo`` in a thread and refuses it when *no* resolved
   address is allowed (IP literals, including odd forms like ``2130706433``, are parsed the
   same way and never reach DNS as names);
3. does this again for every redirect hop; and
4. connects only to an address validated *at connection time* (:class:`SafeNetworkBackend`),
   so a name that resolves to a public address for the check and to a private one a moment
   later (DNS rebinding) is still refused.

``NetworkPolicy.allowed_networks`` lets exactly some networks through (the tests allow only
127.0.0.1/32 for their local server); ``allow_private`` opens private and loopback ranges for
an intranet deployment, but never link-local (metadata services), multicast, reserved or
unspecified addresses.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = ("http", "https")

# Blocking resolver; tests replace it to simulate DNS without touching the network.
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = info[4][0]
        if address not in seen:
            seen.append(address)
    return seen


_resolver: Resolver = system_resolver


def set_resolver(resolver: Resolver | None) -> None:
    """Replace the resolver (tests); ``None`` restores ``socket.getaddrinfo``."""
    global _resolver
    _resolver = resolver or system_resolver


class UnsafeURL(Exception):
    """The URL (or a redirect) leads somewhere the checker must not go; ``str()`` says why in Thai."""


@dataclass(frozen=True)
class NetworkPolicy:
    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = field(default=())

    @classmethod
    def build(cls, allow_private: bool = False, allowed_networks: Iterable[str] = ()) -> "NetworkPolicy":
        return cls(allow_private, tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks))

    def refusal(self, address: IPAddress) -> str | None:
        """Why ``address`` is refused, or None when the checker may connect to it."""
        address = _unwrap(address)
        if any(address.version == n.version and address in n for n in self.allowed_networks):
            return None
        if address.is_unspecified:
            return "ที่อยู่ไม่ระบุ (unspecified)"
        if address.is_multicast:
            return "ที่อยู่ multicast"
        if address.is_link_local:
            return "ที่อยู่ link-local (เช่น บริการ metadata ของคลาวด์)"
        if address.is_loopback:
            return None if self.allow_private else "ที่อยู่ loopback (เครื่องตัวเอง)"
        if address.is_private or _is_shared(address):
            return None if self.allow_private else "ที่อยู่ในเครือข่ายภายใน (private)"
        if address.is_reserved:
            return "ที่อยู่สงวน (reserved)"
        if not address.is_global:
            return None if self.allow_private else "ที่อยู่ที่ไม่ใช่ที่อยู่สาธารณะ"
        return None


_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_shared(address: IPAddress) -> bool:
    return address.version == 4 and address in _SHARED


def _unwrap(address: IPAddress) -> IPAddress:
    """The IPv4 address hidden in an IPv6 one (mapped ::ffff:a.b.c.d, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def parse_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None


def url_host_port(url: str) -> tuple[str, int]:
    """Scheme-checked host and port of ``url``; raises UnsafeURL when they are unusable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeURL("URL ไม่ถูกต้อง") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURL(f"ใช้ได้เฉพาะ http และ https (พบ {scheme or 'ไม่มี'})")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL("URL ไม่มีชื่อโฮสต์")
    return host, port or (443 if scheme == "https" else 80)


async def resolve_allowed(host: str, port: int, policy: NetworkPolicy) -> list[str]:
    """Addresses of ``host`` the policy allows (in resolver order); UnsafeURL when there is none."""
    literal = parse_ip(host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = await asyncio.to_thread(_resolver, host, port)
        except (OSError, UnicodeError) as exc:
            raise UnsafeURL(f"หาที่อยู่ของ {host} ไม่พบ ({exc})") from None
    allowed, reasons = [], []
    for text in addresses:
        address = parse_ip(text)
        reason = "ที่อยู่อ่านไม่ได้" if address is None else policy.refusal(address)
        if reason is None:
            allowed.append(text)
        else:
            reasons.append(f"{text}: {reason}")
    if not allowed:
        detail = "; ".join(reasons) or "ไม่มีที่อยู่"
        raise UnsafeURL(f"ไม่อนุญาตให้เชื่อมต่อ {host} ({detail})")
    return allowed


async def check_url(url: str, policy: NetworkPolicy) -> list[str]:
    """Refuse (UnsafeURL) or return the allowed addresses of the URL's host; no connection is made."""
    host, port = url_host_port(url)
    return await resolve_allowed(host, port, policy)


class SafeNetworkBackend:
    """httpcore network backend that resolves, validates and connects to the validated address.

    Every TCP connection httpx opens goes through ``connect_tcp`` here, so no request can reach
    an address the policy refuses, whatever happened between the check and the connection.
    ``connections`` lists (host, address) of every connection actually attempted.
    """

    def __init__(self, policy: NetworkPolicy, inner=None) -> None:
        import httpcore

        self.policy = policy
        self.inner = inner or httpcore.AnyIOBackend()
        self.connections: list[tuple[str, str]] = []

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = await resolve_allowed(host, port, self.policy)
        except UnsafeURL as exc:
            import httpcore

            raise httpcore.ConnectError(f"refused: {exc}") from None
        address = addresses[0]
        self.connections.append((host, address))
        return await self.inner.connect_tcp(
            address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover
        import httpcore

        raise httpcore.ConnectError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
