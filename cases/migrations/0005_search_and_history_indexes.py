"""Indexes for municipal scale (docs/performance.md), PostgreSQL only; SQLite skips them.

* Resident search matches words anywhere in names and streets (``icontains``, which Django
  writes as ``UPPER(col::text) LIKE UPPER('%word%')``): trigram GIN indexes on exactly those
  expressions (pg_trgm, a trusted extension the database owner may create).
* The case history reads audit entries of a case's records by ``additional_data -> 'case_id'``:
  an expression index on it, so it is not a scan of the whole audit log.
"""

from django.db import migrations

TRIGRAM_COLUMNS = ("first_name", "last_name", "street", "postcode")

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX IF NOT EXISTS resident_{column}_trgm ON cases_resident "
        f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        for column in TRIGRAM_COLUMNS
    ),
    "CREATE INDEX IF NOT EXISTS logentry_case_id ON auditlog_logentry ((additional_data -> 'case_id'))",
    # statistics on the new expressions, or the planner walks the whole log by timestamp instead
    "ANALYZE cases_resident",
    "ANALYZE auditlog_logentry",
]
BACKWARD = [
    *(f"DROP INDEX IF EXISTS resident_{column}_trgm" for column in TRIGRAM_COLUMNS),
    "DROP INDEX IF EXISTS logentry_case_id",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_retention_until_resident_erased_at_and_more"),
        ("auditlog", "__latest__"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
