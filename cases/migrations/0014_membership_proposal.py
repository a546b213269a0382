"""A volunteer joins a case in two steps (issue [12]): the team proposes, the volunteer accepts
or declines. ``accepted_at`` is empty only for an open proposal. Every membership that exists
already was access as it stood, so it is backfilled as accepted (when it started)."""

from django.db import migrations, models
from django.db.models import F


def accept_existing(apps, schema_editor):
    # A data migration on the historical model: no audit entries (auditlog does not see it).
    CaseMembership = apps.get_model("cases", "CaseMembership")
    CaseMembership.objects.filter(accepted_at__isnull=True).update(accepted_at=F("started_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0013_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="casemembership",
            name="accepted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="accepted at"),
        ),
        migrations.RunPython(accept_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="casemembership",
            constraint=models.CheckConstraint(
                condition=models.Q(("role", "volunteer"), ("accepted_at__isnull", False), _connector="OR"),
                name="membership_professionals_accepted",
            ),
        ),
    ]
