"""Reads of the case file, always scoped by :mod:`cases.permissions`.

A case outside the scope raises ``Http404``, exactly like one that does not exist.
Reads of a file or a slice write an access entry (who read what, through which view).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Upper
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import ProfessionalProfile, User
from accounts.roles import Role, has_role

from .audit import log_access
from .constants import CaseStatus, LifeDomainCode, MembershipRole
from .models import (
    AgendaReason,
    Agreement,
    Case,
    CaseInterest,
    CaseMembership,
    HomeVisit,
    InterestAnswer,
    JournalEntry,
    Meeting,
    MeetingDecision,
    Resident,
    VolunteerConsent,
)
from .permissions import (
    CaseAction,
    allowed_actions,
    cases_for,
    current_consent,
    open_question_cases,
    visible_cases,
)
from .slice import CaseSlice, build_slices


def team_cases(user: User) -> QuerySet[Case]:
    """The cases whose file ``user`` may read, with what a list row shows, in fixed queries."""
    responsible = CaseMembership.objects.filter(role=MembershipRole.RESPONSIBLE, ended_at__isnull=True).select_related(
        "user"
    )
    return (
        visible_cases(user)
        .select_related("resident__village", "team")
        .prefetch_related("domains", Prefetch("memberships", queryset=responsible, to_attr="responsible_memberships"))
        .order_by("-opened_at", "-pk")
    )


@dataclass
class CaseFile:
    """Everything a professional sees on the case page."""

    case: Case
    memberships: list[CaseMembership]
    consents: list[VolunteerConsent]
    journal: list[JournalEntry]
    history: list[LogEntry]
    can_change: bool
    can_close: bool
    can_reopen: bool
    referrals: list = ()

    @property
    def responsible(self) -> CaseMembership | None:
        return next((m for m in self.memberships if m.role == MembershipRole.RESPONSIBLE and m.is_open), None)

    @property
    def current_consent(self) -> VolunteerConsent | None:
        return self.consents[0] if self.consents else None


def case_by_submission_key(*, user: User, key) -> Case | None:
    """The case an earlier submit of the same form registered, if the user may read it."""
    return visible_cases(user).filter(submission_key=key).first() if key else None


def case_file(*, user: User, case_id: int, log: bool = True) -> CaseFile:
    """The full case file for a professional; logs the read (access entry).

    ``log=False`` only for re-rendering a part of a page the user just read and changed.
    """
    case = (
        cases_for(user, CaseAction.VIEW_FILE, case_id=case_id)
        .select_related("resident__village", "team")
        .prefetch_related(
            "domains",
            "topics",
            Prefetch("home_visits", queryset=HomeVisit.objects.select_related("visitor")),
            Prefetch("agreements", queryset=Agreement.objects.select_related("assignee")),
        )
        .first()
    )
    if case is None:
        raise Http404
    if log:
        log_access(actor=user, instance=case, view="case_file")
    memberships = list(case.memberships.select_related("user").order_by("ended_at", "role", "started_at"))
    history = case_history(case)
    allowed = allowed_actions(user, case, (CaseAction.CHANGE_FILE, CaseAction.CLOSE, CaseAction.REOPEN))
    from cases.slice import SliceReferral
    from socialmap.models import Referral

    referrals = [
        SliceReferral(id=r.pk, offer_name=r.offer.name, outcome=r.outcome)
        for r in Referral.objects.filter(case=case).select_related("offer")
    ]
    return CaseFile(
        referrals=referrals,
        case=case,
        memberships=memberships,
        consents=list(case.consents.select_related("asked_by", "withdrawn_by")),
        journal=list(case.journal_entries.select_related("author")),
        history=history,
        can_change=CaseAction.CHANGE_FILE in allowed,
        can_close=CaseAction.CLOSE in allowed,
        can_reopen=CaseAction.REOPEN in allowed,
    )


def case_history(case: Case, limit: int = 100) -> list[LogEntry]:
    """Who changed what on the case file, and who read it: entries on the case itself and on
    the records that belong to it (their entries carry ``case_id``)."""
    case_type = ContentType.objects.get_for_model(Case)
    entries = list(
        LogEntry.objects.filter(Q(content_type=case_type, object_id=case.pk) | Q(additional_data__case_id=case.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    for entry in entries:
        model = entry.content_type.model_class()
        entry.record_label = model._meta.verbose_name if model else entry.content_type.model
        entry.changed_fields = []
        if entry.action == LogEntry.Action.UPDATE and model is not None:
            entry.changed_fields = [_field_label(model, name) for name in (entry.changes_dict or {})]
    return entries


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field that no longer exists
        return name


def case_people(case: Case) -> QuerySet[User]:
    """Who can take on an agreement: the people who work on the case now."""
    return User.objects.filter(case_memberships__case=case, case_memberships__ended_at__isnull=True).order_by(
        "first_name", "last_name"
    )


def assignable_volunteers(case: Case) -> QuerySet[User]:
    """Volunteer staff who could join (the service re-checks consent and VOG)."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name=Role.VOLUNTEER_STAFF.value,
            volunteer_profile__team_id=case.team_id,
        )
        .exclude(case_memberships__case=case, case_memberships__ended_at__isnull=True)
        .order_by("first_name", "last_name")
    )


def volunteer_cases(user: User) -> list[CaseSlice]:
    """The slices of the cases a volunteer is assigned to (R8). No model instance leaves here."""
    return build_slices(cases_for(user, CaseAction.VIEW_SLICE))


def volunteer_case(*, user: User, case_id: int) -> CaseSlice:
    """One slice, with the journal entries shared with volunteers; logs the read."""
    scoped = cases_for(user, CaseAction.VIEW_SLICE, case_id=case_id)
    slices = build_slices(scoped, with_journal=True, viewer=user)
    if not slices:
        raise Http404
    log_access(actor=user, instance=Case(pk=case_id), view="volunteer_slice")
    return slices[0]


# --- consent as a query ----------------------------------------------------------------------


def consent_allows_volunteer(case: Case) -> bool:
    consent = current_consent(case)
    return consent is not None and consent.allows_volunteer


# --- residents -------------------------------------------------------------------------------


def _normalised_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def residents_for(user: User) -> QuerySet[Resident]:
    """Residents a professional may find: living in their team's villages, or with a case they may read."""
    if not has_role(user, Role.PROFESSIONAL):
        return Resident.objects.none()
    team_ids = ProfessionalProfile.objects.filter(user=user).values("team_id")
    # Per resident, that resident's cases checked against their own grant rows: the search has
    # narrowed the residents down first (with a larger work_mem PostgreSQL otherwise hashed
    # every case the user may read, 250 ms at XL; docs/performance.md).
    readable_case = cases_for(user, CaseAction.VIEW_FILE, per_case=True).filter(resident=OuterRef("pk"))
    return Resident.objects.filter(Q(village__team_id__in=team_ids) | Q(Exists(readable_case)))


def matching_residents(residents: QuerySet[Resident], query: str) -> QuerySet[Resident]:
    """Residents matching every word of ``query`` in their name, address or postcode."""
    query = re.sub(r"\b(\d{4})\s+([A-Za-z]{2})\b", r"\1\2", query)  # "6662 CD" is one postcode
    words = _search_terms(query)
    if not words:
        return residents.none()
    for word in words:
        postcode = _normalised_postcode(word)
        exact = (
            Q(house_number__iexact=word)
            | Q(postcode__istartswith=word)
            | Q(postcode__istartswith=f"{postcode[:4]} {postcode[4:]}".strip())
        )
        if len(word) < 3:  # "12", "a": a house number or postcode, not a fragment of every name
            residents = residents.filter(exact)
        else:
            residents = residents.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(street__icontains=word) | exact
            )
    return residents


def _search_terms(query: str) -> list[str]:
    """The words of a search, with a short word before another kept together: "de Wit" and
    "van 't Hof" are searched as the surnames they are (and the trigram indexes, which need
    three characters, can serve them)."""
    terms: list[str] = []
    pending = ""
    for word in query.split()[:8]:
        if pending:
            word, pending = f"{pending} {word}", ""
        if (len(word) < 3 and word.isalpha()) or word.endswith("'t"):
            pending = word
            continue
        terms.append(word)
    if pending:
        terms.append(pending)
    return terms[:5]


def resident_search(*, user: User, query: str, limit: int = 20) -> list[Resident]:
    """Find residents by name, address or postcode (every word must match somewhere)."""
    found = matching_residents(residents_for(user), query)
    # Case-insensitive order ("de Wit" among the W… and D… as people file it). It also keeps
    # PostgreSQL from walking the whole name index to find a handful of matches: it collects
    # the matches through the trigram indexes and sorts those (docs/performance.md).
    by_name = (Upper("last_name"), Upper("first_name"), "pk")
    return list(found.select_related("village").order_by(*by_name)[:limit])


def resident_duplicates(
    *,
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    postcode: str,
    house_number: str,
) -> list[Resident]:
    """Residents that are likely the same person: similar name and the same date of birth,
    or the same address (postcode and house number). Searched municipality-wide among the
    residents the user may find, so a second registration is caught before it is made."""
    likely = Q(pk__in=[])
    if date_of_birth:
        likely |= Q(date_of_birth=date_of_birth) & (
            Q(last_name__iexact=last_name.strip()) | Q(first_name__iexact=first_name.strip())
        )
    postcode = _normalised_postcode(postcode)
    if postcode and house_number.strip():
        spaced = f"{postcode[:4]} {postcode[4:]}"
        likely |= Q(postcode__in=[postcode, spaced]) & Q(house_number__iexact=house_number.strip())
    if first_name.strip() and last_name.strip():
        likely |= Q(first_name__iexact=first_name.strip()) & Q(last_name__iexact=last_name.strip())
    return list(residents_for(user).filter(likely).select_related("village").order_by("last_name", "pk")[:10])


# --- the team case list ----------------------------------------------------------------------


SORTS = {
    "newest": ("-opened_at", "-pk"),
    "oldest": ("opened_at", "pk"),
    "quiet": ("last_activity_at", "pk"),
    "recent": ("-last_activity_at", "-pk"),
}


@dataclass
class CasePage:
    cases: list[Case]
    next_cursor: str | None
    is_first: bool


def team_case_list(
    *,
    user: User,
    status: str = "",
    domain: str = "",
    topic: str = "",
    village: int | None = None,
    responsible: int | None = None,
    urgency: str = "",
    quiet_weeks: int | None = None,
    query: str = "",
    sort: str = "newest",
    cursor: str = "",
    page_size: int = 25,
) -> CasePage:
    """One page of the cases whose file the user may read, filtered and sorted.

    Keyset pagination (a cursor of the sort value and the pk) instead of counting the table:
    every page costs the same, however deep.
    """
    cases = team_cases(user)
    cases = cases.filter(status=status) if status else cases.exclude(status=CaseStatus.CLOSED)
    if domain:
        cases = cases.filter(Exists(Case.domains.through.objects.filter(case=OuterRef("pk"), lifedomain__code=domain)))
    if topic:
        cases = cases.filter(Exists(Case.topics.through.objects.filter(case=OuterRef("pk"), topic__code=topic)))
    if village:
        cases = cases.filter(resident__village_id=village)
    if responsible:
        cases = cases.filter(
            Exists(
                CaseMembership.objects.filter(
                    case=OuterRef("pk"), user_id=responsible, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True
                )
            )
        )
    if urgency:
        cases = cases.filter(urgency=urgency)
    if quiet_weeks:
        cases = cases.filter(last_activity_at__lt=timezone.now() - datetime.timedelta(weeks=quiet_weeks))
    if query.strip():
        cases = cases.filter(resident__in=matching_residents(Resident.objects.all(), query))
    field, tie = SORTS.get(sort, SORTS["newest"])
    cases = cases.order_by(field, tie)
    if cursor:
        cases = _after_cursor(cases, field, cursor)
    rows = list(cases[: page_size + 1])
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        last = rows[-1]
        next_cursor = f"{getattr(last, field.lstrip('-')).isoformat()}|{last.pk}"
    return CasePage(cases=rows, next_cursor=next_cursor, is_first=not cursor)


def _after_cursor(cases: QuerySet[Case], field: str, cursor: str) -> QuerySet[Case]:
    try:
        raw_value, raw_pk = cursor.rsplit("|", 1)
        value, pk = datetime.datetime.fromisoformat(raw_value), int(raw_pk)
    except ValueError:
        return cases  # a broken cursor shows the first page, never an error
    name = field.lstrip("-")
    if field.startswith("-"):
        return cases.filter(Q(**{f"{name}__lt": value}) | Q(**{name: value, "pk__lt": pk}))
    return cases.filter(Q(**{f"{name}__gt": value}) | Q(**{name: value, "pk__gt": pk}))


# --- the weekly meeting ----------------------------------------------------------------------


@dataclass
class AgendaItem:
    case: Case
    reasons: list[str]
    decision: MeetingDecision | None

    @property
    def reason_labels(self) -> list[str]:
        return [str(AgendaReason(reason).label) for reason in self.reasons]


def current_meeting_team(user: User):
    profile = ProfessionalProfile.objects.select_related("team").filter(user=user).first()
    return profile.team if profile else None


AGENDA_PAGE_SIZE = 40


@dataclass
class AgendaPage:
    """One page of the agenda: items in agenda order, and where this page sits in the whole."""

    items: list[AgendaItem]
    total: int
    page: int
    pages: int

    @property
    def first_number(self) -> int:
        """The position of the first item here, for numbering the list across pages."""
        return 0 if not self.items else (self.page - 1) * AGENDA_PAGE_SIZE + 1


def meeting_agenda(*, user: User, meeting: Meeting, page: int | None = None) -> AgendaPage:
    """The agenda builds itself (R4): cases new since the last meeting, cases a professional
    flagged, cases where volunteer staff raised the alarm, and cases without activity for the
    team's number of weeks; plus whatever was decided in this meeting already.

    ``page`` (from 1) gives one page of ``AGENDA_PAGE_SIZE`` items; without it, all of them."""
    return _agenda(meeting, team_cases(user).filter(team=meeting.team), page=page)


def meeting_agenda_for_team(*, meeting: Meeting) -> list[int]:
    """The ids on the same agenda without a reader's scope: only for narrowing it down further
    (the volunteer view intersects it with the cases the volunteer may see)."""
    return [case_id for case_id, _reasons, _decided in _ranked_agenda(meeting, Case.objects.filter(team=meeting.team))]


def responsible_of(case: Case) -> User | None:
    membership = (
        CaseMembership.objects.filter(case=case, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


AGENDA_ORDER = {AgendaReason.NEW: 0, AgendaReason.ALARM: 1, AgendaReason.FLAGGED: 2, AgendaReason.INACTIVE: 3}


def _ranked_agenda(meeting: Meeting, scope: QuerySet[Case]) -> list[tuple[int, list[str], bool]]:
    """(case id, reasons, decided here) of every agenda item, in agenda order: undecided first,
    by their most pressing reason, then by opening. Read as a few plain columns per case, so
    a long agenda costs one light query; the page shown loads its cases afterwards."""
    from volunteers.models import Alarm

    team = meeting.team
    previous = Meeting.objects.filter(team=team, week_start__lt=meeting.week_start).order_by("-week_start").first()
    since = previous.started_at if previous else None
    quiet_before = timezone.now() - datetime.timedelta(weeks=team.inactivity_weeks)
    # The few cases with an open alarm or a decision in this meeting, as ids: then every arm of
    # the filter below has an index of its own, and PostgreSQL combines them (BitmapOr) instead
    # of testing every case of the team.
    alarmed = set(Alarm.objects.filter(case__team=team, resolved_at__isnull=True).values_list("case_id", flat=True))
    decided = set(MeetingDecision.objects.filter(meeting=meeting).values_list("case_id", flat=True))

    new_q = Q(status__in=[CaseStatus.NEW, CaseStatus.IN_TRIAGE])
    if since is not None:
        new_q |= Q(opened_at__gte=since)
    running = Q(status__in=[CaseStatus.ACTIVE, CaseStatus.ON_HOLD])
    rows = (
        scope.select_related(None)
        .prefetch_related(None)
        .filter(
            # open cases for any reason; a closed case only when it was decided in this meeting
            (new_q | Q(flagged_for_meeting=True) | Q(pk__in=alarmed) | (running & Q(last_activity_at__lt=quiet_before)))
            & ~Q(status=CaseStatus.CLOSED)
            | Q(pk__in=decided)
        )
        .order_by("opened_at", "pk")
        .values_list("pk", "status", "opened_at", "flagged_for_meeting", "last_activity_at")
    )
    ranked = []
    for pk, status, opened_at, flagged, last_activity_at in rows:
        has_open_alarm, decided_here = pk in alarmed, pk in decided
        reasons = []
        if status in (CaseStatus.NEW, CaseStatus.IN_TRIAGE) or (since and opened_at >= since):
            reasons.append(AgendaReason.NEW)
        if has_open_alarm:
            reasons.append(AgendaReason.ALARM)
        if flagged:
            reasons.append(AgendaReason.FLAGGED)
        if status in (CaseStatus.ACTIVE, CaseStatus.ON_HOLD) and last_activity_at < quiet_before:
            reasons.append(AgendaReason.INACTIVE)
        ranked.append((pk, reasons, decided_here))
    # stable: within a rank, the order of opening stays
    ranked.sort(key=lambda row: (row[2], min((AGENDA_ORDER[r] for r in row[1]), default=9)))
    return ranked


def _agenda(meeting: Meeting, scope: QuerySet[Case], *, page: int | None = None) -> AgendaPage:
    ranked = _ranked_agenda(meeting, scope)
    pages = max(1, -(-len(ranked) // AGENDA_PAGE_SIZE))
    shown = ranked
    if page is not None:
        page = min(max(page, 1), pages)
        shown = ranked[(page - 1) * AGENDA_PAGE_SIZE : page * AGENDA_PAGE_SIZE]
    ids = [pk for pk, _reasons, _decided in shown]
    cases = scope.filter(pk__in=ids).in_bulk() if ids else {}
    decisions = {
        decision.case_id: decision
        for decision in MeetingDecision.objects.filter(meeting=meeting, case_id__in=ids).select_related(
            "responsible", "volunteer"
        )
    }
    items = []
    for pk, reasons, _decided in shown:
        decision = decisions.get(pk)
        items.append(
            AgendaItem(case=cases[pk], reasons=reasons or list(decision.reasons if decision else []), decision=decision)
        )
    return AgendaPage(items=items, total=len(ranked), page=page or 1, pages=pages if page is not None else 1)


@dataclass
class Suggestion:
    user_id: int
    name: str
    village: str
    score: float
    reasons: list[str]
    open_cases: int
    hours_per_week: float


def volunteer_suggestions(case: Case) -> list[Suggestion]:
    """Volunteer staff for a case, best match first (R5): same village, expertise against the
    case's domains, declared interest, load against agreed hours. Only with a valid VOG; never
    anyone who declined the case or has a conflict (R7); nobody without the resident's consent."""
    from volunteers.models import VolunteerStaff, add_months

    if not consent_allows_volunteer(case):
        return []
    today = timezone.localdate()
    validity = case.team.municipality.vog_validity_months
    domain_ids = list(case.domains.values_list("pk", flat=True))
    candidates = (
        VolunteerStaff.objects.filter(
            team_id=case.team_id,
            user__is_active=True,
            vog_issued_on__gte=add_months(today, -validity),
            user__groups__name=Role.VOLUNTEER_STAFF.value,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .exclude(user__case_interests__case=case, user__case_interests__answer=InterestAnswer.DECLINED)
        .exclude(user__case_memberships__case=case, user__case_memberships__ended_at__isnull=True)
        .select_related("user", "village")
        .annotate(
            open_cases=Count(
                "user__case_memberships",
                filter=Q(
                    user__case_memberships__role=MembershipRole.VOLUNTEER,
                    user__case_memberships__ended_at__isnull=True,
                ),
                distinct=True,
            ),
            expertise_match=Count("expertise", filter=Q(expertise__in=domain_ids), distinct=True),
            interested=Exists(
                CaseInterest.objects.filter(case=case, volunteer=OuterRef("user"), answer=InterestAnswer.INTERESTED)
            ),
        )
    )
    resident_village = case.resident.village_id
    suggestions = []
    for volunteer in candidates:
        score, reasons = 0.0, []
        if volunteer.village_id == resident_village:
            score += 3
            reasons.append(gettext("same village"))
        if volunteer.expertise_match:
            score += 2 * volunteer.expertise_match
            reasons.append(gettext("expertise matches"))
        if volunteer.interested:
            score += 4
            reasons.append(gettext("would like to join"))
        capacity = max(float(volunteer.hours_per_week) / 2, 1)  # about two hours a week per case
        load = volunteer.open_cases / capacity
        score -= 2 * load
        if load >= 1:
            reasons.append(gettext("fully booked"))
        suggestions.append(
            Suggestion(
                user_id=volunteer.user_id,
                name=volunteer.user.display_name,
                village=volunteer.village.name if volunteer.village else "",
                score=round(score, 2),
                reasons=reasons,
                open_cases=volunteer.open_cases,
                hours_per_week=float(volunteer.hours_per_week),
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.name))
    return suggestions


# --- volunteer staff's open-questions board (R5) ---------------------------------------------


@dataclass(frozen=True)
class OpenQuestion:
    """A new case as volunteer staff see it on the board: village, domains, summary. No name,
    no address, nothing else (R8)."""

    id: int
    village: str
    domains: tuple[str, ...]
    volunteer_summary: str
    my_answer: str
    my_reason: str


def open_questions(user: User) -> list[OpenQuestion]:
    rows = list(open_question_cases(user).values("id", "resident__village__name", "volunteer_summary").order_by("-id"))
    ids = [row["id"] for row in rows]
    domains: dict[int, list[str]] = {}
    for row in Case.domains.through.objects.filter(case_id__in=ids).values("case_id", "lifedomain__code"):
        domains.setdefault(row["case_id"], []).append(str(LifeDomainCode(row["lifedomain__code"]).label))
    answers = {
        row["case_id"]: row
        for row in CaseInterest.objects.filter(case_id__in=ids, volunteer=user).values("case_id", "answer", "reason")
    }
    return [
        OpenQuestion(
            id=row["id"],
            village=row["resident__village__name"],
            domains=tuple(sorted(domains.get(row["id"], []))),
            volunteer_summary=row["volunteer_summary"],
            my_answer=answers.get(row["id"], {}).get("answer", ""),
            my_reason=answers.get(row["id"], {}).get("reason", ""),
        )
        for row in rows
    ]


def open_questions_for(user: User) -> QuerySet[Case]:
    return open_question_cases(user)
