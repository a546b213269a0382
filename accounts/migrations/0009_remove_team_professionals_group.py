"""A team no longer has a group of professionals: their access to the team's cases is read from
their profiles (``ProfessionalProfile.team``) in the query. The groups ("team:…") go."""

from django.db import migrations


def remove_team_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__startswith="team:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_user_roles_version"),
        ("cases", "0016_team_access_from_facts"),  # the group rows on cases first
    ]

    operations = [
        migrations.RemoveField(model_name="team", name="professionals_group"),
        migrations.RunPython(remove_team_groups, reverse_code=None, elidable=True),
    ]
