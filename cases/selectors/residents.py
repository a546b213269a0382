"""Finding residents: search by name, address or postcode, likely duplicates at intake, and
"that, not what": whether a resident is known to another team."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper

from accounts.facts import professional_team_ids
from accounts.models import User

from ..constants import CaseStatus, MembershipRole
from ..models import CaseMembership, Resident
from ..permissions import CaseAction, cases_for
from ..policies import existence


def _normalised_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def residents_for(user: User) -> QuerySet[Resident]:
    """Residents a professional may find: living in their team's villages, or with a case they may read."""
    team_ids = professional_team_ids(user)
    if not team_ids:
        return Resident.objects.none()
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


# --- "that, not what": known to another team --------------------------------------------------

EXISTENCE_LIMIT = 10  # residents per lookup: two identifying facts name a person or a household


@dataclass(frozen=True)
class KnownContact:
    """Whom to call about one case: its team and its responsible professional ("" and "" when
    the case has none yet: then the team itself)."""

    team: str
    name: str
    phone: str


@dataclass(frozen=True)
class KnownElsewhere:
    """That a resident is known to another team, and whom to call: nothing of the file.
    ``resident_id`` is for the access log only and is never rendered."""

    resident_id: int
    contacts: tuple[KnownContact, ...]


def _identifying(*, last_name: str, date_of_birth: datetime.date | None, postcode: str, house_number: str) -> Q | None:
    """Last name and date of birth, or postcode and house number (either or both); None when
    neither pair is complete: one fact alone names too many people."""
    criteria = []
    if last_name.strip() and date_of_birth:
        criteria.append(Q(last_name__iexact=last_name.strip(), date_of_birth=date_of_birth))
    postcode = _normalised_postcode(postcode)
    if postcode and house_number.strip():
        spaced = f"{postcode[:4]} {postcode[4:]}"
        criteria.append(Q(postcode__in=[postcode, spaced], house_number__iexact=house_number.strip()))
    if not criteria:
        return None
    return criteria[0] if len(criteria) == 1 else criteria[0] | criteria[1]


def resident_matches(
    *, user: User, last_name: str, date_of_birth: datetime.date | None, postcode: str, house_number: str
) -> list[Resident]:
    """The residents ``user`` may find themselves (:func:`residents_for`) that match the same
    identifying facts as :func:`known_elsewhere`: for them the normal search is the way."""
    criteria = _identifying(
        last_name=last_name, date_of_birth=date_of_birth, postcode=postcode, house_number=house_number
    )
    if criteria is None:
        return []
    return list(residents_for(user).filter(criteria).order_by("last_name", "pk")[:EXISTENCE_LIMIT])


def known_elsewhere(
    *, user: User, last_name: str, date_of_birth: datetime.date | None, postcode: str, house_number: str
) -> list[KnownElsewhere]:
    """That, not what (one family, one plan): residents of the municipality matching (last
    name and date of birth) or (postcode and house number) whom ``user`` cannot find
    themselves, with per case the team and the responsible professional's name and phone —
    the open cases, or else the most recently closed one. Who may learn this is
    ``cases.policies.existence``; nothing else of the file leaves this function. Three
    queries, however many residents are found. Reading only: the lookup is logged by the
    service ``resident_existence_read``."""
    criteria = _identifying(
        last_name=last_name, date_of_birth=date_of_birth, postcode=postcode, house_number=house_number
    )
    if criteria is None:
        return []
    findable = residents_for(user).filter(pk=OuterRef("pk"))
    resident_ids = list(
        existence.scope(user, existence.Action.LEARN)
        .filter(criteria)
        .filter(~Exists(findable))
        .order_by("pk")
        .values_list("pk", flat=True)[:EXISTENCE_LIMIT]
    )
    if not resident_ids:
        return []
    cases = (
        existence.cases(user)
        .filter(resident_id__in=resident_ids)
        .order_by("resident_id", "-closed_at", "-opened_at", "-pk")
        .values("pk", "resident_id", "status", "team__name")
    )
    chosen: dict[int, list[dict]] = {pk: [] for pk in resident_ids}
    closed: dict[int, dict] = {}
    for case in cases:
        if case["status"] != CaseStatus.CLOSED:
            chosen[case["resident_id"]].append(case)
        else:
            closed.setdefault(case["resident_id"], case)  # the first is the most recently closed
    for resident_id, picked in chosen.items():
        if not picked and resident_id in closed:
            picked.append(closed[resident_id])
    responsible = {
        row["case_id"]: row
        for row in CaseMembership.objects.filter(
            case_id__in=[case["pk"] for picked in chosen.values() for case in picked],
            role=MembershipRole.RESPONSIBLE,
            ended_at__isnull=True,
            user__is_active=True,
        ).values("case_id", "user__username", "user__first_name", "user__last_name", "user__phone")
    }
    found = []
    for resident_id, picked in chosen.items():
        contacts: dict[KnownContact, None] = {}  # in order, once each
        for case in picked:
            person = responsible.get(case["pk"])
            if person is None:
                contacts[KnownContact(team=case["team__name"], name="", phone="")] = None
                continue
            name = User(
                username=person["user__username"],
                first_name=person["user__first_name"],
                last_name=person["user__last_name"],
            ).display_name
            contacts[KnownContact(team=case["team__name"], name=name, phone=person["user__phone"])] = None
        if contacts:
            found.append(KnownElsewhere(resident_id=resident_id, contacts=tuple(contacts)))
    return found
