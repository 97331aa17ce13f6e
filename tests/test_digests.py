"""Email digests and alerts, sent through Django's SMTP backend to a real SMTP server process:
one per member per period whoever sends it, plain text and HTML, one-click unsubscribe, and only
the free text for a reader without an active membership."""

import datetime as dt
import signal
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles.actions import desk as actions
from articles.desk import alerts, digests
from articles.models import Desk, DigestSent, Follow

from .factories import make_article, make_lapsed_member, make_member
from .workers import NEVER_DUE, empty_queue, finish, worker  # noqa: F401  (empty_queue: an autouse fixture)

PARAGRAPHS = ["Kenya held talks in Nairobi.", "Kenya and its neighbours met.", "OPALWORD is for members.", "So is OPALWORD's end."]


def subscriber(*, lapsed=False, digest="daily", since_hours=2):
    member = (make_lapsed_member if lapsed else make_member)()
    actions.follow(member, kind="country", key="ke", label="Kenya")
    Follow.objects.filter(user=member).update(created_at=timezone.now() - dt.timedelta(hours=since_hours))
    actions.set_digest(member, digest=digest)
    return member


def header(message, name) -> str:
    """A header as a mail client reads it: unfolded."""
    return "".join(message[name].split())


def parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()}


@pytest.mark.django_db
def test_the_command_sends_each_member_one_digest_per_period(smtp_server):
    member, lapsed = subscriber(), subscriber(lapsed=True)
    subscriber(digest="weekly")
    make_article(language="en", title="Kenya talks", paragraphs=PARAGRAPHS)
    call_command("send_digests", "--period", "daily")
    received = smtp_server.messages()
    assert sorted(message["To"] for message in received) == sorted([member.email, lapsed.email])
    by_reader = {message["To"]: message for message in received}
    message = by_reader[member.email]
    assert header(message, "List-Unsubscribe").startswith("<http://")
    assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    text = parts(message)
    assert set(text) == {"text/plain", "text/html"}
    assert "Kenya talks" in text["text/plain"] and "Kenya talks" in text["text/html"]
    assert "/articles/" in text["text/plain"]
    lapsed_text = "".join(parts(by_reader[lapsed.email]).values())
    assert "Kenya talks" in lapsed_text and "OPALWORD" not in lapsed_text and "for members" in lapsed_text

    call_command("send_digests", "--period", "daily")
    assert len(smtp_server.messages()) == 2  # nothing the second time


@pytest.mark.django_db
def test_a_digest_for_a_new_day_in_the_members_time_zone():
    now = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)  # Monday 23:30 in London, Tuesday in Tokyo
    assert digests.period_start("daily", now, "Europe/London") == dt.date(2026, 3, 2)
    assert digests.period_start("daily", now, "Asia/Tokyo") == dt.date(2026, 3, 3)
    assert digests.period_start("weekly", now, "Asia/Tokyo") == dt.date(2026, 3, 2)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_digest(smtp_server):
    members = [subscriber() for _ in range(4)]
    make_article(language="en", title="Kenya talks", paragraphs=PARAGRAPHS)
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        try:
            digests.send_digests("daily")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(message["To"] for message in smtp_server.messages()) == sorted(member.email for member in members)
    assert DigestSent.objects.count() == 4


@pytest.mark.django_db
def test_a_crash_after_claiming_never_sends_a_second_digest(smtp_server):
    member = subscriber()
    make_article(language="en", title="Kenya talks", paragraphs=PARAGRAPHS)
    # A worker claimed the period's digest and died before marking it sent.
    DigestSent.objects.create(user=member, period="daily", starts_on=digests.period_start("daily", timezone.now(), "UTC"))
    assert digests.send_digests("daily") == 0
    assert smtp_server.messages() == []


@pytest.mark.django_db
def test_a_failed_mail_is_given_back_for_the_next_run(smtp_server, settings):
    subscriber()
    make_article(language="en", title="Kenya talks", paragraphs=PARAGRAPHS)
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 1  # nothing listens there
    assert digests.send_digests("daily") == 0 and not DigestSent.objects.exists()
    settings.EMAIL_PORT = port
    assert digests.send_digests("daily") == 1 and len(smtp_server.messages()) == 1


@pytest.mark.django_db
def test_one_click_unsubscribe_needs_no_sign_in(smtp_server):
    member = subscriber()
    actions.follow(member, kind="search", key="q=kenya", label="“kenya”")
    Follow.objects.filter(kind="search").update(alert=True)
    make_article(language="en", title="Kenya talks", paragraphs=PARAGRAPHS)
    digests.send_digests("daily")
    url = header(smtp_server.messages()[0], "List-Unsubscribe").strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    client = Client(enforce_csrf_checks=True)
    assert "Unsubscribe" in client.get(f"/{path}").content.decode()
    assert Desk.objects.get(user=member).digest == "daily"  # opening the link changes nothing
    response = client.post(f"/{path}", {"List-Unsubscribe": "One-Click"})  # as a mail client does (RFC 8058)
    assert response.status_code == 200 and "data-unsubscribed" in response.content.decode()
    desk = Desk.objects.get(user=member)
    assert (desk.digest, desk.reply_emails, Follow.objects.filter(alert=True).exists()) == ("none", False, False)
    assert client.get(f"/{path[:-5]}xxxx/").status_code == 404


@pytest.mark.django_db
def test_the_desk_chooses_the_digest(client):
    member = make_member()
    client.force_login(member)
    assert "data-digest" in client.get("/desk/").content.decode()
    client.post("/desk/digest/", {"digest": "weekly", "time_zone": "Asia/Tokyo", "reply_emails": ""})
    desk = Desk.objects.get(user=member)
    assert (desk.digest, desk.time_zone, desk.reply_emails) == ("weekly", "Asia/Tokyo", False)
    response = client.post("/desk/digest/", {"digest": "hourly", "time_zone": "Mars/Olympus"})
    assert response.status_code == 422 and "not a time zone" in response.content.decode()


@pytest.mark.django_db
def test_alerts_are_batched_to_one_mail_in_fifteen_minutes(smtp_server):
    member = make_member()
    actions.follow(member, kind="search", key="q=kenya", label="“kenya”")
    actions.set_alert(member, Follow.objects.get().pk, alert=True)
    Follow.objects.update(alerted_up_to=timezone.now() - dt.timedelta(minutes=1))
    make_article(language="en", title="Kenya talks", paragraphs=PARAGRAPHS)
    make_article(language="en", title="Kenya talks again", paragraphs=PARAGRAPHS)
    assert alerts.send_alerts() == 1
    make_article(language="en", title="Kenya a third time", paragraphs=PARAGRAPHS)
    assert alerts.send_alerts() == 0  # within the quarter of an hour
    assert alerts.send_alerts(now=timezone.now() + dt.timedelta(minutes=16)) == 1
    received = smtp_server.messages()
    assert len(received) == 2
    first = parts(received[0])["text/plain"]
    assert "Kenya talks again" in first and "Kenya a third time" not in first
    assert "Kenya a third time" in parts(received[1])["text/plain"]


@pytest.mark.django_db(transaction=True)
def test_workers_send_the_digests_on_their_schedule_once(smtp_server, test_database_url):
    member = subscriber()
    make_article(language="en", title="Kenya talks", paragraphs=PARAGRAPHS)
    # Every second instead of every hour, for two workers at once: many ticks, one digest.
    mail_env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_server.port), "NEWSREADER_POLL_CRON": NEVER_DUE,
                "NEWSREADER_DIGEST_CRON": "* * * * * *"}
    running = [worker(name, test_database_url, None, **mail_env) for name in ("a", "b")]
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and not smtp_server.messages():
        time.sleep(0.2)
    time.sleep(3)  # more ticks
    for process in running:
        process.send_signal(signal.SIGTERM)
    outputs = [finish(process) for process in running]
    assert [message["To"] for message in smtp_server.messages()] == [member.email], outputs
