"""/metrics and request ids behind the proxy: haproxy on 127.0.0.1 forwards the world, which must
not pass for this machine; each node is scraped at its own address."""

import http.client
import re
from urllib.parse import urlsplit

import requests

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
# Another machine, as far as the site can tell: a loopback address outside the default allow-list.
ELSEWHERE = "127.0.0.2"


def scrape_from(address: str, url: str, headers: dict | None = None) -> int:
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60, source_address=(address, 0))
    try:
        connection.request("GET", "/metrics", headers=headers or {})
        return connection.getresponse().status
    finally:
        connection.close()


def test_metrics_are_refused_to_the_world_through_the_proxy(cluster):
    assert scrape_from(ELSEWHERE, cluster.url) == 403
    # A client that says it is this machine is still judged by the address the proxy appended.
    assert scrape_from(ELSEWHERE, cluster.url, {"X-Forwarded-For": "127.0.0.1"}) == 403
    assert scrape_from(ELSEWHERE, cluster.node_urls[0]) == 403
    # This machine itself, through the proxy or at a node's own port (where each node is scraped).
    assert scrape_from("127.0.0.1", cluster.url) == 200
    at_node = requests.get(f"{cluster.node_urls[0]}/metrics", timeout=60)
    assert at_node.status_code == 200 and "newsreader_http_requests_total" in at_node.text


def test_the_proxy_gives_each_request_its_id(cluster):
    response = requests.get(f"{cluster.url}/robots.txt", headers={"X-Request-ID": "forged-by-a-client"}, timeout=60)
    assert UUID.fullmatch(response.headers["X-Request-ID"])
