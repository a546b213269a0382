"""Two professionals editing at once: the second gets a conflict, nothing is overwritten."""

import pytest

from cases import services
from cases.models import Case
from cases.services import ConcurrentEditError
from tests.factories import CaseFactory, make_professional


def test_second_edit_on_a_stale_version_is_refused():
    case = CaseFactory(active=True)
    colleague = make_professional(case.team)
    seen_version = case.version

    services.case_update(actor=case.responsible, case=case, expected_version=seen_version, request_for_help="Eerste")
    with pytest.raises(ConcurrentEditError):
        services.case_update(actor=colleague, case=case, expected_version=seen_version, request_for_help="Tweede")

    assert Case.objects.get(pk=case.pk).request_for_help == "Eerste"


def test_edit_on_the_current_version_succeeds_and_raises_the_version():
    case = CaseFactory()

    updated = services.case_update(actor=case.responsible, case=case, expected_version=case.version, urgency="high")

    assert updated.version == case.version + 1
    assert updated.urgency == "high"
