"""Finding residents: search by name, address or postcode, likely duplicates at intake, and
"that, not what": whether a resident is known to another team."""

from __future__ import annotations

import datetime
import difflib
import functools
import itertools
import math
import operator
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

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


POSTCODE_DIGITS = 4  # a postcode is searched from its four digits on ("6662", "6662 C", "6662CD")


def matching_residents(residents: QuerySet[Resident], query: str) -> QuerySet[Resident]:
    """Residents matching every word of ``query`` in their name, street, house number or
    postcode (from its four digits on: a shorter number is a house number)."""
    query = re.sub(r"\b(\d{4})\s+([A-Za-z]{2})\b", r"\1\2", query)  # "6662 CD" is one postcode
    words = _search_terms(query)
    if not words:
        return residents.none()
    for word in words:
        exact = Q(house_number__iexact=word)
        postcode = _normalised_postcode(word)
        if len(postcode) >= POSTCODE_DIGITS:  # fewer digits are a region: "66" is a quarter of the residents
            exact |= Q(postcode__istartswith=word) | Q(postcode__istartswith=f"{postcode[:4]} {postcode[4:]}".strip())
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


# --- likely duplicates at intake ----------------------------------------------------------------

DUPLICATE_LIMIT = 10  # hits shown at intake
DUPLICATE_CANDIDATES = 60  # rows fetched by the one candidate query, scored in Python
NAME_RATIO = 0.85  # difflib ratio from which two normalised names count as similar

# Scores of the reasons: a date of birth with a similar name names one person, an address a
# household, a similar name alone hundreds of Jansens — hence it needs first and last name.
SCORE_DATE_OF_BIRTH = 40
SCORE_ADDRESS = 30
SCORE_NAME = 25
SCORE_LAST_NAME = 10
SCORE_FIRST_NAME = 5
SCORE_SAME_NAME = 5  # on top of SCORE_NAME: the same name once normalised, not only a similar one

# Dutch surname prefixes (tussenvoegsels) and their abbreviations, compared without dots.
# fmt: off
SURNAME_PREFIXES = frozenset({
    "van", "von", "vd", "vdr", "v", "der", "den", "de", "het", "t", "s", "te", "ten", "ter",
    "in", "op", "uit", "aan", "bij", "voor", "onder", "over",
    "la", "le", "les", "l", "d", "du", "des", "del", "della", "di", "da", "das", "dos", "el", "al", "y",
})
# fmt: on
_LETTERS = {"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
_ACCENTED = {  # how a plain letter may be written in the register (accents the form keeps)
    "a": "áàâäå",
    "e": "éèêë",
    "i": "íìîïı",
    "o": "óòôöø",
    "u": "úùûü",
    "c": "ç",
    "s": "ş",
    "g": "ğ",
    "n": "ñ",
}
_MAX_ACCENT_VARIANTS = 12  # per search window; more and the window is searched as written


@dataclass(frozen=True)
class LikelyDuplicate:
    """A resident who may be the person being registered, how likely (``score``, higher is
    likelier) and why (``reasons``: short translated phrases shown at intake)."""

    resident: Resident
    score: int
    reasons: tuple[str, ...]


def _plain(value: str) -> str:
    """Lowercase, without diacritics: "Öztürk" is "ozturk", "Çelik" "celik" (NFKD)."""
    value = unicodedata.normalize("NFKD", (value or "").casefold())
    value = "".join(char for char in value if not unicodedata.combining(char))
    return "".join(_LETTERS.get(char, char) for char in value)


def _surname_parts(last_name: str) -> list[str]:
    """The cores of a last name: without prefixes, spaces, hyphens and apostrophes, one per
    part of a double name. "van der Berg", "Berg, van den" and "v.d. Berg" are ["berg"];
    "Jansen-de Vries" is ["jansen", "vries"]; "van 't Hof" is ["hof"]."""
    plain = _plain(last_name)
    if "," in plain:  # "Berg, van den": what follows the comma is the prefix
        plain = plain.split(",", 1)[0]
    parts = []
    for part in re.split(r"[-–]", plain):
        words = [re.sub(r"[^a-z]", "", word) for word in re.split(r"[\s'’`.]+", part)]
        words = [word for word in words if word]
        while len(words) > 1 and words[0] in SURNAME_PREFIXES:
            words.pop(0)
        while len(words) > 1 and words[-1] in SURNAME_PREFIXES:  # "Berg van den" without the comma
            words.pop()
        if words:
            parts.append("".join(words))
    return parts


def _first_core(first_name: str) -> str:
    """The first given name, plain letters only ("Anna-Marie Louise" is "annamarie"); of
    initials ("G.J.") the first letter."""
    words = _plain(first_name).split()
    if not words:
        return ""
    letters = re.sub(r"[^a-z]", "", words[0])
    return letters[:1] if "." in words[0] else letters


def _phonetic(core: str) -> str:
    """A Dutch-aware sound key, so small spelling differences compare equal: ij, y, ei and ey
    are one sound ("Dijk", "Dyk"; "Meijer", "Meyer", "Meier"), ph is f, c before a, o and u is
    k, ch and g are one sound, sch at the end is s ("Bosch"), ae and aa, ou and au, th and t,
    a final d or dt is t ("Smit", "Smid", "Smidt") and double letters are single ("Janssen")."""
    key = re.sub(r"sch$", "s", core)
    key = key.replace("sch", "sg")
    for old, new in (("ij", "y"), ("ei", "y"), ("ey", "y"), ("ph", "f"), ("ch", "g"), ("gh", "g"), ("th", "t")):
        key = key.replace(old, new)
    key = re.sub(r"c(?=[aou])", "k", key).replace("ck", "k").replace("q", "k")
    key = key.replace("ae", "aa").replace("ou", "au")
    key = re.sub(r"(dt|d)$", "t", key)
    return re.sub(r"(.)\1+", r"\1", key)


def _similar(a: str, b: str) -> bool:
    """Two cores are similar: the same sound key, or a difflib ratio of at least NAME_RATIO."""
    if not a or not b:
        return False
    return a == b or _phonetic(a) == _phonetic(b) or difflib.SequenceMatcher(None, a, b).ratio() >= NAME_RATIO


def _similar_last_names(typed: list[str], known: list[str]) -> bool:
    """The whole last names are similar, or one part of a double name is ("Jansen-de Vries"
    and "de Vries")."""
    if not typed or not known:
        return False
    if _similar("".join(typed), "".join(known)):
        return True
    return (len(typed) > 1 or len(known) > 1) and any(_similar(a, b) for a in typed for b in known)


def _similar_first_names(typed: str, known: str) -> bool:
    """Similar given names, or one is the other's initial or its start ("G." and "Grietje",
    "Griet" and "Grietje")."""
    if not typed or not known:
        return False
    if _similar(typed, known):
        return True
    short, long = sorted((typed, known), key=len)
    return (len(short) == 1 or len(short) >= 4) and long.startswith(short)


def _house_number(value: str) -> str:
    """ "12a", "12 A" and "12-a" are one house number."""
    return re.sub(r"[\s.\-/]", "", (value or "").casefold())


def _windows(core: str, size: int) -> set[str]:
    """Fragments of a name core to search the register with: its start, and its start one
    letter on (so a first letter written differently, "Cornelissen" and "Kornelissen", is found)."""
    return {core[start : start + size] for start in (0, 1) if len(core[start : start + size]) >= 3}


_IJ = re.compile(r"eij|ey|ei|ij|y")


def _spellings(core: str) -> set[str]:
    """How the register may write the same core: ij, y, ei (and eij, ey) for one another
    ("Dijk", "Dyk"; "Meijer", "Meyer", "Meier"), a first c or k, ph or f, ae or aa
    ("Claessen", "Claassen"), ck or kk ("Backer", "Bakker"), a final sch or s ("Bosch", "Bos")."""
    found = {core}
    if _IJ.search(core):
        found |= {_IJ.sub(sound, core) for sound in ("eij", "ey", "ei", "ij", "y")}
    for old, new in (("c", "k"), ("k", "c"), ("ph", "f"), ("f", "ph")):
        found |= {new + spelling[len(old) :] for spelling in list(found) if spelling.startswith(old)}
    for old, new in (("ae", "aa"), ("aa", "ae"), ("ck", "kk"), ("kk", "ck")):
        found |= {spelling.replace(old, new) for spelling in list(found)}
    found |= {spelling[:-3] + "s" for spelling in list(found) if spelling.endswith("sch")}
    return found


def _with_accents(window: str, *, capital_first: bool) -> set[str]:
    """``window`` and the ways the register may write it with accents ("mull": "müll", …): the
    database compares accented letters exactly, on SQLite and in PostgreSQL's C locale alike.
    Too many combinations and the window is searched only as written (the other window or the
    date of birth or address finds the resident then)."""
    options = []
    for position, letter in enumerate(window):
        accented = _ACCENTED.get(letter, "")
        if position == 0 and capital_first:
            accented += accented.upper()
        options.append(letter + accented)
    if math.prod(len(option) for option in options) > _MAX_ACCENT_VARIANTS:
        return {window}
    return {"".join(letters) for letters in itertools.product(*options)}


def _fragments(field: str, spellings: set[str], size: int) -> Q:
    """``field`` contains a fragment of a name in one of its likely ``spellings``, with or
    without accents: an OR of ``icontains`` that the trigram index on UPPER(field) serves."""
    found = Q()
    for spelling in spellings:
        for window in _windows(spelling, size):
            for variant in _with_accents(window, capital_first=spelling.startswith(window)):
                found |= Q(**{f"{field}__icontains": variant})
    return found


def _name_criteria(first_name: str, last_name: str) -> tuple[Q | None, Q | None, Q | None]:
    """Residents whose last name, and residents whose first name, may be the typed one: they
    contain a fragment of it in one of its likely spellings (trigram indexes on UPPER(last_name)
    and UPPER(first_name), cases.0005), or, for a short name or an initial, equal it. And
    residents with the same first name, written as typed: selective enough on its own to serve
    the date of birth (which has no index) through the first-name index."""
    cores = _surname_parts(last_name)
    core = "".join(cores)
    surname = None
    if core:
        surname = Q(last_name__iexact=last_name.strip())
        if len(core) < 3:  # "Ek", "Os": too short for a fragment
            surname |= Q(last_name__iexact=core) | Q(last_name__iendswith=f" {core}")
        else:
            spellings = set().union(*(_spellings(part) for part in {core, *cores}))
            surname |= _fragments("last_name", spellings, 4 if len(core) >= 5 else 3)
    given = _first_core(first_name)
    first = None
    if given:
        first = Q(first_name__iexact=given[0]) | Q(first_name__istartswith=f"{given[0]}.")  # initials
        if len(given) < 3:
            first |= Q(first_name__istartswith=given)
        else:
            first |= _fragments("first_name", _spellings(given), 3)
    typed = first_name.strip()
    written = dict.fromkeys([typed, *typed.split()[:1]]) if typed else {}  # "Grietje Maria", and "Grietje"
    same_first = functools.reduce(operator.or_, (Q(first_name__iexact=name) for name in written)) if written else None
    return surname, first, same_first


def resident_duplicates(
    *,
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    postcode: str,
    house_number: str,
) -> list[LikelyDuplicate]:
    """Residents who are likely the person being registered, likeliest first, each with why:
    :func:`likely_duplicates` among the residents the user may find (:func:`residents_for`),
    so a second registration is caught before it is made."""
    return likely_duplicates(
        among=residents_for(user),
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        postcode=postcode,
        house_number=house_number,
    )


def likely_duplicates(
    *,
    among: QuerySet[Resident],
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    postcode: str,
    house_number: str,
) -> list[LikelyDuplicate]:
    """Residents of ``among`` who are likely the person being registered, likeliest first,
    each with why (the page: the residents a professional may find; the intake API: the
    residents of the client's municipality). A resident is a likely duplicate with

    * the same date of birth and a similar first or last name (strongest: 40 + the name);
    * the same address: postcode with or without its space, house number "12a" = "12 A" (30);
    * a similar first *and* last name (25; the same name once normalised: 30).

    A date of birth alone is no reason (some three residents of a 100,000 share one) and a
    similar last name alone neither (hundreds of Jansens). Names are compared without case,
    diacritics, surname prefixes ("van der", "'t"…), hyphens, apostrophes and spaces, by a
    Dutch sound key and a difflib ratio of at least 0.85 — on the first and the last name
    each, not on the full name, where a shared first name lifts "Jansen"/"Hansen" over 0.85.

    One query, however many residents (besides what ``among`` reads, such as the user's role
    and teams, which :func:`residents_for` reads once per request): fragments of both names in their likely
    spellings and accents (the trigram indexes), the postcode (its index) and the date of
    birth together with a last-name fragment or the first name as typed (the date has no
    index of its own) select at most DUPLICATE_CANDIDATES residents; Python scores them. So
    a resident whose last name changed *and* whose first name is written differently is found
    only by the address, and a spelling the fragments miss only by the date of birth or the
    address."""
    surname, first, same_first = _name_criteria(first_name, last_name)
    plain_postcode = _normalised_postcode(postcode)
    number = _house_number(house_number)
    strong: list[Q] = []  # the date of birth or the address: a handful of residents each
    names = [criterion for criterion in (surname, same_first) if criterion is not None]
    if date_of_birth and names:  # with a name, so an index serves it (the date has none)
        strong.append(Q(date_of_birth=date_of_birth) & functools.reduce(operator.or_, names))
    if len(plain_postcode) == 6 and number:  # the form stores "6661 AB"; an index on postcode
        strong.append(Q(postcode__in=[plain_postcode, f"{plain_postcode[:4]} {plain_postcode[4:]}"]))
    weak = [surname & first] if surname is not None and first is not None else []
    if not strong and not weak:
        return []
    likely = functools.reduce(operator.or_, strong + weak)
    found = among.filter(likely).select_related("village")
    if strong:  # those first, so the limit never drops them for a name fragment
        first_of_all = SqlCase(
            When(functools.reduce(operator.or_, strong), then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        found = found.annotate(strong=first_of_all).order_by("strong", "pk")
    else:
        found = found.order_by("pk")
    candidates = found[:DUPLICATE_CANDIDATES]
    typed_last, typed_first = _surname_parts(last_name), _first_core(first_name)
    hits = []
    for resident in candidates:
        reasons: list[str] = []
        score = 0
        same_birth = bool(date_of_birth) and resident.date_of_birth == date_of_birth
        same_address = (
            len(plain_postcode) == 6
            and _normalised_postcode(resident.postcode) == plain_postcode
            and _house_number(resident.house_number) == number
        )
        known_last = _surname_parts(resident.last_name)
        last = _similar_last_names(typed_last, known_last)
        first = _similar_first_names(typed_first, _first_core(resident.first_name))
        if not (same_address or (same_birth and (last or first)) or (last and first)):
            continue
        if same_birth:
            score += SCORE_DATE_OF_BIRTH
            reasons.append(_("same date of birth"))
        if same_address:
            score += SCORE_ADDRESS
            reasons.append(_("same address"))
        if last and first:
            score += SCORE_NAME
            if "".join(typed_last) == "".join(known_last) and typed_first == _first_core(resident.first_name):
                score += SCORE_SAME_NAME
                reasons.append(_("same name"))
            else:
                reasons.append(_("similar name: %(name)s") % {"name": resident.full_name})
        elif last:
            score += SCORE_LAST_NAME
            reasons.append(_("similar name: %(name)s") % {"name": resident.last_name})
        elif first:
            score += SCORE_FIRST_NAME
            reasons.append(_("similar name: %(name)s") % {"name": resident.first_name})
        hits.append(LikelyDuplicate(resident=resident, score=score, reasons=tuple(reasons)))
    hits.sort(key=lambda hit: (-hit.score, hit.resident.last_name.casefold(), hit.resident.pk))
    return hits[:DUPLICATE_LIMIT]


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
