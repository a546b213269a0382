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

    class Meta:
        # Keys are per person: the insert of a twin waits on this index until the first commits.
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="submission_once_per_person")]
        indexes = [models.Index(fields=["created_at"], name="submission_created")]

    def __str__(self) -> str:
        return f"Submission {self.key}"
