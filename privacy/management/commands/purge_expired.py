"""Anonymise closed cases past their retention end (meant for a daily timer).

Dry-run by default: it lists what it would do. With --apply it anonymises, acting as the
named system user, and records each purge as a GDPR erasure entry (audited).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.services import system_actor
from cases.audit import acting_as
from cases.models import Case
from privacy import services
from privacy.models import DataSubjectRequest, RequestKind, RequestOutcome


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
        actor = system_actor()
        with transaction.atomic(), acting_as(actor):
            for case in expired:
                services.anonymise_case(case)
                resident = case.resident
                others = Case.objects.filter(resident=resident).exclude(pk=case.pk)
                if (
                    services.retention_blocks_erasure(resident) is None
                    and not others.exclude(request_for_help=services.ERASED).exists()
                ):
                    services.anonymise_resident(resident)
                DataSubjectRequest.objects.create(
                    resident=resident,
                    kind=RequestKind.ERASURE,
                    handled_by=actor,
                    outcome=RequestOutcome.DONE,
                    note=f"Retention period of {case} ended; anonymised by purge_expired.",
                )
        self.stdout.write(f"{len(expired)} case(s) anonymised.")
