"""A proposal (R7): the team proposes a volunteer for a case; the volunteer sees only the
resident's name and street, to say whether they know them, and accepts (the slice opens) or
declines with a reason (the proposal ends, the decline is seen by professionals only)."""

import uuid

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.services import system_actor
from base.audit import acting_as
from cases import services
from cases.constants import MembershipRole
from cases.models import (
    Case,
    CaseInterest,
    CaseMembership,
    CaseUserObjectPermission,
    DeclineReason,
    InterestAnswer,
    LifeDomain,
)
from cases.permissions import CaseAction, can, cases_for, eligible_volunteers
from privacy.events import READS
from tests.factories import PASSWORD, CaseFactory, ResidentFactory, VillageFactory, make_volunteer
from volunteers.matching import volunteer_suggestions


def _dutch(text: str) -> str:
    with translation.override("nl"):
        return str(translation.gettext(text))


@pytest.fixture
def proposal():
    """A case whose volunteer is proposed and has not answered yet; every other field of the
    resident and the case holds a marker that the proposal must not show."""
    village = VillageFactory(name="MARKER-dorp")
    resident = ResidentFactory(
        village=village,
        first_name="Aaltje",
        last_name="Brinkhorst",
        street="Molenweg",
        house_number="MARKER-17",
        postcode="MARKER-pc",
        phone="MARKER-tel",
        email="marker-mail@example.org",
        notes="MARKER-notes",
    )
    case = CaseFactory(
        resident=resident,
        with_proposal=True,
        request_for_help="MARKER-request",
        volunteer_summary="MARKER-summary",
    )
    with acting_as(system_actor()):
        case.domains.set(LifeDomain.objects.filter(code="housing"))
    case.markers = [
        "MARKER-dorp",
        "MARKER-17",
        "MARKER-pc",
        "MARKER-tel",
        "marker-mail@example.org",
        "MARKER-notes",
        "MARKER-request",
        "MARKER-summary",
        _dutch("Housing"),
    ]
    return case


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _membership(case) -> CaseMembership:
    return CaseMembership.objects.get(pk=case.volunteer_membership.pk)


def _answer(client, case, what: str, **data):
    url = reverse(f"volunteers:proposal_{what}", args=[case.volunteer_membership.pk])
    return client.post(url, {"submission_key": str(uuid.uuid4()), **data})


# --- no slice while it is a proposal -------------------------------------------------------------


def test_a_proposal_holds_no_slice_and_no_grant(client, proposal):
    _login(client, proposal.volunteer)

    slice_page = client.get(reverse("volunteers:my_case", args=[proposal.pk]))
    visit_page = client.get(reverse("volunteers:visit_new", args=[proposal.pk]))

    assert slice_page.status_code == 404 and visit_page.status_code == 404
    assert not CaseUserObjectPermission.objects.filter(user=proposal.volunteer, content_object=proposal).exists()
    assert not cases_for(proposal.volunteer, CaseAction.VIEW_SLICE).filter(pk=proposal.pk).exists()
    assert _membership(proposal).is_proposal


def test_a_grant_left_behind_on_a_proposal_still_reads_no_slice(proposal):
    for codename in ("view_case_slice", "log_home_visit"):
        CaseUserObjectPermission.objects.create(
            user=proposal.volunteer, content_object=proposal, permission=Permission.objects.get(codename=codename)
        )

    assert not can(proposal.volunteer, CaseAction.VIEW_SLICE, proposal)
    assert not can(proposal.volunteer, CaseAction.LOG_VISIT, proposal)
    assert not cases_for(proposal.volunteer, CaseAction.VIEW_SLICE).filter(pk=proposal.pk).exists()


def test_a_meeting_decision_with_a_volunteer_is_a_proposal_shown_as_waiting(client):
    case = CaseFactory(consented=True)
    volunteer = make_volunteer(case.team)
    meeting = services.meeting_start(actor=case.responsible, team=case.team)

    services.meeting_decide(
        actor=case.responsible,
        meeting=meeting,
        case=case,
        responsible=case.responsible,
        volunteer=volunteer,
        next_step="Kennismaken",
    )

    membership = CaseMembership.objects.get(case=case, user=volunteer)
    assert membership.role == MembershipRole.VOLUNTEER and membership.accepted_at is None
    assert not can(volunteer, CaseAction.VIEW_SLICE, case)
    _login(client, case.responsible)
    waiting = _dutch("proposed, waiting for an answer")
    assert waiting in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert waiting in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


# --- what the proposal shows, and that it is logged ---------------------------------------------


@pytest.mark.parametrize("page", ["my_cases", "proposal"])
def test_the_proposal_shows_the_name_and_street_and_nothing_else(client, proposal, page):
    _login(client, proposal.volunteer)
    args = [proposal.volunteer_membership.pk] if page == "proposal" else []

    body = client.get(reverse(f"volunteers:{page}", args=args)).content.decode()

    assert "Aaltje" in body and "Brinkhorst" in body and "Molenweg" in body
    assert [marker for marker in proposal.markers if escape(marker) in body or marker in body] == []


def test_reading_a_proposal_is_an_access_entry_with_the_reader(client, proposal):
    _login(client, proposal.volunteer)

    client.get(reverse("volunteers:my_cases"))
    client.get(reverse("volunteers:proposal", args=[proposal.volunteer_membership.pk]))

    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__view="volunteer_proposal")
    assert reads.count() == 2
    assert {(entry.actor_id, entry.object_pk) for entry in reads} == {(proposal.volunteer.pk, str(proposal.pk))}
    assert all("volunteer_staff" in entry.additional_data["roles"] for entry in reads)
    assert "volunteer_proposal" in READS


def test_another_volunteers_proposal_is_404_and_unchanged(client, proposal):
    colleague = make_volunteer(proposal.team)
    _login(client, colleague)

    page = client.get(reverse("volunteers:proposal", args=[proposal.volunteer_membership.pk]))
    accepted = _answer(client, proposal, "accept")
    declined = _answer(client, proposal, "decline", reason="knows_resident")
    listed = client.get(reverse("volunteers:my_cases")).content.decode()

    assert (page.status_code, accepted.status_code, declined.status_code) == (404, 404, 404)
    assert "Brinkhorst" not in listed
    assert _membership(proposal).is_proposal
    assert not CaseInterest.objects.exists()
    assert not LogEntry.objects.filter(additional_data__view="volunteer_proposal").exists()


def test_without_consent_the_proposal_shows_nothing_and_cannot_be_accepted(client, proposal):
    services.consent_withdraw(actor=proposal.responsible, case=proposal)
    _login(client, proposal.volunteer)

    listed = client.get(reverse("volunteers:my_cases")).content.decode()
    page = client.get(reverse("volunteers:proposal", args=[proposal.volunteer_membership.pk]))

    assert "Brinkhorst" not in listed and page.status_code == 404
    with pytest.raises(PermissionDenied):
        services.proposal_accept(actor=proposal.volunteer, membership=_membership(proposal))


def test_only_the_proposed_volunteer_answers_through_the_services(proposal):
    for outsider in (proposal.responsible, make_volunteer(proposal.team)):
        with pytest.raises(PermissionDenied):
            services.proposal_accept(actor=outsider, membership=_membership(proposal))
        with pytest.raises(PermissionDenied):
            services.proposal_decline(actor=outsider, membership=_membership(proposal), reason="other")


# --- accepting ---------------------------------------------------------------------------------


def test_accepting_opens_the_slice_and_is_audited_with_the_actor(client, proposal):
    _login(client, proposal.volunteer)

    response = _answer(client, proposal, "accept")

    assert response.status_code == 302 and response.url == reverse("volunteers:my_case", args=[proposal.pk])
    assert _membership(proposal).accepted_at is not None
    assert can(proposal.volunteer, CaseAction.VIEW_SLICE, proposal)
    assert client.get(reverse("volunteers:my_case", args=[proposal.pk])).status_code == 200
    entry = LogEntry.objects.get_for_object(_membership(proposal)).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == proposal.volunteer
    assert set(entry.changes_dict) == {"accepted_at"}


def test_an_accepted_proposal_can_no_longer_be_declined(proposal):
    services.proposal_accept(actor=proposal.volunteer, membership=_membership(proposal))

    with pytest.raises(PermissionDenied):
        services.proposal_decline(actor=proposal.volunteer, membership=_membership(proposal), reason="other")


# --- declining ---------------------------------------------------------------------------------


def test_declining_because_i_know_the_resident_ends_the_proposal_and_keeps_me_out(client, proposal):
    _login(client, proposal.volunteer)

    response = _answer(client, proposal, "decline", reason="knows_resident", note="Mijn buurvrouw")

    assert response.status_code == 302 and response.url == reverse("volunteers:my_cases")
    membership = _membership(proposal)
    assert membership.ended_at is not None and membership.accepted_at is None
    interest = CaseInterest.objects.get(case=proposal, volunteer=proposal.volunteer)
    assert (interest.answer, interest.reason, interest.note) == ("declined", "knows_resident", "Mijn buurvrouw")
    assert not eligible_volunteers(proposal).filter(user=proposal.volunteer).exists()
    assert proposal.volunteer.pk not in [s.user_id for s in volunteer_suggestions(Case.objects.get(pk=proposal.pk))]
    assert not CaseUserObjectPermission.objects.filter(user=proposal.volunteer, content_object=proposal).exists()
    assert client.get(reverse("volunteers:proposal", args=[membership.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.volunteer_assign(actor=proposal.responsible, case=proposal, volunteer=proposal.volunteer)


def test_declining_is_audited_with_the_actor(proposal):
    services.proposal_decline(actor=proposal.volunteer, membership=_membership(proposal), reason="outside_expertise")

    ended = LogEntry.objects.get_for_object(_membership(proposal)).filter(action=LogEntry.Action.UPDATE).get()
    recorded = LogEntry.objects.get_for_object(CaseInterest.objects.get()).get()
    assert ended.actor == proposal.volunteer and set(ended.changes_dict) == {"ended_at"}
    assert recorded.actor == proposal.volunteer and recorded.action == LogEntry.Action.CREATE


def test_declining_updates_an_earlier_answer_on_the_board(proposal):
    CaseInterest.objects.create(case=proposal, volunteer=proposal.volunteer, answer=InterestAnswer.INTERESTED)

    services.proposal_decline(actor=proposal.volunteer, membership=_membership(proposal), reason="knows_resident")

    assert CaseInterest.objects.get().answer == InterestAnswer.DECLINED


def test_declining_needs_a_reason(client, proposal):
    _login(client, proposal.volunteer)

    response = _answer(client, proposal, "decline", note="Liever niet")

    assert response.status_code == 200 and "Liever niet" in response.content.decode()
    assert _membership(proposal).is_proposal
    with pytest.raises(ValidationError):
        services.proposal_decline(actor=proposal.volunteer, membership=_membership(proposal), reason="")


def test_the_decline_is_seen_by_professionals_only(client, proposal):
    services.proposal_decline(
        actor=proposal.volunteer, membership=_membership(proposal), reason="knows_resident", note="Mijn buurvrouw"
    )
    colleague = make_volunteer(proposal.team)
    services.volunteer_assign(actor=proposal.responsible, case=proposal, volunteer=colleague)
    reason = _dutch(DeclineReason.KNOWS_RESIDENT.label)

    _login(client, proposal.responsible)
    file_page = client.get(reverse("cases:detail", args=[proposal.pk])).content.decode()
    _login(client, colleague)
    colleague_pages = [
        client.get(reverse("volunteers:my_cases")).content.decode(),
        client.get(reverse("volunteers:proposal", args=[_open_proposal_of(colleague, proposal).pk])).content.decode(),
        client.get(reverse("volunteers:board")).content.decode(),
    ]

    assert escape(proposal.volunteer.last_name) in file_page and reason in file_page and "Mijn buurvrouw" in file_page
    for body in colleague_pages:
        assert escape(proposal.volunteer.last_name) not in body
        assert "Mijn buurvrouw" not in body


def _open_proposal_of(volunteer, case) -> CaseMembership:
    return CaseMembership.objects.get(case=case, user=volunteer, ended_at__isnull=True)


# --- double submit -----------------------------------------------------------------------------


@pytest.mark.parametrize(("what", "data"), [("accept", {}), ("decline", {"reason": "knows_resident"})])
def test_a_double_tap_answers_once_and_like_the_first(client, proposal, what, data):
    _login(client, proposal.volunteer)
    url = reverse(f"volunteers:proposal_{what}", args=[proposal.volunteer_membership.pk])
    sent = {"submission_key": str(uuid.uuid4()), **data}

    first = client.post(url, sent)
    repeat = client.post(url, sent)

    assert first.status_code == 302 and repeat.status_code == 302 and repeat.url == first.url
    updates = LogEntry.objects.get_for_object(_membership(proposal)).filter(action=LogEntry.Action.UPDATE)
    assert updates.count() == 1
    assert CaseInterest.objects.count() == (1 if what == "decline" else 0)
