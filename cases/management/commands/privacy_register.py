"""Print the table "what erasure does" of docs/privacy.md, made from the registry of case-file
records (``cases.records``). Paste it between the erasure-table markers of the doc; a test
fails while the doc and the registry differ."""

from django.core.management.base import BaseCommand

from cases.records import erasure_table


class Command(BaseCommand):
    help = "Print docs/privacy.md's table of personal-data fields and what erasure does, from the registry."

    def handle(self, *args, **options):
        self.stdout.write(erasure_table())
