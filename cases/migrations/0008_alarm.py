# The alarm moves here from the volunteers app (its table was renamed by volunteers.0004).
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from ._moved_models import move_content_type


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_house_number_index"),
        ("volunteers", "0004_alarm_moves_to_cases"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Alarm",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        ("raised_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="raised at")),
                        ("resolved_at", models.DateTimeField(blank=True, null=True, verbose_name="resolved at")),
                        ("case", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="alarms", to="cases.case", verbose_name="case")),
                        ("resolved_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("volunteer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="alarms", to=settings.AUTH_USER_MODEL, verbose_name="volunteer")),
                    ],
                    options={
                        "verbose_name": "alarm",
                        "verbose_name_plural": "alarms",
                        "ordering": ["-raised_at"],
                        "indexes": [models.Index(fields=["case", "resolved_at"], name="alarm_case_open")],
                    },
                    bases=(models.Model,),
                ),
            ]
        ),
        migrations.RunPython(*move_content_type("alarm", source="volunteers")),
    ]
