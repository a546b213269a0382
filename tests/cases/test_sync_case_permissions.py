"""Grants are derived from facts; the command recomputes them and reports drift."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from cases.models import CaseUserObjectPermission
from cases.permissions import sync_case_permissions
from tests.factories import CaseFactory, make_coordinator


def test_sync_is_idempotent():
    case = CaseFactory(with_volunteer=True)

    drift = sync_case_permissions(case)

    assert not drift


def test_check_reports_a_hand_made_grant_and_changes_nothing(capsys):
    case = CaseFactory(with_volunteer=True)
    coordinator = make_coordinator(case.team)
    CaseUserObjectPermission.objects.create(
        user=coordinator, content_object=case, permission=Permission.objects.get(codename="view_case")
    )

    with pytest.raises(CommandError):
        call_command("sync_case_permissions", "--check")

    assert "stale view_case" in capsys.readouterr().out
    assert CaseUserObjectPermission.objects.filter(user=coordinator).exists()


def test_sync_removes_drift_and_a_second_check_is_clean(capsys):
    case = CaseFactory(with_volunteer=True)
    CaseUserObjectPermission.objects.filter(user=case.volunteer).delete()

    call_command("sync_case_permissions")
    call_command("sync_case_permissions", "--check")

    assert CaseUserObjectPermission.objects.filter(user=case.volunteer).count() == 2
    assert "0 missing and 0 stale grants found." in capsys.readouterr().out
