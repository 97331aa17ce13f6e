"""`manage.py remind_trials`: mail the plans to each trial member whose trial ends soon (once)."""

from django.core.management.base import BaseCommand

from articles.tasks import remind_trials


class Command(BaseCommand):
    help = "Offer the plans by mail to trial members whose trial ends within NEWSREADER_TRIAL_REMINDER_DAYS."

    def handle(self, **options):
        self.stdout.write(f"Reminded {remind_trials()} trial member(s).")
