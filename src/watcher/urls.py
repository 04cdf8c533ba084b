"""URL hygiene: which links may be followed, and one spelling per article.

Links inside feeds are written by strangers, so they are checked twice: here by scheme
and shape, and again by the fetcher on the address it actually connects to.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Query parameters that identify a campaign or a click, never the article.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "matomo_", "hsa_", "oly_")
_TRACKING_NAMES = frozenset({
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "igshid", "twclid",
    "mkt_tok", "_hsenc", "_hsmi", "ref_src", "cmpid", "ocid", "ito", "smid", "rss",
    "cid", "src", "at_medium", "at_campaign", "wt.mc_id", "ns_mchannel", "ns_source",
})

_CGNAT = ipaddress.ip_network("100.64.0.0/10")


def is_public_address(ip: IPAddress) -> bool:
    """True only for addresses on the public internet.

    Covers the forms that hide an internal address inside another one: IPv4-mapped and
    IPv4-compatible IPv6, 6to4 and Teredo.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in (ip.ipv4_mapped, ip.sixtofour):
            if inner is not None:
                return is_public_address(inner)
        if ip.teredo is not None:
            return all(is_public_address(a) for a in ip.teredo)
        if ip.packed[:12] == bytes(12):     # ::a.b.c.d, deprecated IPv4-compatible form
            return is_public_address(ipaddress.IPv4Address(ip.packed[12:]))
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return False
    return bool(ip.is_global) and not (
        ip.is_multicast or ip.is_unspecified or ip.is_reserved or ip.is_loopback
        or ip.is_link_local or ip.is_private
    )


def link_problem(url: str) -> str | None:
    """Why a link found in a feed must not be followed, judged from the text alone."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'!r} is not http or https"
    if "\\" in url or any(ord(c) < 33 for c in url):
        return "contains backslashes, spaces or control characters"
    if parts.username is not None or parts.password is not None:
        return "carries user info (user@host), a common disguise"
    if not parts.hostname:
        return "has no host"
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return "has a bad port"
    return None


def absolutize(link: str, base: str) -> str:
    return urljoin(base, link.strip())


def canonical_url(url: str) -> str:
    """One spelling for one article: lower-case host, no fragment, no tracking query."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80)
        or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    if ":" in host.split("]")[-1] and not host.startswith("[") and host.count(":") > 1:
        host = f"[{host}]"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not (k.lower().startswith(_TRACKING_PREFIXES) or k.lower() in _TRACKING_NAMES)
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))
