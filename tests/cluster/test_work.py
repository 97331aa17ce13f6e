"""Queued work: an admin import too large to run while the page waits goes to the worker, which
finds everything the request queued it with (it reads the primary)."""

import json
import time
import uuid

from .conftest import SETTINGS


def test_a_queued_import_runs_and_its_run_record_is_complete(cluster, admin):
    marker = uuid.uuid4().hex[:8]
    articles = [{"title": f"Queued report {marker} {n}", "access": "free",
                 "body": f"Paragraph {n} of a report from the harbour talks. " * 12} for n in range(40)]
    document = json.dumps(articles).encode()
    assert len(document) > int(SETTINGS["NEWSREADER_IMPORT_INLINE_BYTES"])
    response = admin.post("/admin/articles/article/import/", {"access": "free"},
                          files={"files": (f"queued-{marker}.json", document, "application/json")})
    assert response.status_code == 200
    deadline = time.monotonic() + 90
    while True:
        run = cluster.primary("SELECT status, finished_at IS NOT NULL, created_count, failed_count, host, pid, report "
                              "FROM articles_importrun WHERE inputs::text LIKE %s", f"%queued-{marker}.json%")
        assert len(run) == 1
        if run[0][0] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, run
        time.sleep(0.5)
    status, finished, created, failed, host, pid, report = run[0]
    assert (status, finished, created, failed) == ("done", True, 40, 0)
    assert host and pid
    assert sorted(entry["slug"] for entry in report["created"]) == sorted(
        slug for (slug,) in cluster.primary("SELECT slug FROM articles_article WHERE title LIKE %s", f"Queued report {marker} %"))
    # The admin sees the articles (the worker's change reaches the nodes within the bound).
    deadline = time.monotonic() + 5
    while f"Queued report {marker}" not in admin.get("/").text:
        assert time.monotonic() < deadline
        time.sleep(0.2)
