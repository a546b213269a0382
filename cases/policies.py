"""Policies of the case file's other objects, in the shape of ``cases.permissions``: one query
answers both "may this user…" and "which objects…" (``base.policy.Policy``).

* :data:`alarms` — who follows up an alarm (R11);
* :data:`visit_notes` — who reads a visit the server refused, and who may send one (issue [15]);
* :data:`meetings` — who holds or joins a team's weekly meeting (R4);
* :data:`open_questions` — the volunteer staff's open-questions board (R5, R6, R8);
* :data:`proposals` — a volunteer's own proposals for a case, to accept or decline (R7);
* :data:`existence` — whose existence a professional of another team may learn ("that, not what");
* :func:`professionals_for` — who may be made responsible for, or added to, a case.

The rules that cut access (a restricted resident, consent, screening) live here and in
``cases.permissions``, so every list and every check inherits them.
"""

from __future__ import annotations

import enum

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from accounts.facts import professional_team_ids, professional_teams
from accounts.models import Team, User
from accounts.roles import Role, has_role
from base.policy import Policy

from .constants import CaseStatus, ConsentAnswer, MembershipRole
from .models import Alarm, Case, CaseMembership, Meeting, Resident, VisitNote, VolunteerConsent
from .permissions import CaseAction, can, cases_for
from .records import ERASED
from .screening import supervised_volunteers, volunteer_profile, volunteer_team_id


def _followed_by(user) -> Q | None:
    """What ``user`` follows up of volunteer staff's messages (alarms, visit notes): those of the
    volunteers they supervise -- while a professional of the volunteer's team, as for check-ins
    (R11) -- and those on cases they are the responsible professional of. None for no one."""
    teams = professional_team_ids(user)
    if not teams:
        return None
    responsible = CaseMembership.objects.filter(
        user=user, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True
    ).values("case_id")
    return Q(volunteer_id__in=supervised_volunteers(user, teams)) | Q(case_id__in=responsible)


def _followers(volunteer, case_id: int | None) -> QuerySet[User]:
    """The same rule from the message's side: who follows up what ``volunteer`` sent (on ``case_id``)."""
    profile = volunteer_profile(volunteer)
    condition = Q(pk__in=[])
    if profile is not None and profile.supervisor_id:
        condition |= Q(pk=profile.supervisor_id, professional_profile__team_id=profile.team_id)
    if case_id:
        condition |= Q(
            pk__in=CaseMembership.objects.filter(
                case_id=case_id, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True
            ).values("user_id")
        )
    return User.objects.filter(condition, is_active=True, groups__name=Role.PROFESSIONAL.value)


class AlarmPolicy(Policy[Alarm]):
    """An alarm (R11) is followed up by the volunteer's supervising professional -- while a
    professional of the volunteer's team, as for check-ins -- and by the responsible
    professional of the case it was raised on: they see it on their home page, are e-mailed,
    and may mark it followed up. The same set for all three, so the list and the action agree."""

    model = Alarm

    class Action(enum.Enum):
        FOLLOW_UP = "follow_up"

    def scope(self, user, action: Action = Action.FOLLOW_UP) -> QuerySet[Alarm]:
        followed = _followed_by(user)
        return Alarm.objects.none() if followed is None else Alarm.objects.filter(followed)

    def open_for(self, user) -> QuerySet[Alarm]:
        """The open alarms ``user`` follows up, newest first (their home page)."""
        return self.scope(user).filter(resolved_at__isnull=True).select_related("volunteer").order_by("-raised_at")

    def followers(self, alarm: Alarm) -> QuerySet[User]:
        """Who follows ``alarm`` up (the e-mail's recipients): the same rule, from the alarm's side."""
        return _followers(alarm.volunteer, alarm.case_id)


class VisitNotePolicy(Policy[VisitNote]):
    """A visit the server refused because the volunteer's access to the case ended while the
    visit waited on their phone (issue [15]). The volunteer may send it as a note on a case they
    were ever assigned to -- and only then: no note reaches a case they never worked on. It is
    read and decided on by whom an alarm reaches (supervising and responsible professional), as
    far as they may read the case file itself: a note never shows more of a resident than the file."""

    model = VisitNote

    class Action(enum.Enum):
        DECIDE = "decide"  # read it, add it as a visit or set it aside

    def scope(self, user, action: Action = Action.DECIDE) -> QuerySet[VisitNote]:
        followed = _followed_by(user)
        if followed is None:
            return VisitNote.objects.none()
        return VisitNote.objects.filter(followed, case__in=cases_for(user, CaseAction.VIEW_FILE))

    def open_for(self, user) -> QuerySet[VisitNote]:
        """The notes ``user`` still has to decide on, oldest first (their home page)."""
        return self.scope(user).filter(handled_at__isnull=True).select_related("volunteer").order_by("sent_at", "pk")

    def followers(self, note: VisitNote) -> list[User]:
        """Who is e-mailed that the note came: the readers among the alarm's followers."""
        people = _followers(note.volunteer, note.case_id)
        return [person for person in people if can(person, CaseAction.VIEW_FILE, note.case)]

    def sendable_cases(self, user) -> QuerySet[Case]:
        """The cases ``user`` may send a visit note on: those they were assigned to as volunteer
        staff, also after the assignment ended (that is when a note is needed)."""
        if not has_role(user, Role.VOLUNTEER_STAFF):
            return Case.objects.none()
        return Case.objects.filter(memberships__user=user, memberships__role=MembershipRole.VOLUNTEER).distinct()


class MeetingPolicy(Policy[Meeting]):
    """The weekly meeting (R4) is held by the professionals of its team. Volunteer staff join
    it only where the team lets them (a team setting) and only while they may work on cases;
    they then see the agenda items of their own cases, as slices."""

    model = Meeting

    class Action(enum.Enum):
        HOLD = "hold"  # see the agenda, decide, end, read the minutes
        JOIN = "join"  # volunteer staff in the case discussion

    def scope(self, user, action: Action) -> QuerySet[Meeting]:
        if action is self.Action.HOLD:
            return Meeting.objects.filter(team_id__in=professional_teams(user))
        team_id = volunteer_team_id(user)
        if team_id is None:
            return Meeting.objects.none()
        return Meeting.objects.filter(team_id=team_id, team__volunteers_join_meeting=True)


OPEN_QUESTION_STATUSES = (CaseStatus.NEW, CaseStatus.IN_TRIAGE)


class OpenQuestionPolicy(Policy[Case]):
    """The open-questions board (R5): new cases of a screened volunteer's own team whose
    resident consented to a volunteer joining (R6) and did not restrict processing (art. 18).
    Shown only as village, domains and the summary for volunteer staff (R8)."""

    model = Case

    class Action(enum.Enum):
        ANSWER = "answer"  # see it on the board and say "I would like to join" / "not for me"

    def scope(self, user, action: Action = Action.ANSWER) -> QuerySet[Case]:
        team_id = volunteer_team_id(user)
        if team_id is None:
            return Case.objects.none()
        newest = VolunteerConsent.objects.filter(case=OuterRef("pk")).order_by("-recorded_at", "-pk")
        return (
            Case.objects.filter(
                team_id=team_id, status__in=OPEN_QUESTION_STATUSES, resident__restricted_at__isnull=True
            )
            .annotate(
                board_consent=Subquery(newest.values("answer")[:1]),
                board_consent_withdrawn=Subquery(newest.values("withdrawn_at")[:1]),
            )
            .filter(board_consent=ConsentAnswer.YES, board_consent_withdrawn__isnull=True)
        )


class ProposalPolicy(Policy[CaseMembership]):
    """A proposal (R7): the team proposed a volunteer for a case and waits for their answer.
    Only the volunteer themself sees and answers it, only while it is open and not yet
    accepted, while they may work on cases (role, account, VOG), and only while a volunteer may
    be involved at all: the case is not closed, the resident consented (R6) and did not
    restrict processing (art. 18). What they then see is the resident's name and street, no
    more (``selectors.volunteer_proposals``)."""

    model = CaseMembership

    class Action(enum.Enum):
        ANSWER = "answer"  # see who the resident is, and accept or decline

    def scope(self, user, action: Action = Action.ANSWER) -> QuerySet[CaseMembership]:
        if volunteer_team_id(user) is None:
            return CaseMembership.objects.none()
        newest = VolunteerConsent.objects.filter(case=OuterRef("case_id")).order_by("-recorded_at", "-pk")
        return (
            CaseMembership.objects.filter(
                user=user,
                role=MembershipRole.VOLUNTEER,
                ended_at__isnull=True,
                accepted_at__isnull=True,
                case__resident__restricted_at__isnull=True,
            )
            .exclude(case__status=CaseStatus.CLOSED)
            .annotate(
                proposal_consent=Subquery(newest.values("answer")[:1]),
                proposal_consent_withdrawn=Subquery(newest.values("withdrawn_at")[:1]),
            )
            .filter(proposal_consent=ConsentAnswer.YES, proposal_consent_withdrawn__isnull=True)
        )


class ExistencePolicy(Policy[Resident]):
    """That, not what (one family, one plan): a professional may learn *that* a resident of
    their municipality is known to a team — which team, and whom to call — so they call that
    colleague instead of registering the resident a second time. Nothing of the file: more
    only by a transfer or by being added to the case (``cases.permissions``).

    Only professionals (volunteer staff, coordinators, administrators and privacy officers
    learn nothing), only residents with a case of a team of the professional's municipality
    that is not erased, never an erased resident, and never a resident who restricted
    processing (art. 18: even their existence is not passed on to another team)."""

    model = Resident

    class Action(enum.Enum):
        LEARN = "learn"  # learn that the resident is known, to which team and whom to call

    def scope(self, user, action: Action = Action.LEARN) -> QuerySet[Resident]:
        known = self.cases(user).filter(resident=OuterRef("pk"))
        return Resident.objects.filter(Exists(known), erased_at__isnull=True, restricted_at__isnull=True)

    def cases(self, user) -> QuerySet[Case]:
        """The cases whose team and responsible professional ``user`` may learn: those of a
        team of their municipality, not erased (an erased case says nothing any more)."""
        team_ids = professional_team_ids(user)
        if not team_ids:
            return Case.objects.none()
        municipalities = Team.objects.filter(pk__in=team_ids).values("municipality_id")
        return Case.objects.filter(team__municipality_id__in=municipalities).exclude(request_for_help=ERASED)


alarms = AlarmPolicy()
visit_notes = VisitNotePolicy()
meetings = MeetingPolicy()
open_questions = OpenQuestionPolicy()
proposals = ProposalPolicy()
existence = ExistencePolicy()


def professionals_for(case: Case, *, responsible: bool) -> QuerySet[User]:
    """Who may be made the responsible professional of ``case`` (an active professional of its
    team, R9), or added to it as a professional (an active professional of its municipality).
    The case page's pickers and the services read this one rule."""
    people = User.objects.filter(is_active=True, groups__name=Role.PROFESSIONAL.value)
    if responsible:
        people = people.filter(professional_profile__team_id=case.team_id)
    else:
        people = people.filter(professional_profile__team__municipality_id=case.team.municipality_id)
    return people.order_by("first_name", "last_name", "pk")
