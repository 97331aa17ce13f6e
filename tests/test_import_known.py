"""Importing files again: a file that gave a stored article, unchanged, is known by its fingerprint
and not parsed again; anything that could change the article has it prepared and compared."""

import json
import zipfile

import pytest

from articles.importing import formats, known
from articles.importing.pipeline import Defaults, Importer, import_inputs, inputs_from_names
from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def parses(monkeypatch):
    """The inputs parsed from here on, by name."""
    parsed, parse = [], formats.parse

    def counted(fmt, decoded, **options):
        parsed.append(decoded.text.split("\n", 1)[0])
        return parse(fmt, decoded, **options)

    monkeypatch.setattr(formats, "parse", counted)
    return parsed


def write(folder, count, *, say="Nairobi said so."):
    for n in range(count):
        (folder / f"{n:02d}.txt").write_text(f"Story Number {n} From Kenya\n\n{say}\n\nSecond paragraph.\n")


def test_an_unchanged_folder_is_known_without_parsing_and_reported_as_the_first_import_was(tmp_path, parses):
    write(tmp_path, 5)
    first = import_inputs([str(tmp_path)])
    assert len(first.created) == 5 and len(parses) == 5
    again = import_inputs([str(tmp_path)])
    assert len(parses) == 5  # none parsed again
    assert again.counts()["unchanged"] == 5
    keys = ["slug", "input", "title", "where", "author", "published_at", "source", "preview", "stripped_chrome", "link_only"]
    assert [{k: e[k] for k in keys} for e in again.unchanged] == [{k: e[k] for k in keys} for e in first.created]


def test_a_changed_file_is_parsed_and_updated_and_the_rest_stay_known(tmp_path, parses):
    write(tmp_path, 3)
    import_inputs([str(tmp_path)])
    (tmp_path / "01.txt").write_text("Story Number 1 From Kenya\n\nMombasa said so.\n\nSecond paragraph.\n")
    report = import_inputs([str(tmp_path)])
    assert parses[3:] == ["Story Number 1 From Kenya"]
    assert [e["input"] for e in report.updated] == [str(tmp_path / "01.txt")]
    assert report.counts()["unchanged"] == 2
    assert "Mombasa" in Article.objects.get(slug=report.updated[0]["slug"]).free_text


def test_a_deleted_article_is_imported_again_from_its_file(tmp_path):
    write(tmp_path, 2)
    import_inputs([str(tmp_path)])
    Article.objects.filter(title="Story Number 0 From Kenya").delete()
    report = import_inputs([str(tmp_path)])
    assert [e["title"] for e in report.created] == ["Story Number 0 From Kenya"]
    assert report.counts()["unchanged"] == 1


def test_a_staff_edit_is_kept_when_its_file_is_imported_again(tmp_path, parses):
    write(tmp_path, 1)
    import_inputs([str(tmp_path)])
    Article.objects.update(title="Edited by the desk")
    report = import_inputs([str(tmp_path)])
    assert report.counts()["unchanged"] == 1 and len(parses) == 1
    assert Article.objects.get().title == "Edited by the desk"


def test_other_choices_or_another_format_are_not_the_same_import(tmp_path, parses):
    write(tmp_path, 1)
    import_inputs([str(tmp_path)])
    free = Importer(defaults=Defaults(access="free")).run(inputs_from_names([str(tmp_path)]))
    assert len(parses) == 2 and len(free.updated) == 1
    assert Article.objects.get().access == "free"
    import_inputs([str(tmp_path)], fmt="text")
    assert len(parses) == 3


def test_new_importing_code_prepares_every_file_once_and_then_knows_them_again(tmp_path, parses, monkeypatch):
    write(tmp_path, 2)
    import_inputs([str(tmp_path)])
    monkeypatch.setattr(known, "recipe", lambda: b"the next release")
    report = import_inputs([str(tmp_path)])
    assert len(parses) == 4 and report.counts()["unchanged"] == 2  # compared by content: the same
    import_inputs([str(tmp_path)])
    assert len(parses) == 4  # known by the new fingerprints


def test_an_article_imported_before_fingerprints_is_fingerprinted_by_its_next_import(tmp_path, parses):
    write(tmp_path, 1)
    import_inputs([str(tmp_path)])
    Article.objects.update(input_hash=None)
    assert import_inputs([str(tmp_path)]).counts()["unchanged"] == 1 and len(parses) == 2
    assert import_inputs([str(tmp_path)]).counts()["unchanged"] == 1 and len(parses) == 2


def test_a_file_of_several_articles_is_compared_entry_by_entry(tmp_path, parses):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([{"title": f"Entry {n}", "body": "Text."} for n in range(2)]))
    import_inputs([str(feed)])
    assert not Article.objects.filter(input_hash__isnull=False).exists()
    Article.objects.filter(title="Entry 1").delete()
    report = import_inputs([str(feed)])
    assert [e["title"] for e in report.created] == ["Entry 1"] and report.counts()["unchanged"] == 1


def test_an_archive_members_fingerprint_lets_the_same_file_be_known_from_a_folder(tmp_path, parses):
    write(tmp_path, 1)
    with zipfile.ZipFile(tmp_path / "archive.zip", "w") as archive:
        archive.write(tmp_path / "00.txt", "00.txt")
    (tmp_path / "00.txt").unlink()
    import_inputs([str(tmp_path / "archive.zip")])
    (tmp_path / "folder").mkdir()
    write(tmp_path / "folder", 1)
    assert import_inputs([str(tmp_path / "folder")]).counts()["unchanged"] == 1
    assert len(parses) == 1


def test_a_dry_run_knows_an_unchanged_file_and_writes_nothing(tmp_path, parses):
    write(tmp_path, 1)
    import_inputs([str(tmp_path)])
    report = import_inputs([str(tmp_path)], dry_run=True)
    assert report.counts()["unchanged"] == 1 and len(parses) == 1

