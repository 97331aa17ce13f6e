"""The structure carries its rules: imports point one way (import-linter's contracts in
pyproject.toml, docs/architecture.md), and every write readers can see makes cached pages stale."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root, capture_output=True, text=True, timeout=120,
    )


def test_imports_point_one_way():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("module", "upward"), [
    ("articles/models/articles.py", "from articles import pagecache"),  # a model reaching for HTTP
    ("articles/access.py", "from articles.actions import comments"),  # policy reaching for a write action
    ("articles/importing/store.py", "from articles.views import seo"),  # the pipeline reaching for a page
])
def test_a_module_importing_upward_fails_the_check(tmp_path, module, upward):
    for name in ("articles", "newsreader"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(upward + "\n" + target.read_text())
    result = lint_imports(tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout


def test_copy_is_written_in_one_place_that_reports_its_writes():
    """COPY bypasses Django's cursor, where writes are noticed (contentversion.py): only bulk.py
    may use it, and it reports what it wrote."""
    users = [path.relative_to(ROOT).as_posix() for path in (ROOT / "articles").rglob("*.py")
             if re.search(r"\.copy\(\s*f?[\"']COPY", path.read_text())]
    assert users == ["articles/bulk.py"]
    assert "contentversion.wrote(" in (ROOT / "articles/bulk.py").read_text()


def test_migrations_import_no_app_code():
    """A migration runs the code of its day: app code changes after it (Django's own advice)."""
    importing = [path.name for path in (ROOT / "articles/migrations").glob("*.py")
                 if re.search(r"^\s*(from articles|import articles|from \.\.)", path.read_text(), re.M)]
    assert importing == []
