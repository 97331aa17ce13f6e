"""Import runs recorded by the command; large runs keep counts whole and entries bounded."""

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.importing import runs
from articles.management.commands import import_articles
from articles.models import ImportRun

from .factories import make_user

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def test_the_command_records_its_run_keeping_whole_counts_and_a_bounded_report(tmp_path, settings, capsys):
    settings.NEWSREADER_IMPORT_RUN_ENTRIES = 2
    for n in range(5):
        (tmp_path / f"{n}.txt").write_text(f"Article {n}\n\nText {n}.\n")
    call_command("import_articles", str(tmp_path))
    assert capsys.readouterr().out.strip() == "5 created, 0 updated, 0 unchanged, 0 failed"
    run = ImportRun.objects.get()
    assert (run.channel, run.status, run.created_count, run.inputs) == ("command", "done", 5, [str(tmp_path)])
    assert [entry["title"] for entry in run.report["created"]] == ["Article 0", "Article 1"]

    call_command("import_articles", "--json", str(tmp_path))
    assert len(json.loads(capsys.readouterr().out)["unchanged"]) == 5  # --json lists every entry


def test_a_dry_run_of_the_command_records_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nText.\n")
    call_command("import_articles", "--dry-run", str(tmp_path))
    assert not ImportRun.objects.exists()


def test_a_run_whose_process_is_gone_or_silent_is_ended_as_failed_and_a_live_one_is_not(settings):
    settings.NEWSREADER_IMPORT_STALE_SECONDS = 600
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    here, long_ago = socket.gethostname(), timezone.now() - dt.timedelta(hours=1)
    gone = ImportRun.objects.create(channel="command", host=here, pid=dead.pid, heartbeat_at=timezone.now())
    silent = ImportRun.objects.create(channel="feed", host="another-host", pid=1, heartbeat_at=long_ago)
    alive = ImportRun.objects.create(channel="admin", host=here, pid=os.getpid(), heartbeat_at=timezone.now())
    elsewhere = ImportRun.objects.create(channel="feed", host="another-host", pid=1, heartbeat_at=timezone.now())
    assert runs.end_stale() == 2
    for run in (gone, silent, alive, elsewhere):
        run.refresh_from_db()
    assert (gone.status, silent.status, alive.status, elsewhere.status) == ("failed", "failed", "running", "running")
    assert gone.error == f"its process {dead.pid} on {here} ended before it finished (a crash, a kill or a timeout)"
    assert silent.error.startswith("its process 1 on another-host gave no sign of life for over 600 s")
    assert gone.finished_at is not None


def test_a_run_that_raises_is_ended_as_failed_with_the_reason(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Title\n\nText.\n")

    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(import_articles, "import_inputs", broken)
    with pytest.raises(RuntimeError):
        call_command("import_articles", str(tmp_path))
    run = ImportRun.objects.get()
    assert (run.status, run.error) == ("failed", "it stopped: RuntimeError: the disk went away")


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_run_ends_as_failed_when_runs_are_listed(client, test_database_url):
    """A real importing process, stalled on a URL whose server never answers, is killed with
    SIGKILL: no code of its own runs, and its run is still ended, with the reason."""
    with socket.create_server(("127.0.0.1", 0)) as silent_server:  # accepts, never answers
        port = silent_server.getsockname()[1]
        environment = os.environ | {
            "DATABASE_URL": test_database_url, "NEWSREADER_FETCH_ALLOWED_HOSTS": f"127.0.0.1:{port}",
            "NEWSREADER_FETCH_TIMEOUT": "60",
        }
        importing = subprocess.Popen(
            [sys.executable, "manage.py", "import_articles", f"http://127.0.0.1:{port}/never"],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not ImportRun.objects.filter(status="running").exists():
                assert importing.poll() is None and time.monotonic() < deadline, importing.stderr.read()
                time.sleep(0.1)
        finally:
            importing.send_signal(signal.SIGKILL)
            importing.wait()
    run = ImportRun.objects.get()
    assert (run.status, run.host, run.pid) == ("running", socket.gethostname(), importing.pid)

    client.force_login(make_user(is_staff=True, is_superuser=True))
    listing = client.get("/admin/articles/importrun/").content.decode()
    run.refresh_from_db()
    assert run.status == "failed" and "ended before it finished" in run.error
    assert "Failed" in listing
    detail = client.get(f"/admin/articles/importrun/{run.pk}/change/").content.decode()
    assert f"This run failed: its process {importing.pid} on" in detail
