"""The one HTTP chokepoint: every byte watcher reads from the network comes through here.

httpcore does the protocol (httpx parses URLs); this module adds what a long-running
watcher of untrusted servers needs and they leave to the caller: a wall-clock deadline
per request (a server trickling one byte a second defeats per-read timeouts), a cap on
*decoded* bytes with our own bounded decompression (httpx inflates a whole gzip member
at once), manual redirects re-checked at each hop, concurrency limits per host,
conditional GET, retries with jittered backoff, and an address check on the socket
actually opened, so a link in a feed cannot reach loopback, the LAN or a cloud metadata
endpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import random
import select
import socket
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from watcher.config import FetchConfig
from watcher.errors import BlockedURLError, FetchError
from watcher.urls import IPAddress, is_public_address, link_problem

Resolver = Callable[[str, int], Awaitable[list[str]]]

_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}
_RETRY_STATUS = {500, 502, 503, 504}
_SHARD_SIZE = 8     # connections per httpcore pool


_DNS_TTL = 60.0
_dns_cache: dict[tuple[str, int], tuple[float, list[str]]] = {}


async def system_resolver(host: str, port: int) -> list[str]:
    """The OS resolver, skipped for IP literals and remembered for a minute.

    The guard checks whatever address this returns, so a cached answer is checked too.
    """
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return [host.strip("[]")]
    now = time.monotonic()
    hit = _dns_cache.get((host, port))
    if hit is not None and hit[0] > now:
        return hit[1]
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos]
    if len(_dns_cache) > 10_000:
        _dns_cache.clear()
    _dns_cache[(host, port)] = (now + _DNS_TTL, addresses)
    return addresses


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself, checks every address, and connects to a checked one.

    Connecting to the address that was checked (rather than handing the name back to
    the OS) is what defeats DNS rebinding. TLS still verifies against the host name,
    which httpcore passes separately to start_tls.
    """

    def __init__(self, *, strict: bool, resolver: Resolver,
                 is_public: Callable[[IPAddress], bool]) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._strict = strict
        self._resolver = resolver
        self._is_public = is_public

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self._resolver(host, port)
        except (OSError, UnicodeError) as e:
            why = getattr(e, "strerror", None) or str(e) or type(e).__name__
            raise httpcore.ConnectError(f"cannot resolve host {host} ({why})") from e
        if not addresses:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        if self._strict:
            for a in addresses:
                ip = ipaddress.ip_address(a.split("%")[0])
                if not self._is_public(ip):
                    raise BlockedURLError(
                        f"http://{host}:{port}/", f"{host} resolves to non-public address {ip}")
        last: Exception | None = None
        for a in addresses:
            try:
                return _Stream(await self._inner.connect_tcp(
                    a, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                last = e
        assert last is not None
        raise last

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _Stream(httpcore.AsyncNetworkStream):
    """A connection's stream whose socket and peer are looked up once.

    httpcore asks whether every idle connection of a pool is readable before each
    request, and again when each response closes; anyio answers each such question by
    building a dict of attributes and calling getpeername(). The socket and the peer of
    a connection never change, so they are kept here.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")
        self._server_addr: Any = inner.get_extra_info("server_addr")
        self._poll: Any = None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return self._readable()
        if info == "socket":
            return self._socket
        if info == "server_addr":
            return self._server_addr
        return self._inner.get_extra_info(info)

    def _readable(self) -> bool:
        """Data or EOF waiting on an idle connection: the server closed it (or sent what
        nobody asked for), so the pool must not reuse it."""
        sock = self._socket
        if sock is None or sock.fileno() < 0:
            return True
        if self._poll is None:
            self._poll = select.poll()
            self._poll.register(sock.fileno(), select.POLLIN)
        return bool(self._poll.poll(0))


@dataclass(slots=True)
class _Budget:
    """Seconds left of one fetch's deadline, shared by its attempts."""

    left: float


@dataclass(frozen=True, slots=True)
class Response:
    url: str                          # after redirects
    status: int
    headers: dict[str, str]           # lower-case names
    body: bytes
    elapsed: float
    peer: str | None = None           # the IP actually connected to
    peer_is_public: bool = True       # judged by the fetcher's address policy
    permanent_redirect: str | None = None
    redirects: tuple[str, ...] = field(default=())

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class _Decoder:
    """Bounded decoding of one Content-Encoding (identity, gzip, deflate)."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.limit = limit
        self.url = url
        self.out = bytearray()
        self._z: Any = None
        self._raw_fallback = False
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
            self._raw_fallback = True   # some servers send raw deflate without zlib header
        elif encoding not in ("", "identity"):
            raise FetchError(url, f"unsupported Content-Encoding {encoding!r}", kind="encoding")

    def _room(self) -> int:
        return self.limit - len(self.out) + 1

    def feed(self, chunk: bytes) -> None:
        if self._z is None:
            self.out += chunk[: self._room()]
        else:
            try:
                data = self._z.decompress(chunk, self._room())
            except zlib.error as e:
                if self._raw_fallback and not self.out:
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._raw_fallback = False
                    self.feed(chunk)
                    return
                raise FetchError(self.url, f"corrupt compressed body: {e}",
                                 kind="encoding") from None
            self._raw_fallback = False
            self.out += data
            # max_length leaves the rest in unconsumed_tail; one more call would exceed
            if self._z.unconsumed_tail and len(self.out) <= self.limit:
                self.out += self._z.decompress(self._z.unconsumed_tail, self._room())
        if len(self.out) > self.limit:
            raise FetchError(self.url, f"body larger than max_bytes ({self.limit:,} bytes "
                             "decoded)", kind="too_large")

    def finish(self) -> bytes:
        if self._z is not None:
            try:
                self.out += self._z.flush(self._room())
            except zlib.error as e:
                raise FetchError(self.url, f"corrupt compressed body: {e}",
                                 kind="encoding") from None
            if len(self.out) > self.limit:
                raise FetchError(self.url, "body larger than max_bytes", kind="too_large")
            if not self._z.eof:
                raise FetchError(self.url, "corrupt compressed body: truncated stream",
                                 kind="encoding")
        return bytes(self.out)


class Fetcher:
    """Async HTTP GET with watcher's limits. Use as ``async with Fetcher(cfg) as f``.

    Two connection pools: ``trusted`` for URLs the user configured (a feed may live on
    the LAN), ``guarded`` for links found inside feeds, which may only reach public
    addresses unless the config allows private links.
    """

    def __init__(self, cfg: FetchConfig, *, resolver: Resolver = system_resolver,
                 is_public: Callable[[IPAddress], bool] = is_public_address) -> None:
        self.cfg = cfg
        self.is_public = is_public
        # httpcore's pool scans all its connections on every request, so many small pools
        # (a host always maps to the same one) are faster than one large pool
        shards = max(1, -(-cfg.concurrency // _SHARD_SIZE))
        size = -(-cfg.concurrency // shards)
        ssl_context = httpx.create_ssl_context()
        # httpcore's pools are used directly: httpx's client around them (request and
        # response objects, cookie jar, auth and redirect machinery) cost as much again
        # per request, and watcher handles redirects, decoding and errors itself
        self._timeouts = {"connect": cfg.connect_timeout, "read": cfg.read_timeout,
                          "write": cfg.read_timeout, "pool": cfg.deadline}
        self._headers = [(b"Accept-Encoding", b"gzip, deflate"),
                         (b"Connection", b"keep-alive"),
                         (b"User-Agent", cfg.user_agent.encode("ascii"))]

        def pool(strict: bool) -> httpcore.AsyncConnectionPool:
            backend = _GuardedBackend(strict=strict, resolver=resolver, is_public=is_public)
            return httpcore.AsyncConnectionPool(
                ssl_context=ssl_context, max_connections=size,
                max_keepalive_connections=size, keepalive_expiry=30.0,
                network_backend=backend)

        self._trusted = [pool(False) for _ in range(shards)]
        self._guarded = [pool(not cfg.allow_private_links) for _ in range(shards)]
        self._all = asyncio.Semaphore(cfg.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for c in (*self._trusted, *self._guarded):
            await c.aclose()

    def _pool(self, trusted: bool, url: str) -> httpcore.AsyncConnectionPool:
        shards = self._trusted if trusted else self._guarded
        if len(shards) == 1:
            return shards[0]
        host = urlsplit(url).hostname or ""
        return shards[zlib.crc32(host.encode()) % len(shards)]

    def _public(self, peer: str | None) -> bool:
        if peer is None:
            return True
        try:
            return self.is_public(ipaddress.ip_address(peer.split("%")[0]))
        except ValueError:
            return True

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        try:
            host = urlsplit(url).hostname or ""     # much cheaper than httpx.URL
        except ValueError:
            host = ""
        if not host.isascii():     # one key per host, whichever way its name is spelt
            with contextlib.suppress(httpx.InvalidURL, UnicodeError):
                host = httpx.URL(url).raw_host.decode("ascii")
        sem = self._hosts.get(host)
        if sem is None:
            if len(self._hosts) > 10_000:   # bounded: forget idle hosts
                self._hosts = {h: s for h, s in self._hosts.items() if s.locked()}
            sem = self._hosts[host] = asyncio.Semaphore(self.cfg.per_host)
        return sem

    async def get(self, url: str, *, trusted: bool = False, etag: str | None = None,
                  last_modified: str | None = None, accept: str | None = None) -> Response:
        """GET with retries. Raises FetchError (or BlockedURLError) on any failure.

        A 304 is returned, not raised; so is any 2xx. Other statuses raise FetchError
        with ``status`` and, for 429/503, ``retry_after``.
        """
        # The deadline bounds the whole fetch, retries and their backoff included (a
        # trickling server would otherwise cost it once per attempt); time spent waiting
        # for a connection slot behind other feeds is not this feed's and is not counted.
        budget = _Budget(self.cfg.deadline)
        attempt = 0
        while True:
            try:
                return await self._get_once(url, trusted=trusted, etag=etag,
                                            last_modified=last_modified, accept=accept,
                                            budget=budget)
            except FetchError as e:
                retryable = (e.kind in ("network", "timeout")
                             or (e.status in _RETRY_STATUS and e.retry_after is None))
                delay = self.cfg.backoff * (2 ** attempt) * random.uniform(0.5, 1.5)
                if not retryable or attempt >= self.cfg.retries or delay >= budget.left:
                    raise
                attempt += 1
                began = time.monotonic()
                await asyncio.sleep(delay)
                budget.left -= time.monotonic() - began

    async def _get_once(self, url: str, *, trusted: bool, etag: str | None,
                        last_modified: str | None, accept: str | None,
                        budget: _Budget | None = None) -> Response:
        start = time.monotonic()
        if budget is None:
            budget = _Budget(self.cfg.deadline)
        problem = link_problem(url)
        if problem:
            raise BlockedURLError(url, problem)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        async with self._all, self._host_slot(url):
            began = time.monotonic()
            try:
                async with asyncio.timeout(max(0.0, budget.left)):
                    return await self._follow(url, headers, trusted, start)
            except TimeoutError:
                raise FetchError(url, f"no complete answer within the {self.cfg.deadline:g} s "
                                 "deadline", kind="timeout") from None
            finally:
                budget.left -= time.monotonic() - began

    async def _follow(self, url: str, headers: dict[str, str], trusted: bool,
                      start: float) -> Response:
        conditional = "If-None-Match" in headers or "If-Modified-Since" in headers
        hops: list[str] = []
        permanent = True
        current = url
        while True:
            status, resp_headers, body, peer = await self._request(
                self._pool(trusted, current), current, headers)
            if status in _REDIRECTS and "location" in resp_headers:
                if len(hops) >= self.cfg.max_redirects:
                    raise FetchError(url, f"more than {self.cfg.max_redirects} redirects",
                                     kind="redirects")
                try:
                    target = str(httpx.URL(current).join(resp_headers["location"].strip()))
                except (httpx.InvalidURL, ValueError):
                    raise BlockedURLError(url, "redirect to an unusable URL refused (invalid "
                                          "URL in location header)") from None
                problem = redirect_problem(current, target)
                if problem:
                    raise BlockedURLError(target, problem)
                if target in hops or target == url:
                    raise FetchError(url, "redirect loop", kind="redirects")
                if trusted and self._public(peer):
                    # a configured feed on a public host may not send us into the LAN:
                    # later hops go through the guarded pools, checked on connect
                    trusted = False
                permanent = permanent and status in _PERMANENT
                hops.append(target)
                current = target
                continue
            result = Response(
                url=current, status=status, headers=resp_headers, body=body,
                elapsed=time.monotonic() - start, peer=peer,
                peer_is_public=self._public(peer),
                permanent_redirect=current if hops and permanent else None,
                redirects=tuple(hops),
            )
            if status == 304 and not conditional:
                raise FetchError(url, "HTTP 304 to a request that was not conditional",
                                 status=304, kind="status")
            if status == 304 or 200 <= status < 300:
                return result
            retry_after = retry_after_seconds(resp_headers.get("retry-after"))
            raise FetchError(url, f"HTTP {status}", status=status,
                             retry_after=retry_after if status in (429, 503) else None,
                             kind="status")

    def _build(self, url: str, headers: dict[str, str]) -> httpcore.Request:
        """The request as httpx would build it: Host from the URL, the client's headers,
        then this request's; header values must be ASCII."""
        parsed = httpx.URL(url)
        raw = [(b"Host", parsed.netloc)]
        own = [(k.encode("ascii"), v.encode("ascii")) for k, v in headers.items()]
        if "Accept" not in headers:
            raw.append((b"Accept", b"*/*"))
        raw += self._headers
        raw += own
        return httpcore.Request(
            "GET", httpcore.URL(scheme=parsed.raw_scheme, host=parsed.raw_host,
                                port=parsed.port, target=parsed.raw_path),
            headers=raw, extensions={"timeout": self._timeouts})

    async def _request(self, pool: httpcore.AsyncConnectionPool, url: str,
                       headers: dict[str, str],
                       ) -> tuple[int, dict[str, str], bytes, str | None]:
        try:
            request = self._build(url, headers)
        except (httpx.InvalidURL, ValueError) as e:
            raise BlockedURLError(url, f"not a usable URL: {e}") from None
        try:
            response = await pool.handle_async_request(request)
        except BlockedURLError as e:
            raise BlockedURLError(url, e.reason) from None
        except httpcore.TimeoutException as e:
            raise FetchError(url, f"timed out ({type(e).__name__})", kind="timeout") from None
        except _TRANSPORT_ERRORS as e:
            raise FetchError(url, f"network error: {e or type(e).__name__}") from None
        try:
            peer = _peer(response)
            resp_headers = _headers(response.headers)
            if response.status in _REDIRECTS or response.status == 304 or \
                    response.status >= 400:
                await _drain(response)
                return response.status, resp_headers, b"", peer
            body = await self._read_body(response, url, resp_headers)
            return response.status, resp_headers, body, peer
        except httpcore.TimeoutException as e:
            raise FetchError(url, f"timed out reading body ({type(e).__name__})",
                             kind="timeout") from None
        except _TRANSPORT_ERRORS as e:
            raise FetchError(url, f"network error reading body: {e or type(e).__name__}"
                             ) from None
        finally:
            await response.aclose()

    async def _read_body(self, response: httpcore.Response, url: str,
                         headers: dict[str, str]) -> bytes:
        limit = self.cfg.max_bytes
        length = headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > limit * 4 + 1024:
            # compressed bodies can legitimately be larger than nothing, but never 4x the cap
            raise FetchError(url, f"Content-Length {int(length):,} over max_bytes",
                             kind="too_large")
        encodings = [e.strip().lower() for e in headers.get("content-encoding", "").split(",")
                     if e.strip() and e.strip().lower() != "identity"]
        if len(encodings) > 1:
            raise FetchError(url, f"stacked Content-Encoding {headers['content-encoding']!r} "
                             "refused", kind="encoding")
        decoder = _Decoder(encodings[0] if encodings else "", limit, url)
        wire = 0
        async for chunk in response.aiter_stream():
            wire += len(chunk)
            if wire > limit * 4 + 1024:
                raise FetchError(url, "body on the wire over max_bytes", kind="too_large")
            decoder.feed(chunk)
        return decoder.finish()


# What httpcore raises for a failed exchange, besides its timeouts (httpx's
# TransportError wraps the same, under the same names).
_TRANSPORT_ERRORS = (httpcore.NetworkError, httpcore.ProtocolError,
                     httpcore.UnsupportedProtocol, httpcore.ProxyError)


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Response headers by lower-case name, as httpx reads them: one encoding for all
    (ASCII, else UTF-8, else Latin-1), and a repeated header's values joined by ", "."""
    encoding = "iso-8859-1"
    for candidate in ("ascii", "utf-8"):
        try:
            for k, v in raw:
                k.decode(candidate)
                v.decode(candidate)
        except UnicodeDecodeError:
            continue
        encoding = candidate
        break
    out: dict[str, str] = {}
    for k, v in raw:
        key, value = k.decode(encoding).lower(), v.decode(encoding)
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def redirect_problem(current: str, target: str) -> str | None:
    """Why a redirect from ``current`` to ``target`` must not be followed."""
    problem = link_problem(target)
    if problem:
        return f"redirect refused: {problem}"
    if current.lower().startswith("https:") and target.lower().startswith("http:"):
        return "redirect from https to http refused"
    return None


async def _drain(response: httpcore.Response, limit: int = 64 * 1024) -> None:
    """Read a small unwanted body to its end, so the connection can be reused: closed
    unread, it is dropped, and every 304 would cost a new TCP connection."""
    read = 0
    async for chunk in response.aiter_stream():
        read += len(chunk)
        if read > limit:
            break


def _peer(response: httpcore.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    with contextlib.suppress(Exception):
        addr = stream.get_extra_info("server_addr")
        if addr:
            return str(addr[0])
    return None
