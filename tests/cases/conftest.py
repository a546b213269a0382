"""Fixtures shared by the case tests."""

import pytest

from tests.factories import VillageFactory, make_professional


@pytest.fixture
def professional():
    """A professional of the team of Elst, with that village at hand (``.village``)."""
    village = VillageFactory(name="Elst")
    user = make_professional(village.team)
    user.village = village
    return user
