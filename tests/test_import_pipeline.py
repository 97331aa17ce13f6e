"""The pipeline over a folder: in path order, one directory listing at a time."""

import multiprocessing
import os
import zipfile

import pytest
from django.db import connection

from articles.importing import parallel
from articles.importing.pipeline import import_inputs
from articles.models import Article, ArticleCountry

pytestmark = pytest.mark.django_db


def test_a_folder_is_imported_in_path_order_without_hidden_files(tmp_path):
    for name in ["b.txt", "a/z.txt", "a.txt", "a/b/y.txt", ".hidden.txt", "c.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Story From {path.stem.title()}\n\nFirst paragraph.\n\nSecond paragraph.\n")
    report = import_inputs([str(tmp_path)])
    assert [e["input"].removeprefix(f"{tmp_path}/") for e in report.created] == [
        "a/b/y.txt", "a/z.txt", "a.txt", "b.txt", "c.txt",
    ]


def write_folder(folder, count):
    for n in range(count):
        (folder / f"{n:03d}.txt").write_text(f"Story Number {n} From Kenya\n\nNairobi said so.\n\nSecond paragraph.\n")
    (folder / "050-empty.txt").write_text("")
    (folder / "051-binary.txt").write_bytes(b"\x00\x01 not text")
    with zipfile.ZipFile(folder / "052-archive.zip", "w") as archive:  # its members prepared in a worker too
        archive.writestr("a.txt", "From The Archive\n\nKampala said so.\n")
        archive.writestr("b.txt", "")


def test_many_files_are_prepared_in_worker_processes_with_the_report_a_serial_run_makes(tmp_path, settings, monkeypatch):
    write_folder(tmp_path, 12)
    settings.NEWSREADER_IMPORT_WORKERS = 0
    serial = import_inputs([str(tmp_path)], dry_run=True).as_dict()
    settings.NEWSREADER_IMPORT_WORKERS = 2
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 5)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    assert import_inputs([str(tmp_path)], dry_run=True).as_dict() == serial
    report = import_inputs([str(tmp_path)])
    assert report.as_dict() == serial
    assert len(report.created) == 13 and len(report.failed) == 3
    assert ArticleCountry.objects.filter(country_id__in=["ke", "ug"]).count() == 13  # tagged in the workers
    assert not multiprocessing.active_children()  # the workers ended with the import
    assert len(import_inputs([str(tmp_path)]).unchanged) == 13


def test_a_dry_run_does_not_take_an_article_without_a_source_for_one_whose_source_is_new(tmp_path):
    (tmp_path / "a.json").write_text('{"title": "Same Title", "body": "Text."}')
    import_inputs([str(tmp_path / "a.json")])
    (tmp_path / "b.json").write_text('{"title": "Same Title", "body": "Text.", "source": "A New Source"}')
    for dry_run in (True, False):
        assert len(import_inputs([str(tmp_path / "b.json")], dry_run=dry_run).created) == 1
    assert Article.objects.count() == 2


def niceness_after_stepping_aside(results) -> None:
    connection.connection = None  # a connection of its own: the parent's socket stays the parent's
    parallel.step_aside()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    results.put((os.nice(0), os.getpriority(os.PRIO_PROCESS, backend)))
    connection.close()


@pytest.mark.django_db
def test_a_bulk_import_steps_aside_for_readers_with_its_workers_and_its_database_backend(settings):
    settings.NEWSREADER_IMPORT_NICE = 10
    results = multiprocessing.get_context("fork").Queue()
    process = multiprocessing.get_context("fork").Process(target=niceness_after_stepping_aside, args=(results,))
    process.start()
    process.join(timeout=30)
    # A process already lower stays where it is; the test database is the embedded server, on this machine.
    assert results.get(timeout=5) == (max(10, os.nice(0)), max(10, os.nice(0)))
