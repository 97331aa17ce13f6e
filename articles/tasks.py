"""Background work on a PostgreSQL-backed queue (procrastinate): feed polling, on a schedule and
on demand, admin imports too large to run while the page waits (`import_uploads` decides), and
members' digests and alerts on a schedule (articles/desk/).

Workers (`manage.py procrastinate worker`) take jobs with `SELECT … FOR UPDATE SKIP LOCKED`, so
any number of them can share the queue without doing a job twice. Every worker also runs the
periodic schedule; procrastinate records each periodic defer, so a tick is deferred once however
many workers there are.
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from procrastinate import exceptions
from procrastinate.contrib.django import app

from .actions import memberships
from .desk.alerts import send_alerts
from .desk.digests import send_digests
from .importing import runs
from .importing.fetch import Deadline
from .importing.full_text import fill_from_page
from .importing.parallel import step_aside
from .importing.pipeline import Defaults, Importer, Input, inputs_from_names, inputs_from_uploads, is_archive, over_limit
from .importing.polling import Polled, poll
from .models import Article, Digest, FeedSource, ImportRun, ImportUpload, Outcome
from .payments import stripe_api


@app.task(name="articles.poll_feed", queue="feeds", pass_context=True)
def poll_feed(context, feed_id: int):
    feed = FeedSource.objects.to_poll().select_related("source").filter(pk=feed_id).first()
    if feed is not None:  # deactivated or deleted since it was queued
        poll_now(feed, worker=context.worker_name or "")


def poll_now(feed: FeedSource, *, worker: str = "") -> Polled:
    """Poll a feed; when it fetches its entries' original pages, queue a fetch of each new or
    changed entry's page for a worker."""
    polled = poll(feed, worker=worker)
    if feed.fetch_full_text and polled.run is not None:
        defer_page_fetches(polled.run)
    return polled


def defer_page_fetches(run: ImportRun) -> int:
    """Queue the page of each article a feed's run created or changed (those its report kept). One
    lock per host (NEWSREADER_PAGE_FETCH_PER_HOST of them) keeps the fetches from one site to so
    many at a time across every worker, each task waiting NEWSREADER_PAGE_FETCH_DELAY after its
    fetch while it holds its lock."""
    slugs = [entry["slug"] for outcome in (Outcome.CREATED, Outcome.UPDATED) for entry in run.report.get(outcome, [])]
    articles = Article.objects.filter(slug__in=slugs, text_from_page=False).exclude(source_url="").values_list("id", "source_url")
    queued = 0
    for article_id, url in articles:
        host = (urlsplit(url).hostname or "").lower()
        try:
            with transaction.atomic():
                fetch_article_page.configure(
                    lock=f"page-host-{host}-{article_id % settings.NEWSREADER_PAGE_FETCH_PER_HOST}",
                    queueing_lock=f"page-article-{article_id}",
                ).defer(article_id=article_id, run_id=run.pk)
        except exceptions.AlreadyEnqueued:
            continue
        queued += 1
    return queued


@app.task(name="articles.fetch_article_page", queue="pages")
def fetch_article_page(article_id: int, run_id: int):
    """Fetch one article's original page for its text (importing/full_text.py); a page that gives
    none is a warning on the feed's run."""
    run = ImportRun.objects.filter(pk=run_id).only("inputs", "options").first()
    feed = FeedSource.objects.filter(pk=(run.options.get("feed") if run else None)).first()
    filled = fill_from_page(article_id, access=(feed.default_access or None) if feed else None)
    if filled.warning and run is not None:
        runs.add_warning(run.pk, run.inputs[0] if run.inputs else "", filled.warning)
    if filled.fetched:
        time.sleep(settings.NEWSREADER_PAGE_FETCH_DELAY)  # politeness: the host's lock is still held


def defer_polls() -> int:
    """Queue one poll per active feed; a feed whose last poll is still waiting is not queued twice."""
    queued = 0
    for feed_id in FeedSource.objects.to_poll().values_list("id", flat=True):
        try:
            with transaction.atomic():  # a refused defer rolls back alone, inside a caller's transaction too
                # One waiting poll per feed, and polls of one feed never run at once (the
                # second then sends the validators the first saved).
                lock = f"poll-feed-{feed_id}"
                poll_feed.configure(queueing_lock=lock, lock=lock).defer(feed_id=feed_id)
        except exceptions.AlreadyEnqueued:
            continue
        queued += 1
    return queued


@app.periodic(cron=settings.NEWSREADER_POLL_CRON, periodic_id="poll-feeds")
@app.task(name="articles.poll_active_feeds", queue="feeds")
def poll_active_feeds(timestamp: int):
    defer_polls()


@app.periodic(cron="0 9 * * *", periodic_id="remind-trials")
@app.task(name="articles.remind_trials", queue="mail")
def remind_trials_daily(timestamp: int):
    remind_trials()


def remind_trials() -> int:
    """Mail the plans, once, to each trial member whose trial ends within
    NEWSREADER_TRIAL_REMINDER_DAYS (only when payments are configured). Returns how many."""
    if not stripe_api.enabled():
        return 0
    sent = 0
    for membership in memberships.trials_to_remind().select_related("user"):
        if membership.user.email and memberships.mark_reminded(membership):
            context = {"user": membership.user, "membership": membership, "link": f"{settings.NEWSREADER_SITE_URL.rstrip('/')}/membership/"}
            send_mail("Your newsreader trial ends soon", render_to_string("membership/trial_reminder_mail.txt", context),
                      None, [membership.user.email])
            sent += 1
    return sent


@app.task(name="articles.run_queued_import", queue="imports", pass_context=True)
def run_queued_import(context, run_id: int):
    """An admin import handed to the queue: its uploads were stored with the run."""
    run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).first()
    if run is None:
        return
    runs.claim(run, worker=context.worker_name or "")
    step_aside()  # the worker's process from now on: it is background work
    uploads = ImportUpload.objects.filter(run=run).order_by("id")
    inputs = [Input(name=name, read=lambda upload_id=upload_id, name=name: upload_bytes(upload_id, name))
              for upload_id, name in uploads.values_list("id", "name")]
    if run.options.get("url"):
        inputs += inputs_from_names([run.options["url"]])
    defaults = Defaults.from_options(run.options)
    # However many files: keep no more entries than the run records.
    importer = Importer(dry_run=run.dry_run, defaults=defaults, keep=settings.NEWSREADER_IMPORT_RUN_ENTRIES)
    with runs.failing_on_error(run):
        report = importer.run(runs.beating(run, inputs))
    runs.finish(run, report)
    uploads.delete()


def upload_bytes(upload_id: int, name: str) -> bytes:
    """One stored upload at a time, so that a large run does not hold every file in memory."""
    data = bytes(ImportUpload.objects.values_list("data", flat=True).get(pk=upload_id))
    if error := over_limit(len(data), archive=is_archive(name)):
        raise error
    return data


def import_uploads(uploads, url: str, *, user, dry_run: bool, defaults: Defaults) -> ImportRun:
    """The admin page's import: at once, while the page waits; uploads over
    NEWSREADER_IMPORT_INLINE_BYTES in all go to a worker instead, and so do the inputs not started
    within NEWSREADER_IMPORT_INLINE_SECONDS, so that no upload holds the web worker for long."""
    options = defaults.as_options() | {"url": url}
    if sum(upload.size for upload in uploads) > settings.NEWSREADER_IMPORT_INLINE_BYTES:
        return queue_run(uploads, url, user=user, dry_run=dry_run, options=options)
    names = [upload.name for upload in uploads] + ([url] if url else [])
    run = runs.start(ImportRun.Channel.ADMIN, inputs=names, user=user, dry_run=dry_run, options=options)
    deadline = Deadline.after(settings.NEWSREADER_IMPORT_INLINE_SECONDS, "NEWSREADER_IMPORT_INLINE_SECONDS")
    importer = Importer(dry_run=dry_run, defaults=defaults, deadline=deadline)
    inputs = [*inputs_from_uploads(uploads), *(inputs_from_names([url], deadline) if url else [])]
    with runs.failing_on_error(run):
        report = importer.run(inputs)
    runs.finish(run, report)
    if importer.left:  # the uploads, then the URL: those left are the last of them
        started = len(inputs) - len(importer.left)
        handed = queue_run(uploads[started:], url, user=user, dry_run=dry_run, options=options)
        run.report["handed_on"] = {
            "run": handed.pk, "inputs": handed.inputs, "seconds": deadline.seconds,
        }
        run.save(update_fields=["report"])
    return run


def queue_run(uploads, url: str, *, user, dry_run: bool, options: dict) -> ImportRun:
    """A run of these uploads (and the URL) for a worker: the run, its files and its job are
    queued together or not at all."""
    names = [upload.name for upload in uploads] + ([url] if url else [])
    with transaction.atomic():
        run = runs.start(
            ImportRun.Channel.ADMIN, inputs=names, user=user, dry_run=dry_run, options=options,
            status=ImportRun.Status.QUEUED,
        )
        for upload in uploads:
            upload.seek(0)
            ImportUpload.objects.create(run=run, name=upload.name, data=upload.read())
        run_queued_import.defer(run_id=run.pk)
    return run


@app.periodic(cron=settings.NEWSREADER_DIGEST_CRON, periodic_id="send-digests")
@app.task(name="articles.send_digests", queue="mail")
def send_scheduled_digests(timestamp: int):
    """Each member's digest once their day (or week) has begun where they are: every run sends the
    ones not sent yet for the current period (articles/desk/digests.py keeps it to one)."""
    for period in (Digest.DAILY, Digest.WEEKLY):
        send_digests(period)


@app.periodic(cron=settings.NEWSREADER_ALERT_CRON, periodic_id="send-alerts")
@app.task(name="articles.send_alerts", queue="mail")
def send_scheduled_alerts(timestamp: int):
    send_alerts()
