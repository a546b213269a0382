"""Forget the submission keys of create forms older than two days (meant for a daily timer)."""

from django.core.management.base import BaseCommand

from base.submissions import purge_submissions


class Command(BaseCommand):
    help = "Forget submission keys of create forms older than two days (they only guard against repeats)."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_submissions()} submission key(s) forgotten.")
