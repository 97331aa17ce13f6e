"""Reading configuration from the environment, strictly: a value that does not parse stops the
start with a message naming the variable, instead of being read as its default or as false
(`NEWSREADER_HTTPS=ture` would otherwise turn HTTPS off without a word)."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value: use 1 or 0 (or true/false, yes/no, on/off).")


def _number(name: str, default, kind, minimum, what: str):
    value = _raw(name)
    if value is None:
        return default
    try:
        number = kind(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not {what}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} is below its least value, {minimum}.")
    return number


def env_int(name: str, default: int, *, minimum: int | None = 0) -> int:
    return _number(name, default, int, minimum, "a whole number")


def env_float(name: str, default: float, *, minimum: float | None = 0) -> float:
    return _number(name, default, float, minimum, "a number")


def env_str(name: str, default: str, *, choices: tuple[str, ...] = ()) -> str:
    value = _raw(name)
    if value is None:
        return default
    if choices and value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
