"""The version a session's kept roles are checked against now also covers the second-step
devices (accounts.mfa.VerifiedDeviceInSessionMiddleware)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_remove_team_professionals_group")]

    operations = [migrations.RenameField(model_name="user", old_name="roles_version", new_name="access_version")]
