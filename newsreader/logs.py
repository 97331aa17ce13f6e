"""The request id on every log record: the request's, set by newsreader/observability.py for as long
as the request is handled, else "-" (a command, a worker)."""

import contextvars
import logging

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on each record a handler formats (LOGGING in settings.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True
