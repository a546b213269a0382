import pytest


@pytest.fixture(autouse=True)
def _db_for_all(db):
    """Every test here touches the database; make that explicit once."""


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"
