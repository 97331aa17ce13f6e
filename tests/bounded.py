"""Bounding a test's wait for code that might stall: `within(seconds)` raises TookTooLong when the
block runs past it. It uses SIGALRM, so it also interrupts a regular expression that backtracks
(the `re` engine checks for signals while it matches). Main thread only, as pytest runs tests."""

import signal
from contextlib import contextmanager


class TookTooLong(BaseException):  # not an Exception: code under test that catches those cannot swallow it
    pass


@contextmanager
def within(seconds: float, what: str = "it"):
    def expire(signum, frame):
        raise TookTooLong(f"{what} took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
