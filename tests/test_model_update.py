"""base.updates.model_update: the one way services change a record's fields — allow-listed,
validated, saving (and auditing) only what changed."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from accounts.services import system_actor
from base.audit import acting_as
from base.updates import model_update
from cases.models import LifeDomain, Resident
from tests.factories import CaseFactory, ResidentFactory


def _updates(instance) -> list[dict]:
    return [entry.changes_dict for entry in LogEntry.objects.get_for_object(instance).filter(action=1)]


def test_only_the_changed_fields_are_saved_and_audited():
    resident = ResidentFactory(phone="0481-000000")

    with acting_as(system_actor()):
        _saved, changed = model_update(
            instance=resident,
            fields=("phone", "street"),
            data={"phone": "0481-111111", "street": resident.street},
            expected_version=resident.version,
        )

    assert changed == ["phone"]
    assert Resident.objects.get(pk=resident.pk).phone == "0481-111111"
    assert [set(change) for change in _updates(resident)] == [{"phone"}]


def test_nothing_changed_writes_nothing():
    resident = ResidentFactory()

    with acting_as(system_actor()):
        _saved, changed = model_update(
            instance=resident, fields=("phone",), data={"phone": resident.phone}, expected_version=resident.version
        )

    assert changed == []
    assert _updates(resident) == []


def test_a_field_outside_the_allow_list_is_a_programming_error():
    resident = ResidentFactory()

    with pytest.raises(TypeError):
        model_update(instance=resident, fields=("phone",), data={"date_of_birth": None}, expected_version=1)


def test_an_invalid_value_is_refused_and_not_saved():
    resident = ResidentFactory(email="inwoner@example.org")

    with pytest.raises(ValidationError), acting_as(system_actor()):
        model_update(instance=resident, fields=("email",), data={"email": "geen adres"}, expected_version=1)

    assert Resident.objects.get(pk=resident.pk).email == "inwoner@example.org"


def test_many_to_many_fields_are_set_after_the_save_when_they_changed():
    case = CaseFactory()
    wanted = list(LifeDomain.objects.filter(code__in=["money", "housing"]))

    with acting_as(case.responsible):
        _saved, changed = model_update(
            instance=case, fields=("domains",), data={"domains": wanted}, expected_version=case.version
        )

    assert changed == ["domains"]
    assert set(case.domains.values_list("code", flat=True)) == {"money", "housing"}


def test_a_versioned_record_changes_only_from_the_version_the_editor_saw():
    from base.updates import ConcurrentEditError

    resident = ResidentFactory(phone="0481-000000")
    with acting_as(system_actor()):
        model_update(instance=resident, fields=("phone",), data={"phone": "0481-111111"}, expected_version=1)

        with pytest.raises(ConcurrentEditError) as conflict:
            model_update(instance=resident, fields=("phone",), data={"phone": "0481-222222"}, expected_version=1)

    assert conflict.value.current.version == 2
    assert Resident.objects.get(pk=resident.pk).phone == "0481-111111"


def test_a_versioned_record_needs_the_version_the_editor_saw():
    with pytest.raises(TypeError):
        model_update(instance=ResidentFactory(), fields=("phone",), data={"phone": "x"})
