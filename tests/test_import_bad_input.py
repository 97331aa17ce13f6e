"""Bad input: each is `failed` with a reason a person understands, and the good inputs still land."""

import json
import os
import random
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.importing.pipeline import import_inputs
from articles.models import Article, ArticleActor, ArticleCountry, ImportRun, Source, TagOrigin

from .bounded import within

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
pytestmark = pytest.mark.django_db

GOOD_TEXT = "A Good Article\n\nIt has a paragraph.\n"


def bad_inputs(folder: Path) -> dict[str, str]:
    """Each bad file, by name, and the words its error must hold."""
    (folder / "00-good.txt").write_text(GOOD_TEXT)
    (folder / "empty.txt").write_text("")
    (folder / "empty.json").write_text("  \n")
    (folder / "noise.bin.txt").write_bytes(random.Random(4).randbytes(900).replace(b"\x00", b"\x01"))
    (folder / "invalid.json").write_text('[{"title": "Half", "body": "Open')
    (folder / "no-title.json").write_text(json.dumps([
        {"title": "Has A Title", "body": "Fine."},
        {"body": "No title here."},
        {"title": "Bad Date", "body": "Text.", "published_at": "yesterday-ish"},
    ]))
    (folder / "huge.txt").write_text("Huge\n\n" + "word " * 400)
    (folder / "not-a-feed.xml").write_text('<?xml version="1.0"?><catalog><book>Dune</book></catalog>')
    (folder / "odd.csv").write_text("a,b,c\n1,2,3\n")
    (folder / "zz-good.md").write_text("# Another Good One\n\nText.\n")
    return {
        "empty.txt": "the file is empty",
        "empty.json": "the file is empty",
        "noise.bin.txt": "binary",
        "invalid.json": "not valid JSON",
        "no-title.json": "(entry 2): it has no title",
        "huge.txt": "over the limit of 1,000",
        "not-a-feed.xml": "it is XML, but neither an RSS nor an Atom feed",
        "odd.csv": "'.csv' is not one we import",
    }


def test_every_bad_input_fails_with_a_reason_and_the_good_ones_land(tmp_path, settings):
    settings.NEWSREADER_IMPORT_MAX_BYTES = 1000
    expected = bad_inputs(tmp_path)
    report = import_inputs([str(tmp_path)])
    assert sorted(e["title"] for e in report.created) == ["A Good Article", "Another Good One", "Has A Title"]
    errors = [e["error"] for e in report.failed]
    for name, words in expected.items():
        assert any(e.startswith(str(tmp_path / name)) and words in e for e in errors), (name, errors)
    assert any("no-title.json (entry 3): its date 'yesterday-ish' is not an ISO 8601 date" in e for e in errors)
    assert Article.objects.count() == 3


def test_the_command_exits_1_without_a_traceback(tmp_path, settings, capsys):
    settings.NEWSREADER_IMPORT_MAX_BYTES = 1000
    bad_inputs(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_articles", str(tmp_path))
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert "3 created, 0 updated, 0 unchanged, 9 failed" in out
    assert "Traceback" not in out + err
    assert f"failed: {tmp_path / 'not-a-feed.xml'}: it is XML, but neither an RSS nor an Atom feed" in err


def test_legacy_encoding_in_a_feed_and_json_is_decoded(tmp_path):
    (tmp_path / "legacy.json").write_bytes('{"title": "Caf\u00e9 Talks", "body": "\u201cQuoted\u201d."}'.encode("cp1252"))
    report = import_inputs([str(tmp_path)])
    assert report.ok
    assert Article.objects.get().free_text == "\u201cQuoted\u201d."


def test_an_entry_the_database_refuses_fails_alone_and_its_batch_still_lands(tmp_path):
    entries = [{"title": f"Entry {n}", "body": "Text.", "author": "Ann"} for n in range(5)]
    entries[2]["author"] = "Nul\u0000Byte"  # PostgreSQL refuses NUL in text
    (tmp_path / "batch.json").write_text(json.dumps(entries))
    report = import_inputs([str(tmp_path)])
    assert sorted(e["title"] for e in report.created) == ["Entry 0", "Entry 1", "Entry 3", "Entry 4"]
    [failure] = report.failed
    assert failure["error"].startswith(f"{tmp_path / 'batch.json'} (entry 3): the database refused it")
    assert Article.objects.count() == 4


def test_a_broken_or_oversized_zip_member_fails_alone(tmp_path, settings):
    settings.NEWSREADER_IMPORT_MAX_BYTES = 1000
    archive = tmp_path / "mixed.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("good.txt", GOOD_TEXT)
        zipped.writestr("big.txt", "Big\n\n" + "word " * 400)
        zipped.writestr("nested.zip", b"PK")
    (tmp_path / "not-a.zip").write_bytes(b"this is not a zip")
    report = import_inputs([str(archive), str(tmp_path / "not-a.zip")])
    assert [e["title"] for e in report.created] == ["A Good Article"]
    errors = {e["input"]: e["error"] for e in report.failed}
    assert "over the limit" in errors[f"{archive}/big.txt"]
    assert "archive inside an archive" in errors[f"{archive}/nested.zip"]
    assert "not a readable zip archive" in errors[str(tmp_path / "not-a.zip")]


def test_dry_run_of_feeds_and_archives_writes_nothing(tmp_path):
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for fixture in FIXTURES.iterdir():
            zipped.write(fixture, fixture.name)
    report = import_inputs([str(archive)], dry_run=True)
    assert report.ok and len(report.created) == 10
    assert "pilots-return-to-the-strait" in {e["slug"] for e in report.created}
    assert not Article.objects.exists() and not Source.objects.exists()
    import_inputs([str(FIXTURES / "articles.json")])
    second = import_inputs([str(archive)], dry_run=True)
    assert len(second.unchanged) == 2 and len(second.created) == 8
    assert Article.objects.count() == 2


def test_a_batch_is_copied_in_with_its_tags_and_a_refused_entry_fails_alone(tmp_path):
    entries = [{"title": f"Kenya Story {n}", "body": "Nairobi and Kampala.", "tags": ["nato"]} for n in range(40)]
    (tmp_path / "a.json").write_text(json.dumps(entries[:20]))
    assert len(import_inputs([str(tmp_path / "a.json")]).created) == 20  # one batch, by COPY
    entries[27]["author"] = "Nul\u0000Byte"  # PostgreSQL refuses NUL in text
    (tmp_path / "b.json").write_text(json.dumps(entries))
    report = import_inputs([str(tmp_path / "b.json")])  # refused: stored again one by one
    assert (len(report.created), len(report.unchanged)) == (19, 20)
    [failure] = report.failed
    assert "(entry 28): the database refused it" in failure["error"]
    for country in ("ke", "ug"):
        rows = ArticleCountry.objects.filter(country_id=country).select_related("article")
        assert rows.count() == 39 and all(row.published_at == row.article.published_at for row in rows)
    assert ArticleActor.objects.filter(actor_id="nato", origin=TagOrigin.EDITOR).count() == 39
    assert Article.objects.count() == 39


def alias_bomb(levels: int) -> str:
    """YAML whose last anchor names 10 ** levels items in a few lines."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines)


def hostile_inputs(folder: Path) -> dict[str, str]:
    """Inputs that made a parser raise something other than our ImportFailed, or stall, by name,
    and the words their error must hold."""
    (folder / "deep.json").write_text("[" * 100_000)
    (folder / "deep-tags.json").write_text('{"title": "T", "body": "B", "tags": ' + "[" * 100_000 + "}")
    (folder / "long-number.json").write_text("1" * 5000)
    (folder / "deep.md").write_text("---\ntitle: " + "[" * 100_000 + "\n---\nText.\n")
    (folder / "bad-date.md").write_text("---\ntitle: T\npublished: 2026-13-45\n---\nText.\n")
    (folder / "year-10000.md").write_text("---\ntitle: T\npublished: 9999-12-31T23:00:00-05:00\n---\nText.\n")
    (folder / "bomb-title.md").write_text(f"---\n{alias_bomb(7)}\ntitle: *a6\n---\nText.\n")
    (folder / "bomb-tags.md").write_text(f"---\n{alias_bomb(7)}\ntitle: T\ntags: [*a6]\n---\nText.\n")
    (folder / "far-future.rss").write_text(
        '<rss version="2.0"><channel><title>F</title><item><title>Dated Far Ahead</title>'
        "<pubDate>Sat, 01 Jan 99999 00:00:00 GMT</pubDate><description>Text.</description></item></channel></rss>"
    )
    return {
        "deep.json": "it is nested too deeply to read",
        "deep-tags.json": "it is nested too deeply to read",
        "long-number.json": "4300 digits",
        "deep.md": "it is nested too deeply to read",
        "bad-date.md": "its front matter is not valid YAML (month must be in 1..12)",
        "year-10000.md": "its date '9999-12-31 23:00:00-05:00' is out of range",
        "bomb-title.md": "its front matter's 'title' is not a single value",
        "bomb-tags.md": "its front matter's 'tags' is not a list of names",
    }


def test_an_input_any_parser_chokes_on_fails_alone_with_a_reason(tmp_path):
    expected = hostile_inputs(tmp_path)
    (tmp_path / "zz-good.txt").write_text(GOOD_TEXT)
    with within(10, "the import"):
        report = import_inputs([str(tmp_path)])
    errors = {e["input"]: e["error"] for e in report.failed}
    for name, words in expected.items():
        assert words in errors.get(str(tmp_path / name), ""), (name, errors)
    assert len(errors) == len(expected)
    assert sorted(e["title"] for e in report.created) == ["A Good Article", "Dated Far Ahead"]  # a date it cannot hold: none


def test_the_command_prints_its_json_report_and_records_the_run_whatever_an_input_raises(tmp_path, capsys):
    (tmp_path / "deep.json").write_text("[" * 100_000)
    (tmp_path / "good.txt").write_text(GOOD_TEXT)
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_articles", "--json", str(tmp_path))
    assert exit_info.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert [e["title"] for e in report["created"]] == ["A Good Article"]
    assert report["failed"] == [{"input": str(tmp_path / "deep.json"),
                                 "error": f"{tmp_path / 'deep.json'}: it is nested too deeply to read"}]
    run = ImportRun.objects.get()
    assert (run.status, run.created_count, run.failed_count) == ("done", 1, 1)


def test_text_utf8_cannot_encode_is_replaced_and_a_name_that_is_not_utf8_is_shown(tmp_path, capsys):
    """A JSON escape can make half a surrogate pair, which the database driver cannot encode (it
    ended the run); a file name that is not UTF-8 could not be recorded or printed."""
    (tmp_path / "surrogate.json").write_text('{"title": "Half \\ud800 Pair", "body": "Text \\udfff here.", "tags": ["\\ud801"]}')
    (Path(os.fsdecode(bytes(tmp_path) + b"/\xffname.txt"))).write_text(GOOD_TEXT)
    call_command("import_articles", "--json", str(tmp_path))
    report = json.loads(capsys.readouterr().out)
    assert {e["input"] for e in report["created"]} == {f"{tmp_path}/\ufffdname.txt", f"{tmp_path}/surrogate.json"}
    article = Article.objects.get(title="Half \ufffd Pair")
    assert article.free_text == "Text \ufffd here."
    assert ImportRun.objects.get().inputs == [str(tmp_path)]


def test_a_folder_loop_or_a_deep_tree_is_walked_once_in_order(tmp_path):
    """A symbolic link to a parent folder made the walk loop until the path was too long (an
    OSError ended the run); 1,200 nested folders were a RecursionError."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "first.txt").write_text("First Story\n\nText.\n")
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")
    deep = tmp_path / "c"
    deep.mkdir()
    for _ in range(1200):  # one at a time: pathlib's own mkdir(parents=True) recurses too deep
        deep = deep / "d"
        deep.mkdir()
    (deep / "last.txt").write_text("Last Story\n\nText.\n")
    try:
        report = import_inputs([str(tmp_path)])
    finally:  # bottom up, one at a time: shutil.rmtree, which cleans tmp_path, recurses too deep
        (deep / "last.txt").unlink()
        while deep != tmp_path / "c":
            deep.rmdir()
            deep = deep.parent
    assert [e["title"] for e in report.created] == ["First Story", "Last Story"] and report.ok
