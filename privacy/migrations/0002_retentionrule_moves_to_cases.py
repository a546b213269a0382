# Retention rules decide when a case file is erased: they move to the cases app (issue [9]),
# which computes the keep-until date when a case closes. The table is renamed here; the
# model's state moves to cases.0009.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("cases", "0008_alarm")]

    operations = [
        migrations.AlterModelTable(name="retentionrule", table="cases_retentionrule"),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="RetentionRule")]),
    ]
