"""Anonymise closed cases past their retention end (meant for a daily timer).

Dry-run by default: it lists what it would do. With --apply it calls the retention purge
service (``privacy.services.retention_purge``) as the named system user, which records each
purge as a GDPR erasure entry (audited).
"""

from django.core.management.base import BaseCommand

from accounts.services import system_actor
from privacy import services


class Command(BaseCommand):
    help = "Anonymise closed cases whose retention period has ended (dry-run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Really anonymise (default: only report).")

    def handle(self, *args, apply: bool = False, **options):
        expired = list(services.expired_cases())
        for case in expired:
            self.stdout.write(f"{case} ({case.resident}): retention ended {case.retention_until:%Y-%m-%d}")
        if not apply:
            self.stdout.write(f"Dry run: {len(expired)} case(s) would be anonymised. Use --apply to do it.")
            return
        purged = services.retention_purge(actor=system_actor())
        self.stdout.write(f"{len(purged)} case(s) anonymised.")
