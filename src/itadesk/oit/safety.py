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

``NetworkPolicy.allowed_networks`` lets exactly some networks through, optionally on one port
only (the tests allow only 127.0.0.1/32 for their local server; ``127.0.0.1/32:8080`` would allow
that port alone); ``allow_private`` opens private and loopback ranges for
an intranet deployment, but never link-local (metadata services), multicast, reserved or
unspecified addresses.

What a refusal tells the user is only what is wrong ("ที่อยู่นี้อยู่ในเครือข่ายภายใน ไม่ตรวจให้",
"ไม่พบชื่อเว็บไซต์นี้ (DNS)"): never the addresses a name resolved to or the resolver's error,
which would let a user map the server's network. The detail goes to the log
(logger ``itadesk.oit``) and to ``UnsafeURL.detail``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
log = logging.getLogger("itadesk.oit")

INTERNAL = "ที่อยู่นี้อยู่ในเครือข่ายภายใน ไม่ตรวจให้"
NOT_PUBLIC = "ที่อยู่นี้ไม่ใช่ที่อยู่สาธารณะ ไม่ตรวจให้"
NO_SUCH_NAME = "ไม่พบชื่อเว็บไซต์นี้ (DNS)"

ALLOWED_SCHEMES = ("http", "https")

# Blocking resolver; tests replace it to simulate DNS without touching the network.
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


_resolver: Resolver = system_resolver


def set_resolver(resolver: Resolver | None) -> None:
    """Replace the resolver (tests); ``None`` restores ``socket.getaddrinfo``."""
    global _resolver
    _resolver = resolver or system_resolver


class UnsafeURL(Exception):
    """The URL (or a redirect) leads somewhere the checker must not go.

    ``str()`` says why in Thai for the user, without addresses or resolver errors; ``detail`` is
    the full reason for the log."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail or message


# An allowed network, and the one port allowed there (None: any port).
Allowed = tuple[IPNetwork, int | None]
_BRACKETED = re.compile(r"\[([^\]]+)\](/\d+)?(?::(\d+))?")


def parse_allowed(entry: str) -> Allowed:
    """``10.0.0.0/8``, ``127.0.0.1/32:8080``, ``[::1]:8080``, ``[fd00::]/8:443`` or ``fd00::/8``
    (an IPv6 entry with a port needs brackets); ValueError when malformed."""
    entry = entry.strip()
    port = None
    bracketed = _BRACKETED.fullmatch(entry)
    if bracketed:
        network, port = bracketed.group(1) + (bracketed.group(2) or ""), bracketed.group(3)
    elif entry.count(":") == 1:
        network, port = entry.split(":")
    else:
        network = entry
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"port {port!r} is not a port number")
    return ipaddress.ip_network(network, strict=False), int(port) if port else None


@dataclass(frozen=True)
class NetworkPolicy:
    allow_private: bool = False
    allowed_networks: tuple[Allowed, ...] = field(default=())

    @classmethod
    def build(cls, allow_private: bool = False, allowed_networks: Iterable[str] = ()) -> NetworkPolicy:
        return cls(allow_private, tuple(parse_allowed(n) for n in allowed_networks))

    def refusal(self, address: IPAddress, port: int | None = None) -> str | None:
        """Why ``address`` (on ``port``) is refused, for the log, or None when the checker may
        connect to it. An allowed network with a port lets only that port through."""
        address = _unwrap(address)
        if any(address.version == n.version and address in n and (only is None or only == port)
               for n, only in self.allowed_networks):
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
            raise UnsafeURL(NO_SUCH_NAME, f"{host}: {exc}") from None
    allowed, reasons, internal = [], [], False
    for text in addresses:
        address = parse_ip(text)
        reason = "ที่อยู่อ่านไม่ได้" if address is None else policy.refusal(address, port)
        if reason is None:
            allowed.append(text)
        else:
            reasons.append(f"{text}: {reason}")
            internal = internal or (address is not None and _is_internal(_unwrap(address)))
    if not allowed:
        detail = f"ไม่อนุญาตให้เชื่อมต่อ {host}:{port} ({'; '.join(reasons) or 'ไม่มีที่อยู่'})"
        if not reasons:
            raise UnsafeURL(NO_SUCH_NAME, detail)
        raise UnsafeURL(INTERNAL if internal else NOT_PUBLIC, detail)
    return allowed


def _is_internal(address: IPAddress) -> bool:
    return address.is_private or address.is_loopback or address.is_link_local or _is_shared(address)


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

            log.warning("OIT check: connection refused at connect time: %s", exc.detail)
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
