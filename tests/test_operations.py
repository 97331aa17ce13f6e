"""Backups, restore, point-in-time recovery (newsreader/backups.py, restore.py, pitr.py; docs/operations.md).

Each test destroys something and gets it back. They run `manage.py` as a user would, against an
embedded server of their own in a temporary folder (NEWSREADER_PGDATA), never the tests' database,
and stop it whatever happens.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .test_gunicorn_conf import free_port

ROOT = Path(__file__).resolve().parent.parent

# Run by `manage.py shell -c`: what the site holds, table by table, to the byte (every row's text,
# in order), and whether the member signs in with their password.
FINGERPRINT = """
import json
from django.contrib.auth import authenticate
from django.db import connection
from newsreader.dumps import TABLES
with connection.cursor() as cursor:
    cursor.execute(TABLES)
    tables = [name for (name,) in cursor.fetchall() if not name.startswith("public.procrastinate")]
    held = {}
    for table in tables:
        cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t")
        held[table] = cursor.fetchone()
print(json.dumps({"tables": held, "signs_in": authenticate(username="ines", password="tidal-basin-41") is not None}))
"""

# An import, a sign-up (through the page) and a comment.
WRITE = """
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from articles.actions.comments import post_comment
from articles.models import Article
from django.contrib.auth import get_user_model
setup_test_environment()
call_command("import_articles", "seeds/", verbosity=0)
reader = Client()
reader.post("/accounts/signup/", {"username": "ines", "email": "ines@example.org", "password1": "tidal-basin-41", "password2": "tidal-basin-41"})
post_comment(article=Article.objects.order_by("id").first(), user=get_user_model().objects.get(username="ines"), body="Seen from Lima.")
"""


class Site:
    """An embedded server in a folder of its own, driven through manage.py."""

    def __init__(self, folder: Path, **env):
        self.folder = folder
        self.backups = folder / "backups"
        self.env = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "DATABASE_REPLICA_URLS")}
        self.env |= {
            "NEWSREADER_PGDATA": str(folder / "pg"),
            "NEWSREADER_BACKUP_DIR": str(self.backups),
            "NEWSREADER_HTTPS": "0",
            "DEBUG": "0",
            "NEWSREADER_IMPORT_WORKERS": "0",
        } | env

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).stdout

    def fingerprint(self) -> dict:
        return json.loads(self.shell(FINGERPRINT).strip().splitlines()[-1])

    def stop(self) -> None:
        """pg_ctl's fast shutdown; else the same signal to the server's process itself."""
        stopping = "from newsreader import embedded; embedded.stop()"
        subprocess.run([sys.executable, "-c", stopping], cwd=ROOT, env=self.env, capture_output=True, timeout=120)
        pid = self.folder / "pg" / "postmaster.pid"
        if pid.exists():
            os.kill(int(pid.read_text().split()[0]), signal.SIGINT)


def private_folder() -> Path:
    """A folder outside pytest's, which other test runs on the machine make root's alone again
    (the server runs as a user of its own, and must reach its data)."""
    return Path(tempfile.mkdtemp(prefix="newsreader-ops-"))


@pytest.fixture
def own_folder():
    folder = private_folder()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def site():
    """A migrated site with an import, a member and a comment, archiving its WAL."""
    folder = private_folder()
    site = Site(folder, NEWSREADER_WAL_ARCHIVE=str(folder / "wal"))
    try:
        site.manage("migrate", "--noinput", "--verbosity", "0")
        site.shell(WRITE)
        yield site
    finally:
        site.stop()
        shutil.rmtree(folder, ignore_errors=True)


def rows(fingerprint: dict, table: str) -> int:
    return fingerprint["tables"][table][0]


def test_a_backup_is_verified_its_path_printed_last_and_the_folder_keeps_the_newest(site):
    chosen = site.folder / "chosen.dump"
    assert site.manage("backup", "--output", str(chosen)).stdout.strip().splitlines()[-1] == str(chosen)
    assert chosen.stat().st_size > 10_000
    site.env["NEWSREADER_BACKUP_KEEP"] = "1"
    try:
        first, second = (Path(site.manage("backup").stdout.strip().splitlines()[-1]) for _ in range(2))
    finally:
        del site.env["NEWSREADER_BACKUP_KEEP"]
    assert first.parent == site.backups and first.name.startswith("newsreader-") and first.name < second.name
    assert list(site.backups.glob("newsreader-*")) == [second] and chosen.exists()


def test_restore_without_yes_says_what_it_replaces_and_changes_nothing(site):
    backup = site.manage("backup").stdout.strip().splitlines()[-1]
    site.shell("from articles.models import Comment; Comment.objects.all().delete()")
    before = site.fingerprint()
    result = site.manage("restore", backup, check=False)
    assert result.returncode == 2
    assert "articles" in result.stderr and backup in result.stderr and "--yes" in result.stderr
    assert site.fingerprint() == before
    assert site.manage("restore", str(site.folder / "no-such.dump"), check=False).returncode == 2
    site.manage("restore", backup, "--yes")  # the comment back for the tests after


def test_a_damaged_backup_is_refused_and_the_site_is_left_as_it_was(site):
    backup = Path(site.manage("backup").stdout.strip().splitlines()[-1])
    before = site.fingerprint()
    damaged = site.folder / "damaged.dump"
    damaged.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    result = site.manage("restore", str(damaged), "--yes", check=False)
    assert result.returncode == 1 and "pg_restore" in result.stderr
    assert site.fingerprint() == before  # and the database answers again


def serve(site: Site):
    """gunicorn as `make run` serves (DEBUG off: the 503 page, not Django's traceback)."""
    site.manage("collectstatic", "--noinput", "--verbosity", "0")
    port = free_port()
    server = subprocess.Popen(
        [
            Path(sys.executable).parent / "gunicorn",
            "newsreader.wsgi",
            "--config",
            "newsreader/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            os.devnull,
            "--error-logfile",
            str(site.folder / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=site.env | {"WEB_CONCURRENCY": "1", "SECRET_KEY": "operations-test", "NEWSREADER_PAGE_CACHE_SECONDS": "0"},
    )
    return server, f"http://127.0.0.1:{port}"


def status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After", "")


def test_restore_while_the_site_serves_brings_back_every_byte(site):
    """Back up; delete articles and the member; restore while gunicorn serves: 503 with Retry-After
    during it, never an error; then everything back, the member signing in with their password."""
    saved = site.fingerprint()
    assert saved["signs_in"] and rows(saved, "public.articles_comment") == 1 and rows(saved, "public.articles_article") > 5
    backup = site.manage("backup").stdout.strip().splitlines()[-1]
    site.shell(
        "from articles.models import Article; from django.contrib.auth.models import User\n"
        "Article.objects.filter(id__in=Article.objects.order_by('id').values('id')[:5]).delete()\n"
        "User.objects.filter(username='ines').delete()"
    )
    damaged = site.fingerprint()
    assert not damaged["signs_in"] and rows(damaged, "public.articles_article") == rows(saved, "public.articles_article") - 5

    server, base = serve(site)
    try:
        for _ in range(100):
            try:
                assert status(f"{base}/")[0] == 200
                break
            except OSError:
                time.sleep(0.1)
        answers, restoring = [], threading.Event()

        def ask():
            while not restoring.is_set():
                answers.append(status(f"{base}/countries/"))
            answers.append(status(f"{base}/countries/"))

        asking = threading.Thread(target=ask)
        asking.start()
        try:
            site.manage("restore", backup, "--yes")
        finally:
            restoring.set()
            asking.join(timeout=60)
        codes = {code for code, _ in answers}
        assert codes <= {200, 503} and 503 in codes, codes
        assert all(retry == "30" for code, retry in answers if code == 503)
        assert answers[-1][0] == 200  # back by itself, nothing restarted
        assert site.fingerprint() == saved
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_point_in_time_recovery_goes_back_to_the_mark(site):
    """A base backup; more writes after it (replayed from the archived WAL); a mark; a table's rows
    dropped after the mark; `restore --to` the mark: the site as it was at the mark."""
    site.manage("backup")
    site.shell(
        "from articles.models import Article\nArticle.objects.filter(id=Article.objects.order_by('id').last().id).delete()"
    )
    at_mark = site.fingerprint()
    time.sleep(1)
    mark = site.shell(
        "from django.db import connection\nc = connection.cursor(); c.execute('SELECT now()'); print(c.fetchone()[0].isoformat())"
    )
    time.sleep(1)
    site.shell("from articles.models import Comment; Comment.objects.all().delete()")
    assert rows(site.fingerprint(), "public.articles_comment") == 0
    result = site.manage("restore", "--to", mark.strip(), "--yes")
    assert "kept in" in result.stdout
    assert site.fingerprint() == at_mark
    assert rows(at_mark, "public.articles_comment") == 1


def test_a_data_folder_of_postgresql_16_is_saved_then_upgraded_to_18_by_the_first_process(own_folder):
    """The wheel ships PostgreSQL 16 beside 18: a folder made by 16, opened with 18."""
    old, new = Site(own_folder, PGSERVER_POSTGRES_VERSION="16"), Site(own_folder)
    try:
        old.manage("migrate", "--noinput", "--verbosity", "0")
        old.shell(WRITE)
        before = old.fingerprint()
        assert (own_folder / "pg" / "PG_VERSION").read_text().strip() == "16"
        version = (
            "from django.db import connection\nc = connection.cursor(); c.execute('SHOW server_version'); print(c.fetchone()[0])"
        )
        assert new.shell(version).split(".")[0] == "18"
        assert (own_folder / "pg" / "PG_VERSION").read_text().strip() == "18"
        assert new.fingerprint() == before
        assert before["signs_in"] and rows(before, "public.articles_comment") == 1
        saved = list(own_folder.glob("pg-pg16-*.dump"))
        assert len(saved) == 1 and (own_folder / "pg.pg16" / "PG_VERSION").read_text().strip() == "16"
    finally:
        new.stop()
        old.stop()
