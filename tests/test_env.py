import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsreader.env import env_bool, env_float, env_int, env_str


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("yes", True), (" On ", True), ("0", False), ("FALSE", False), ("", True)])
def test_a_yes_no_value_is_read_in_its_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("NEWSREADER_TEST_FLAG", value)
    assert env_bool("NEWSREADER_TEST_FLAG", True) is expected


@pytest.mark.parametrize(("reader", "value"), [(env_bool, "ture"), (env_int, "10m"), (env_int, "1.5"), (env_int, "-1"), (env_float, "one")])
def test_a_value_that_does_not_parse_stops_with_its_name(monkeypatch, reader, value):
    monkeypatch.setenv("NEWSREADER_TEST_VALUE", value)
    with pytest.raises(ImproperlyConfigured, match=f"NEWSREADER_TEST_VALUE='{value}'"):
        reader("NEWSREADER_TEST_VALUE", 1)


def test_a_choice_outside_its_values_stops(monkeypatch):
    monkeypatch.setenv("NEWSREADER_TEST_CHOICE", "member")
    with pytest.raises(ImproperlyConfigured, match="one of: free, members"):
        env_str("NEWSREADER_TEST_CHOICE", "members", choices=("free", "members"))


@pytest.mark.parametrize("variable", ["NEWSREADER_HTTPS=ture", "NEWSREADER_PAGE_CACHE_SECONDS=10m", "NEWSREADER_DEFAULT_ACCESS=public"])
def test_the_site_refuses_to_start_on_a_typo(variable):
    name, value = variable.split("=")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=os.environ | {name: value}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert f"{name}='{value}'" in result.stderr
