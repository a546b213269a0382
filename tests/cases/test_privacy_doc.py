"""docs/privacy.md says what the code does: the volunteer column equals the slice allow-lists
(``cases/slice.py`` and the allow-lists records declare in the registry), and the table "what
erasure does" is the one the registry generates."""

import re
from pathlib import Path

from django.conf import settings

from cases.models import Case, CaseMembership, JournalEntry
from cases.records import erasure_table, registry
from cases.slice import CASE_FIELDS, DOMAIN_FIELDS, JOURNAL_FIELDS, RESIDENT_FIELDS, RESPONSIBLE_FIELDS

ROW = re.compile(r"^\| `(?P<field>\w+\.\w+)` \| (?P<p>[^|]+) \| (?P<v>[^|]+) \|")
DOC = Path(settings.BASE_DIR) / "docs" / "privacy.md"


def _documented_volunteer_fields() -> set[str]:
    rows = (ROW.match(line) for line in DOC.read_text().splitlines())
    return {row["field"] for row in rows if row and row["v"].strip() == "yes"}


def _model_field(root, path: str) -> str:
    """Follow an ORM path like ``resident__village__name`` to ``Village.name``."""
    model = root
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return f"{model.__name__}.{model._meta.get_field(name).name}"


def test_volunteer_column_matches_the_allow_lists():
    allowed = {_model_field(Case, path) for path in (*CASE_FIELDS, *RESIDENT_FIELDS, *DOMAIN_FIELDS)}
    allowed |= {_model_field(CaseMembership, path) for path in RESPONSIBLE_FIELDS}
    allowed |= {_model_field(JournalEntry, path) for path in JOURNAL_FIELDS}
    for record in registry:
        allowed |= {_model_field(record.model, path) for path in record.volunteer_fields}

    assert _documented_volunteer_fields() == allowed


def test_the_erasure_table_is_the_one_the_registry_makes():
    text = DOC.read_text()
    start, end = "<!-- erasure-table:start -->", "<!-- erasure-table:end -->"

    documented = text.split(start)[1].split(end)[0].strip()

    assert documented == erasure_table(), "regenerate with: python manage.py privacy_register"
