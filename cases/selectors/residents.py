"""Finding residents: search by name, address or postcode, and likely duplicates at intake."""

from __future__ import annotations

import datetime
import re

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper

from accounts.facts import professional_team_ids
from accounts.models import User

from ..models import Resident
from ..permissions import CaseAction, cases_for


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
