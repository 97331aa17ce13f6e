"""Mail sent after the response, on one background thread per process."""

import concurrent.futures
import logging

from django.db import connections

log = logging.getLogger(__name__)


class MailSender:
    """Sends mail on one background thread of this process: a request never waits for the mail
    server, nor shows by how long it took (or made the next request wait) whether there was mail
    to send, and a slow or hung server (EMAIL_TIMEOUT) holds up this thread alone."""

    def __init__(self):
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsreader-mail")

    def submit(self, work):
        self.pool.submit(self.run, work)

    @staticmethod
    def run(work):
        try:
            work()
        except Exception:
            log.exception("Sending mail failed")
        finally:
            connections.close_all()  # this thread's own


mail_sender = MailSender()


def mail_after_response(response, work):
    """Hand `work` (finding whom to mail, and mailing them) to the mail thread once the response
    has gone out, when the server closes it."""
    response._resource_closers.append(lambda: mail_sender.submit(work))
    return response
