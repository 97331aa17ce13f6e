"""The pipeline over a folder: in path order, one directory listing at a time."""

import pytest

from articles.importing.pipeline import import_inputs

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
