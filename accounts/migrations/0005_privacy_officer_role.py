"""The privacy officer (functionaris gegevensbescherming) role: the access log and GDPR requests."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="privacy_officer")


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="privacy_officer").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_municipality_checkin_interval_weeks_and_more")]

    operations = [migrations.RunPython(create, remove)]
