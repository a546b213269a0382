"""Team access is read from the team in the query (cases.permissions): the per-case group rows
that carried it are redundant and go."""

from django.db import migrations


def remove_group_grants(apps, schema_editor):
    apps.get_model("cases", "CaseGroupObjectPermission").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_resident_date_of_birth_index")]

    operations = [migrations.RunPython(remove_group_grants, reverse_code=None, elidable=True)]
