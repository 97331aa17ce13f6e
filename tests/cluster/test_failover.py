"""A replica stopped, and started again; a web node killed while the site is busy."""

import os
import signal
import threading
import time

import pytest

from newsreader import cluster as shape

from .conftest import read_from


def health(cluster) -> dict:
    return cluster.reader().get("/healthz?detail=1").json()


def test_healthz_reports_the_primary_and_each_replica(cluster):
    detail = health(cluster)
    assert detail["primary"] == "ok"
    assert [(each["name"], each["state"]) for each in detail["replicas"]] == [("replica_1", "ok"), ("replica_2", "ok")]
    assert all(isinstance(each["lag_seconds"], int | float) for each in detail["replicas"])
    assert cluster.reader().get("/healthz").text == "ok"


def test_reads_move_to_the_primary_while_the_replicas_are_down_and_come_back(cluster, monkeypatch):
    monkeypatch.setenv("NEWSREADER_CLUSTER_DIR", str(cluster.dir))
    reader = cluster.reader()
    reader.sign_up()
    for number in (1, 2):
        shape.stop_replica(number)
    try:
        assert read_from(reader, 20) == {"primary"}
        detail = health(cluster)
        assert detail["primary"] == "ok"
        assert all(each["state"].startswith("down") and each["lag_seconds"] is None for each in detail["replicas"])
        assert reader.get("/healthz").text == "ok"
    finally:
        for number in (1, 2):
            shape.start_replica(number)
    assert [each["state"] for each in health(cluster)["replicas"]] == ["ok", "ok"]
    time.sleep(6)  # past NEWSREADER_REPLICA_RETRY_SECONDS
    assert read_from(reader, 30) & {"replica_1", "replica_2"}


@pytest.mark.breaks_cluster
def test_the_proxy_keeps_serving_when_a_web_node_is_killed(cluster):
    results, stop = [], threading.Event()

    def load():
        reader = cluster.reader()
        while not stop.is_set():
            for path in ["/", "/stories/", "/search/?q=trade"]:
                try:
                    results.append((time.monotonic(), reader.get(path).status_code))
                except OSError as error:
                    results.append((time.monotonic(), repr(error)))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    killed_at = time.monotonic()
    os.killpg(cluster.state["nodes"][0]["pid"], signal.SIGKILL)  # its master and its worker
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join()
    failed = [result for _, result in results if result != 200]
    after = [result for at, result in results if at > killed_at + 3]
    assert len(failed) <= len(threads), failed  # at most those in flight
    assert len(after) > 20 and all(result == 200 for result in after)
    assert len(results) > 100
