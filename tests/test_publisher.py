"""A publisher's home: `manage.py publisher set`, the JSON import's fields, the admin."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.importing.pipeline import import_inputs
from articles.models import Source

pytestmark = pytest.mark.django_db


def test_the_command_sets_a_publishers_country_and_language():
    Source.objects.create(name="Nairobi Ledger")
    call_command("publisher", "set", "Nairobi Ledger", "--country", "KE", "--language", "en")
    source = Source.objects.get(name="Nairobi Ledger")
    assert (source.country_id, source.language) == ("ke", "en")


@pytest.mark.parametrize("args,message", [
    (["Nobody Weekly", "--country", "KE"], "No publisher named 'Nobody Weekly'"),
    (["Nairobi Ledger", "--country", "XX"], "country 'XX' is not an ISO 3166 alpha-2 code"),
    (["Nairobi Ledger", "--country", "KE", "--language", "english"], "language 'english' is not an ISO 639-1 code"),
])
def test_the_command_refuses_an_unknown_publisher_or_code(args, message):
    Source.objects.create(name="Nairobi Ledger")
    with pytest.raises(CommandError, match=message):
        call_command("publisher", "set", *args)
    assert Source.objects.get(name="Nairobi Ledger").country_id is None


@pytest.mark.django_db(transaction=True)
def test_an_unknown_publisher_exits_1_with_a_message_on_standard_error(test_database_url):
    result = subprocess.run([sys.executable, "manage.py", "publisher", "set", "Nobody Weekly", "--country", "KE"],
                            env=os.environ | {"DATABASE_URL": test_database_url}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "No publisher named 'Nobody Weekly'" in result.stderr and not result.stdout


def write(tmp_path, items):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(items))
    return str(path)


def test_the_json_import_sets_the_publishers_home_and_a_later_one_changes_it(tmp_path):
    item = {"title": "Rates cut", "body": "Kenya cut rates.", "source": "Nairobi Ledger",
            "source_country": "ke", "source_language": "EN", "url": "https://example.org/1"}
    assert not import_inputs([write(tmp_path, [item])]).failed
    source = Source.objects.get(name="Nairobi Ledger")
    assert (source.country_id, source.language) == ("ke", "en")
    report = import_inputs([write(tmp_path, [item | {"source_language": "sw"}])])
    assert report.updated and Source.objects.get(name="Nairobi Ledger").language == "sw"


def test_a_bad_home_fails_that_input_alone_with_a_clear_error(tmp_path):
    good = {"title": "Rates cut", "body": "Kenya cut rates.", "source": "Nairobi Ledger", "source_country": "KE"}
    bad = {"title": "Rates held", "body": "Nigeria held rates.", "source": "Lagos Star", "source_country": "Nigeria"}
    report = import_inputs([write(tmp_path, [good, bad])])
    assert len(report.created) == 1
    assert "publisher's country 'Nigeria' is not an ISO 3166 alpha-2 code" in report.failed[0]["error"]


def test_staff_set_a_publishers_home_in_the_admin(admin_client):
    source = Source.objects.create(name="Nairobi Ledger")
    url = f"/admin/articles/source/{source.pk}/change/"
    response = admin_client.post(url, {"name": "Nairobi Ledger", "country": "ke", "language": "en",
                                       "description": "Kenya's business daily."})
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.country_id, source.language, source.description) == ("ke", "en", "Kenya's business daily.")
    response = admin_client.post(url, {"name": "Nairobi Ledger", "country": "ke", "language": "xx"})
    assert response.status_code == 200 and "is not an ISO 639-1 code" in response.content.decode()
