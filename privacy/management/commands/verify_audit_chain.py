"""Check that no audit or access entry was changed, removed or slipped in (meant for a daily
timer): seals what is waiting, walks the whole chain, records the result for the privacy
officer's desk and, when a link is broken, e-mails the privacy officers and exits with 1.

Prints the chain's head (seal number and link): an officer who keeps these outside the
system can later show that the log they saw is the log there is."""

from django.core.management.base import BaseCommand, CommandError

from privacy.services import audit_chain_check


class Command(BaseCommand):
    help = "Verify the hash chain of the audit and access log; report the first broken link."

    def handle(self, *args, **options):
        check = audit_chain_check()
        summary = (
            f"{check.checked} entries checked ({check.redacted} redacted by erasure) in {check.seconds:.1f} s; "
            f"head: seal {check.head_seq}, link {check.head_hash}"
        )
        if not check.ok:
            raise CommandError(f"The audit chain is broken: {check.problem}\n{summary}")
        self.stdout.write(f"The audit chain is intact. {summary}")
