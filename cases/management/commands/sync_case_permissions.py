"""Recompute every case's personal guardian rows from the facts and report drift.

Team access has no rows (it is read from the team in the query), so a group row on a case is
drift too: reported, and removed.

Meant for a daily timer (it also withdraws grants of volunteers whose VOG expired) and for
checking after an incident: ``--check`` changes nothing and exits 1 when rows drifted.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.services import system_actor
from base.audit import acting_as
from cases.models import Case
from cases.permissions import Drift, stray_group_grants, sync_case_permissions


class Command(BaseCommand):
    help = "Re-derive the object permissions of every case from its facts; report what drifted."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report drift without changing anything.")

    def handle(self, *args, check: bool = False, **options):
        drift = Drift()
        with transaction.atomic(), acting_as(system_actor()):
            for case in Case.objects.order_by("pk").iterator(chunk_size=2000):
                case_drift = sync_case_permissions(case)
                for kind, owner, codename in case_drift.added:
                    self.stdout.write(f"{case}: missing {codename} for {kind} {owner}")
                for kind, owner, codename in case_drift.removed:
                    self.stdout.write(f"{case}: stale {codename} for {kind} {owner}")
                drift.extend(case_drift)
            stray = stray_group_grants()
            rows = stray.values_list("content_object_id", "group_id", "permission__codename")
            for case_id, group_id, codename in rows:
                self.stdout.write(f"case {case_id}: stale {codename} for group {group_id}")
                drift.removed.append(("group", group_id, codename))
            stray.delete()
            if check:
                transaction.set_rollback(True)
        verb = "found" if check else "fixed"
        self.stdout.write(f"{len(drift.added)} missing and {len(drift.removed)} stale grants {verb}.")
        if check and drift:
            raise CommandError("Object permissions drifted from the facts.")
