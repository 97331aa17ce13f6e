"""Fetching a URL to import, safely: http(s) only, public addresses only (no SSRF), a timeout, a
size limit and a clear User-Agent; conditional GET for feeds.

Every address the host name resolves to must be public; the connection then goes to the address
that was checked (so a second DNS answer cannot point it elsewhere), and each redirect is checked
the same way. `NEWSREADER_FETCH_ALLOWED_HOSTS` lists hosts (`host` or `host:port`) exempt from the
address check, for local testing.
"""

import ipaddress
import socket
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


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to; ImportFailed if any of them is not a public one."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ImportFailed(f"the host {host!r} cannot be found ({error.strerror})") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            kind = (
                "loopback" if address.is_loopback
                else "link-local" if address.is_link_local
                else "private" if address.is_private
                else "non-public"
            )
            raise ImportFailed(
                f"refused: {host} resolves to {address}, a {kind} address "
                "(allow a host for testing with NEWSREADER_FETCH_ALLOWED_HOSTS)"
            )
        addresses.append(str(address))
    return addresses


def _pool(scheme: str, host: str, port: int):
    timeout = urllib3.Timeout(connect=settings.NEWSREADER_FETCH_TIMEOUT, read=settings.NEWSREADER_FETCH_TIMEOUT)
    allowed = {h.lower() for h in settings.NEWSREADER_FETCH_ALLOWED_HOSTS}
    target = host if host.lower() in allowed or f"{host}:{port}".lower() in allowed else public_addresses(host, port)[0]
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target, port, timeout=timeout, retries=False, server_hostname=host, assert_hostname=host, maxsize=1
        )
    return urllib3.HTTPConnectionPool(target, port, timeout=timeout, retries=False, maxsize=1)


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _ in range(MAX_REDIRECTS + 1):
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
            with _pool(parts.scheme, parts.hostname, port) as pool:
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
