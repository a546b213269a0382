"""Resident search ORs its conditions per word; PostgreSQL can combine indexes for an OR only
when every arm has one. The house number is compared with ``iexact`` (``UPPER(col) = UPPER(x)``):
an index on exactly that expression completes the set (0005 made the trigram ones)."""

from django.db import migrations


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_list_agenda_and_report_indexes")]

    operations = [
        migrations.RunPython(
            run("CREATE INDEX IF NOT EXISTS resident_house_number_upper ON cases_resident ((UPPER(house_number::text)))"),
            run("DROP INDEX IF EXISTS resident_house_number_upper"),
        ),
        migrations.RunPython(run("ANALYZE cases_resident"), migrations.RunPython.noop),
    ]
