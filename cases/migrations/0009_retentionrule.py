# Retention rules move here from the privacy app (its table was renamed by privacy.0002).
import django.db.models.deletion
from django.db import migrations, models

from ._moved_models import move_content_type


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_alarm"),
        ("privacy", "0002_retentionrule_moves_to_cases"),
        ("accounts", "0005_privacy_officer_role"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RetentionRule",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("legal_basis", models.CharField(max_length=200, verbose_name="legal basis")),
                        ("years", models.PositiveSmallIntegerField(verbose_name="years after closing")),
                        ("is_default", models.BooleanField(default=False, verbose_name="default of the municipality")),
                        ("domain", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to="cases.lifedomain", verbose_name="life domain")),
                        ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="retention_rules", to="accounts.municipality")),
                        ("team", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to="accounts.team", verbose_name="team")),
                    ],
                    options={
                        "verbose_name": "retention rule",
                        "verbose_name_plural": "retention rules",
                        "ordering": ["municipality", "-years"],
                    },
                ),
            ]
        ),
        migrations.RunPython(*move_content_type("retentionrule", source="privacy")),
    ]
