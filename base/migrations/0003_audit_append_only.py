"""On PostgreSQL the audit entries and their seals are append-only: a trigger refuses UPDATE
and DELETE. Erasure (art. 17) alone may change an entry's values, in a transaction that sets
``wijkteam.audit_redaction`` (``base.chain.redact``), and it records that in the chain.

Whoever owns the database can drop the trigger; the keyed chain (``base.chain``) is what
shows that afterwards. On SQLite (``make run``) there is no trigger; the chain still shows it."""

from django.db import migrations

TABLES = ("auditlog_logentry", "base_auditseal")

FUNCTION = """
CREATE OR REPLACE FUNCTION wijkteam_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'auditlog_logentry'
       AND current_setting('wijkteam.audit_redaction', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION wijkteam_audit_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS wijkteam_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0002_audit_chain"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
