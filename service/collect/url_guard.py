"""Which URLs manual intake may fetch: only configured source hosts, never internal addresses (SSRF).

Checked on every request the fetcher makes (redirect hops and robots.txt included), not only on the
URL the analyst typed: a listed host that redirects to 169.254.169.254 is refused at that hop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from service.errors import RefusedError

# Hosts written as numbers (2130706433, 0x7f.1, 127.1) are IP addresses to a resolver, whatever they look like.
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]*))*$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UrlRefused(RefusedError):
    """The URL is not one lokerwatch may fetch."""


def allowed_host(host: str, port: int | None, allow_list: Iterable[str]) -> bool:
    """True when `host` is a listed host or a subdomain of one (m.olx.co.id for olx.co.id).

    A plain entry admits the scheme's default port only; `host:port` admits that one port as well
    (an on-premise mirror). `port` is None when the URL names none.
    """
    host = host.rstrip(".").lower()
    for raw in allow_list:
        entry, _, entry_port = raw.strip().lower().partition(":")
        entry = entry.rstrip(".")
        if not entry or not (host == entry or host.endswith("." + entry)):
            continue
        if port is None or (entry_port and entry_port == str(port)):
            return True
    return False


def check_url(url: str, allow_list: Iterable[str]) -> str:
    """The URL's host if it may be fetched; UrlRefused saying why otherwise. No network access."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UrlRefused(f"not a valid URL: {exc}") from exc
    if parts.scheme not in _DEFAULT_PORTS:
        raise UrlRefused(f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'!r}")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("URLs with a user name or password are not fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UrlRefused("the URL has no host")
    if port == _DEFAULT_PORTS[parts.scheme]:
        port = None
    try:
        ipaddress.ip_address(host)
        raise UrlRefused(f"{host} is an IP address; only configured source hosts are fetched")
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        raise UrlRefused(f"{host} is a numeric address; only configured source hosts are fetched")
    if host == "localhost" or host.endswith(".localhost"):
        raise UrlRefused("localhost is never fetched")
    if not allowed_host(host, port, allow_list):
        where = host if port is None else f"{host}:{port}"
        raise UrlRefused(f"{where} is not a configured source host (LOKERWATCH_INTAKE_SOURCE_HOSTS)")
    return host


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_resolution(host: str, port: int, allow_private: bool) -> None:
    """Refuse a listed host whose name resolves to a private, loopback or link-local address."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UrlRefused(f"{host} does not resolve: {exc}") from exc
    if allow_private:
        return
    for info in infos:
        address = str(info[4][0])
        if not is_public_address(address):
            raise UrlRefused(f"{host} resolves to {address}, an internal address; not fetched")
