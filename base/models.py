"""Submission keys: one per rendered create form, so a double tap or a retry records once."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """A create form sent with this key by this person, and where its answer sent them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    created_at = models.DateTimeField(default=timezone.now)
    answer_url = models.CharField(max_length=500, blank=True)
    # The API's keys (``answer_once``): what was sent (a hash), and the answer's status and body.
    fingerprint = models.CharField(max_length=64, blank=True)
    answer_status = models.PositiveSmallIntegerField(null=True, blank=True)
    answer_body = models.JSONField(null=True, blank=True)

    class Meta:
        # Keys are per person: the insert of a twin waits on this index until the first commits.
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="submission_once_per_person")]
        indexes = [models.Index(fields=["created_at"], name="submission_created")]

    def __str__(self) -> str:
        return f"Submission {self.key}"


class AuditSeal(models.Model):
    """One audit or access entry sealed into the chain (``base.chain``): the hash of its
    content and the link that ties it to every seal before it. Append-only."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    # No foreign key: a deleted entry must leave its seal behind, to be found.
    entry_id = models.BigIntegerField(unique=True)
    content_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "audit seal"

    def __str__(self) -> str:
        return f"Seal {self.seq}"


class AuditChainHead(models.Model):
    """The end of the chain, one row: sealing locks it. ``entry_floor``: every entry with a
    lower id is sealed (the search for unsealed entries starts above it)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    chain_hash = models.CharField(max_length=64, default="0" * 64)
    entry_floor = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Chain head at {self.seq}"


class AuditChainCheck(models.Model):
    """One run of ``verify_audit_chain``: what it found, and the head it saw (the next run
    checks that this link is still there)."""

    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    ok = models.BooleanField()
    checked = models.PositiveBigIntegerField(default=0)
    redacted = models.PositiveBigIntegerField(default=0)
    head_seq = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)
    broken_seq = models.PositiveBigIntegerField(null=True, blank=True)
    broken_entry_id = models.BigIntegerField(null=True, blank=True)
    problem = models.TextField(blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"Chain check {self.checked_at:%Y-%m-%d %H:%M} ({'ok' if self.ok else 'broken'})"
