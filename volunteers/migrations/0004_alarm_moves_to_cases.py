# The alarm is a case-file record: it moves to the cases app (issue [9]). The table is renamed
# here; the model's state moves to cases.0008, which also moves its content type, so audit
# entries and permissions follow the model.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0003_coordination"), ("cases", "0007_house_number_index")]

    operations = [
        migrations.AlterModelTable(name="alarm", table="cases_alarm"),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Alarm")]),
    ]
