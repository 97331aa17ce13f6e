"""Import runs recorded by the command; large runs keep counts whole and entries bounded."""

import json

import pytest
from django.core.management import call_command

from articles.models import ImportRun

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
