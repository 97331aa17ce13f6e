"""Fetching a URL to import, safely: http(s) only, public addresses only (no SSRF), a timeout, an
overall deadline, a size limit and a clear User-Agent; conditional GET for feeds.

Every address the host name resolves to must be public, and so must an IPv4 address an IPv6 one
carries (NAT64, 6to4, Teredo, IPv4-mapped and -compatible forms reach it); the connection then goes
to the address that was checked (so a second DNS answer cannot point it elsewhere), and each
redirect is checked the same way. `NEWSREADER_FETCH_ALLOWED_HOSTS` lists hosts (`host` or
`host:port`) exempt from the address check, for local testing.

The timeout holds between bytes; the deadline (`NEWSREADER_FETCH_DEADLINE`) holds for the whole
fetch, redirects included, so that a server trickling a byte at a time cannot hold the request or
worker doing it: when it passes, the connection is shut down under the read.
"""

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

from .parsed import ImportFailed

USER_AGENT = "newsreader/0.1 (self-hosted news reader; article import)"
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


@dataclass
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when a conditional GET found nothing new
    content: bytes = b""
    charset: str | None = None
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""


def is_url(name: str) -> bool:
    return "://" in name


# IPv6 prefixes whose last 32 bits are an IPv4 address that the network reaches through them.
NAT64 = [ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48")]
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # ::a.b.c.d (deprecated, still routed by some stacks)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: mapped, 6to4, Teredo (server and client), NAT64
    and IPv4-compatible."""
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if any(address in network for network in NAT64) or (address in IPV4_COMPATIBLE and int(address) > 1):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [one for one in found if one is not None]


def refusal(address) -> str | None:
    """Why an address is not a public one, or None."""
    if address.is_global and not address.is_multicast:
        return None
    return (
        "loopback" if address.is_loopback
        else "link-local" if address.is_link_local
        else "private" if address.is_private
        else "non-public"
    )


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to; ImportFailed if any of them is not a public one, or
    carries an IPv4 address that is not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ImportFailed(f"the host {host!r} cannot be found ({error.strerror})") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        carried = embedded_ipv4(address) if address.version == 6 else []
        for checked in [*carried, address]:  # the carried address first: the more telling reason
            if kind := refusal(checked):
                what = f"{address}, a {kind} address" if checked is address else f"{address}, which carries {checked}, a {kind} address"
                raise ImportFailed(
                    f"refused: {host} resolves to {what} "
                    "(allow a host for testing with NEWSREADER_FETCH_ALLOWED_HOSTS)"
                )
        addresses.append(str(address))
    return addresses


@dataclass
class Deadline:
    """When something must be over (a `time.monotonic()` value): `seconds` from when it was set,
    by `setting`, both named in the message when it passes."""

    at: float
    seconds: float
    setting: str

    @classmethod
    def after(cls, seconds: float, setting: str) -> "Deadline":
        return cls(time.monotonic() + seconds, seconds, setting)

    def failure(self, what: str) -> ImportFailed:
        return ImportFailed(f"{what} ran past the {self.seconds:g} s allowed ({self.setting})")

    def left(self) -> float:
        return max(0.0, self.at - time.monotonic())


class Watchdog:
    """Shuts down the connections of one fetch when its deadline passes, so that a blocked read
    (each byte inside the timeout, and never the last) returns at once."""

    def __init__(self, deadline: Deadline):
        self.deadline, self.expired = deadline, False
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(deadline.left(), self.expire)
        self.timer.daemon = True

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                shut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                shut(sock)


def shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # not close(): the reading thread still holds the descriptor
    except OSError:
        pass  # already closed


class WatchedConnection:
    """A urllib3 connection whose socket its fetch's watchdog can shut down."""

    def __init__(self, *args, watchdog: Watchdog, **kwargs):
        super().__init__(*args, **kwargs)
        self.watchdog = watchdog

    def _new_conn(self):
        sock = super()._new_conn()
        self.watchdog.watch(sock)
        return sock


class WatchedHTTPConnection(WatchedConnection, urllib3.connection.HTTPConnection):
    pass


class WatchedHTTPSConnection(WatchedConnection, urllib3.connection.HTTPSConnection):
    pass


class WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


def _pool(scheme: str, host: str, port: int, watchdog: Watchdog):
    timeout = urllib3.Timeout(
        connect=min(settings.NEWSREADER_FETCH_TIMEOUT, watchdog.deadline.left()), read=settings.NEWSREADER_FETCH_TIMEOUT
    )
    allowed = {h.lower() for h in settings.NEWSREADER_FETCH_ALLOWED_HOSTS}
    target = host if host.lower() in allowed or f"{host}:{port}".lower() in allowed else public_addresses(host, port)[0]
    if scheme == "https":
        return WatchedHTTPSPool(
            target, port, timeout=timeout, retries=False, server_hostname=host, assert_hostname=host, maxsize=1,
            watchdog=watchdog,
        )
    return WatchedHTTPPool(target, port, timeout=timeout, retries=False, maxsize=1, watchdog=watchdog)


def fetch(url: str, *, etag: str = "", last_modified: str = "", deadline: Deadline | None = None) -> Fetched:
    """GET a URL, within NEWSREADER_FETCH_DEADLINE or the caller's `deadline`, whichever is sooner."""
    own = Deadline.after(settings.NEWSREADER_FETCH_DEADLINE, "NEWSREADER_FETCH_DEADLINE")
    with Watchdog(own if deadline is None or own.at <= deadline.at else deadline) as watchdog:
        try:
            fetched = _fetch(url, etag, last_modified, watchdog)
        except ImportFailed:
            if watchdog.expired:  # the shut-down connection, not the server, ended it
                raise watchdog.deadline.failure("fetching it") from None
            raise
        if watchdog.expired:  # a body without a length ends quietly when its connection is shut
            raise watchdog.deadline.failure("fetching it")
        return fetched


def _fetch(url: str, etag: str, last_modified: str, watchdog: Watchdog) -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _ in range(MAX_REDIRECTS + 1):
        if watchdog.expired:
            raise ImportFailed("its deadline passed")  # fetch() says which
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ImportFailed(f"refused: only http and https URLs are fetched, not {parts.scheme or 'this'}:")
        if not parts.hostname:
            raise ImportFailed("the URL has no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise ImportFailed("the URL's port is not a number") from None
        default_port = port == (443 if parts.scheme == "https" else 80)
        host_header = parts.hostname if default_port else f"{parts.hostname}:{port}"
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            with _pool(parts.scheme, parts.hostname, port, watchdog) as pool:
                response = pool.urlopen(
                    "GET", path, headers=headers | {"Host": host_header}, redirect=False, preload_content=False
                )
                try:
                    if response.status in REDIRECT_STATUSES and response.headers.get("Location"):
                        url = urljoin(url, response.headers["Location"])
                        continue
                    return _read(url, response)
                finally:
                    response.release_conn()
        except urllib3.exceptions.HTTPError as error:
            raise ImportFailed(f"fetching it failed ({error.__class__.__name__}: {error})") from None
    raise ImportFailed(f"it redirected more than {MAX_REDIRECTS} times")


def _read(url: str, response) -> Fetched:
    if response.status == 304:
        return Fetched(url=url, status=304)
    if response.status >= 400:
        raise ImportFailed(f"the server answered {response.status} {response.reason or ''}".rstrip())
    limit = settings.NEWSREADER_IMPORT_MAX_BYTES
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ImportFailed(f"it is {int(declared):,} bytes, over the limit of {limit:,} (NEWSREADER_IMPORT_MAX_BYTES)")
    content = bytearray()
    for chunk in response.stream(CHUNK, decode_content=True):
        content += chunk
        if len(content) > limit:
            raise ImportFailed(f"it is over the limit of {limit:,} bytes (NEWSREADER_IMPORT_MAX_BYTES)")
    content_type = response.headers.get("Content-Type", "")
    charset = None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"').lower()
    return Fetched(
        url=url,
        status=response.status,
        content=bytes(content),
        charset=charset,
        content_type=content_type.split(";")[0].strip().lower(),
        etag=response.headers.get("ETag", ""),
        last_modified=response.headers.get("Last-Modified", ""),
    )
