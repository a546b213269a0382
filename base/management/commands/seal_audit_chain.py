"""Seal the audit and access entries that are not in the chain yet (``base.chain``).

With ``AUDIT_CHAIN_SEALING=batch`` a timer runs this every minute; with the default
(``commit``) pages seal their own entries and this only catches up (``verify_audit_chain``
runs it first too)."""

from django.core.management.base import BaseCommand

from base.chain import seal_pending


class Command(BaseCommand):
    help = "Seal the audit and access entries that are not in the chain yet."

    def handle(self, *args, **options):
        sealed = seal_pending()
        self.stdout.write(f"{sealed} entries sealed.")
