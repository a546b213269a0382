"""Shared by the volunteer pages' tests."""

import pytest

from tests.factories import PASSWORD, CaseFactory


@pytest.fixture
def assigned(client):
    """A case with a volunteer assigned (consent given, screened), the volunteer logged in."""
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.volunteer.username, password=PASSWORD)
    return case
