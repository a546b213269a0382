"""docs/privacy.md and the slice allow-list in cases/slice.py say the same thing."""

import re
from pathlib import Path

from django.conf import settings

from cases.models import Case, CaseMembership, JournalEntry
from cases.slice import CASE_FIELDS, DOMAIN_FIELDS, JOURNAL_FIELDS, REFERRAL_FIELDS, RESIDENT_FIELDS, RESPONSIBLE_FIELDS
from socialmap.models import Referral

ROW = re.compile(r"^\| `(?P<field>\w+\.\w+)` \| (?P<p>[^|]+) \| (?P<v>[^|]+) \|")


def _documented_volunteer_fields() -> set[str]:
    text = (Path(settings.BASE_DIR) / "docs" / "privacy.md").read_text()
    rows = (ROW.match(line) for line in text.splitlines())
    return {row["field"] for row in rows if row and row["v"].strip() == "yes"}


def _model_field(root, path: str) -> str:
    """Follow an ORM path like ``resident__village__name`` to ``Village.name``."""
    model = root
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return f"{model.__name__}.{model._meta.get_field(name).name}"


def test_volunteer_column_matches_the_allow_list():
    allowed = {_model_field(Case, path) for path in (*CASE_FIELDS, *RESIDENT_FIELDS, *DOMAIN_FIELDS)}
    allowed |= {_model_field(CaseMembership, path) for path in RESPONSIBLE_FIELDS}
    allowed |= {_model_field(JournalEntry, path) for path in JOURNAL_FIELDS}
    allowed |= {_model_field(Referral, path) for path in REFERRAL_FIELDS}

    assert _documented_volunteer_fields() == allowed
