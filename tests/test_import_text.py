import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.importing.pipeline import import_inputs
from articles.models import Article, Source

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("000_*.txt"))
pytestmark = pytest.mark.django_db


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_imports_with_title_four_paragraphs_and_no_chrome():
    report = import_inputs([str(SEED)])
    assert report.ok and len(report.created) == 1
    article = Article.objects.get()
    assert article.title == "Why We Should Be Worried About Russia and China Working So Closely"
    body = article.free_html + article.members_html
    assert body.count("<p>") == 4
    assert "world’s two largest economies" in body  # curly apostrophe intact
    assert "sitdown—namely" in body  # em dash intact
    for chrome in ["exclusively to Dispatch members", "Comments (0)", "Be the first to respond", "Sign In"]:
        assert chrome not in body
    assert article.source_truncated
    assert article.source.name == "The Dispatch"
    assert "Be the first to respond." in article.stripped_chrome


def test_without_a_break_members_articles_preview_the_first_paragraphs(settings):
    settings.NEWSREADER_FREE_PARAGRAPHS = 2
    import_inputs([str(SEED)])
    article = Article.objects.get()
    assert article.access == "members"
    assert article.free_html.count("<p>") == 2
    assert article.members_html.count("<p>") == 2
    assert "Guilin" in article.members_text and "Guilin" not in article.free_text


def test_byline_and_members_only_break(tmp_path):
    write(tmp_path, "a.txt", "A Title\n\nBy Jane Doe\n\nOne.\n\nTwo.\n\nThree.\n<!-- members-only -->\nFour.\n\nFive.\n")
    import_inputs([str(tmp_path)])
    article = Article.objects.get()
    assert article.author == "Jane Doe"
    assert article.free_text == "One.\n\nTwo.\n\nThree."
    assert article.members_text == "Four.\n\nFive."
    assert not article.source_truncated


def test_reimport_is_unchanged_and_a_changed_text_updates_the_same_article(tmp_path):
    path = write(tmp_path, "a.txt", "Same Title\n\nFirst version.\n")
    assert len(import_inputs([str(path)]).created) == 1
    again = import_inputs([str(path)])
    assert len(again.unchanged) == 1 and not again.created
    slug = Article.objects.get().slug
    write(tmp_path, "a.txt", "Same Title\n\nSecond version.\n")
    changed = import_inputs([str(path)])
    assert len(changed.updated) == 1
    article = Article.objects.get()
    assert article.slug == slug
    assert article.free_text == "Second version."


def test_a_failing_file_does_not_stop_the_batch(tmp_path):
    write(tmp_path, "1-good.txt", "Good One\n\nText.\n")
    write(tmp_path, "2-empty.txt", "\n\n")
    (tmp_path / "3-binary.txt").write_bytes(b"\x00\x01\x02garbage")
    write(tmp_path, "4-title-only.txt", "Only A Title\n")
    write(tmp_path, "5-good.txt", "Good Two\n\nText.\n")
    report = import_inputs([str(tmp_path)])
    assert sorted(e["title"] for e in report.created) == ["Good One", "Good Two"]
    errors = {Path(e["input"]).name: e["error"] for e in report.failed}
    assert "empty" in errors["2-empty.txt"]
    assert "binary" in errors["3-binary.txt"]
    assert "no text" in errors["4-title-only.txt"]
    assert Article.objects.count() == 2


def test_legacy_encoding_is_decoded_not_crashed(tmp_path):
    (tmp_path / "cp.txt").write_bytes("Caf\u00e9 Diplomacy\n\nA \u201cquoted\u201d word.\n".encode("cp1252"))
    report = import_inputs([str(tmp_path)])
    assert report.ok
    assert Article.objects.get().title == "Café Diplomacy"


def test_dry_run_writes_nothing(tmp_path):
    write(tmp_path, "a.txt", "Dry Title\n\nText.\n")
    report = import_inputs([str(tmp_path)], dry_run=True)
    assert [e["slug"] for e in report.created] == ["dry-title"]
    assert not Article.objects.exists() and not Source.objects.exists()


def test_command_json_report_and_exit_status(tmp_path, capsys):
    good = write(tmp_path, "good.txt", "Command Title\n\nText.\n")
    bad = write(tmp_path, "bad.txt", "")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_articles", str(good), str(bad), "--json")
    assert exit_info.value.code == 1
    report = json.loads(capsys.readouterr().out)
    [created] = report["created"]
    assert (created["slug"], created["input"], created["title"]) == ("command-title", str(good), "Command Title")
    assert report["failed"][0]["input"] == str(bad)
    call_command("import_articles", str(good), "--json")
    assert json.loads(capsys.readouterr().out)["unchanged"][0]["slug"] == "command-title"


def test_command_usage_error_exits_2():
    result = subprocess.run(
        [sys.executable, "manage.py", "import_articles", "--format", "nonsense", "x"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


@pytest.mark.parametrize(("opening", "expected_end"), [
    ("word " * 39 + "economies. And the next sentence goes on.", "economies."),  # cut at a full stop: no ellipsis
    ("word " * 39 + "economies, and the sentence goes on.", "economies…"),  # cut inside a sentence
    ("A short opening that says it all.", "says it all."),
])
def test_the_excerpt_ends_the_way_a_reader_expects(tmp_path, opening, expected_end):
    write(tmp_path, "one.txt", f"Excerpt Title\n\n{opening}\n")
    assert import_inputs([str(tmp_path)]).ok
    excerpt = Article.objects.get().excerpt
    assert excerpt.endswith(expected_end) and len(excerpt.split()) <= 40
