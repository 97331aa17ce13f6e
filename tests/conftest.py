import pytest
from django.conf import settings


def pytest_configure(config):
    # Fast hashing keeps sign-up and sign-in tests quick; production uses Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
