"""Scale data for the benchmark and the load test: a whole municipality, made fast.

The people and the organisation (municipality, teams, villages, accounts, roles, professional
teams) are made through the app's own services. The bulk (residents, cases and everything
recorded on them) is generated in Python and written with PostgreSQL's ``COPY`` (``bulk_create``
on SQLite), because going through the services one case at a time would take hours at XL.
What makes that safe:

* the facts follow the app's rules: every active or on-hold case has one responsible
  professional, volunteer staff only join a case whose resident said yes and only while screened,
  memberships of volunteer staff end when a case closes, closed cases carry an outcome and a
  keep-until date, etc.;
* the personal guardian rows are derived from those facts by :func:`cases.permissions.grants_from_facts`,
  the very rule :func:`cases.permissions.sync_case_permissions` applies, and the tests check that
  running ``sync_case_permissions`` over seeded cases finds nothing to change.

Everything is deterministic for a given size and ``--seed``.
"""

from __future__ import annotations

import datetime
import itertools
import json
import random
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Discipline, Municipality, Team, User, Village
from accounts.roles import Role
from accounts.services import professional_set_team, role_grant, system_actor, team_create
from base.chain import advance, seal_pending
from base.models import AuditChainHead, AuditSeal
from cases.constants import (
    AgreementKind,
    CaseStatus,
    ConsentAnswer,
    IntakeChannel,
    JournalVisibility,
    MembershipRole,
    Outcome,
    Urgency,
    VisitActivity,
    VisitCompany,
)
from cases.models import (
    Agreement,
    Alarm,
    Case,
    CaseMembership,
    CaseUserObjectPermission,
    HomeVisit,
    JournalEntry,
    LifeDomain,
    Meeting,
    MeetingDecision,
    Resident,
    RetentionRule,
    Topic,
    VolunteerConsent,
)
from cases.permissions import ALL_CODENAMES, MemberFact, grants_from_facts
from cases.services import RESIDENT_FIELDS, week_monday
from socialmap.models import CollectiveSignal, Offer, OfferKind, Referral, ReferralOutcome, SignalStatus
from volunteers.models import Location, RosterSlot, Shift, ShiftRole, VolunteerStaff
from wijkteam import demo

MUNICIPALITY = "Schaalstad"


@dataclass(frozen=True)
class Size:
    teams: int
    villages_per_team: int
    professionals: int
    volunteers: int
    residents: int
    cases: int
    journal_entries: int
    home_visits: int
    weeks: int = 104  # weekly meetings and rosters
    case_years: int = 5  # how far back case files go (closed files are kept for years)


SIZES = {
    # XS only exists for the tests: every rule exercised, in a second.
    "XS": Size(2, 2, 6, 4, 120, 200, 1_000, 400, weeks=8, case_years=1),
    "S": Size(2, 3, 20, 10, 2_500, 4_000, 40_000, 8_000),
    "M": Size(4, 4, 80, 40, 25_000, 40_000, 400_000, 80_000),
    "L": Size(8, 4, 200, 100, 100_000, 160_000, 1_600_000, 320_000),
    "XL": Size(12, 4, 300, 150, 250_000, 400_000, 4_000_000, 800_000),
}

FIRST_NAMES = [
    "Anna",
    "Bram",
    "Daan",
    "Emma",
    "Eva",
    "Fenna",
    "Finn",
    "Floor",
    "Gijs",
    "Hanna",
    "Ilse",
    "Jan",
    "Jesse",
    "Julia",
    "Lars",
    "Lieke",
    "Luuk",
    "Maud",
    "Mila",
    "Noah",
    "Noor",
    "Olaf",
    "Puck",
    "Rik",
    "Roos",
    "Sem",
    "Sophie",
    "Thijs",
    "Tess",
    "Vera",
    "Wouter",
    "Yara",
    "Zoë",
    "Ahmed",
    "Aylin",
    "Bilal",
    "Dewi",
    "Esra",
    "Hamza",
    "Ines",
    "Jamal",
    "Karim",
    "Lina",
    "Mo",
    "Nadia",
    "Omar",
    "Priya",
    "Rafael",
    "Samira",
    "Tomasz",
    "Yusuf",
    "Willemijn",
    "Gerrit",
    "Hendrika",
    "Johanna",
    "Cornelis",
    "Aaltje",
    "Teunis",
    "Geertje",
    "Dirk",
    "Maria",
    "Klaas",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "de Lange",
    "Kuipers",
    "van Wijk",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Nguyen",
    "Kowalski",
    "Öztürk",
    "Bouzid",
    "Ramdin",
    "Pinas",
    "Tjon",
    "Santos",
]
STREETS = [
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Schoolstraat",
    "Julianastraat",
    "Beatrixstraat",
    "Wilhelminastraat",
    "Dijkweg",
    "Lindelaan",
    "Eikenlaan",
    "Berkenlaan",
    "Rozenstraat",
    "Tulpstraat",
    "Nieuwstraat",
    "Stationsweg",
    "Sportlaan",
    "Parkweg",
    "Waalbandijk",
    "Rijnstraat",
    "Boomgaard",
    "Kersenhof",
    "Appelgaard",
    "Veldweg",
    "Polderweg",
    "Hofstraat",
    "Brink",
]
VILLAGE_STEMS = [
    "Oosterveld",
    "Westerhoven",
    "Noorddijk",
    "Zuiderburen",
    "Hoogwoud",
    "Laagland",
    "Bergen",
    "Broek",
    "Heide",
    "Ooij",
    "Elsloo",
    "Rijswaard",
    "Dalfsen",
    "Meerveld",
    "Holthuizen",
    "Bosch",
    "Kampen",
    "Wijhe",
    "Beek",
    "Loon",
    "Hulst",
    "Aarle",
    "Mierlo",
    "Delden",
    "Rossum",
    "Leur",
    "Weurt",
    "Nederasselt",
    "Ewijk",
    "Winssen",
    "Beuningen",
    "Druten",
    "Afferden",
    "Deest",
    "Puiflijk",
    "Horssen",
    "Altforst",
    "Appeltern",
    "Dreumel",
    "Wamel",
    "Alphen",
    "Maasbommel",
    "Megen",
    "Haren",
    "Macharen",
    "Teeffelen",
    "Lith",
    "Oijen",
]
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
OFFER_NAMES = ["Koffieochtend", "Wandelclub", "Repair café", "Taalcafé", "Formulierenhulp", "Soos"]
SENTENCES = (
    "Gesprek gehad over de vraag en de volgende stappen.",
    "Inwoner geeft aan dat het financieel krap is deze maand.",
    "Samen de post doorgenomen; twee rekeningen zijn betaald.",
    "Contact gehad met de huisarts over de situatie thuis.",
    "Afspraak gemaakt voor een huisbezoek volgende week.",
    "De mantelzorger is overbelast; respijtzorg besproken.",
    "Aanmelding bij de schuldhulpverlening is verstuurd.",
    "Inwoner voelt zich eenzaam en wil graag meedoen aan activiteiten.",
    "Koffieochtend in het dorpshuis voorgesteld; inwoner gaat kijken.",
    "Buurvrouw helpt met boodschappen; dat gaat goed.",
    "Aanvraag Wmo-voorziening besproken met de consulent.",
    "Telefonisch contact; het gaat iets beter dan vorige keer.",
)
NEXT_STEPS = (
    "Huisbezoek door de regievoerder binnen twee weken.",
    "Koppelen aan een vrijwillig medewerker voor de thuisadministratie.",
    "Doorverwijzen naar schuldhulpverlening.",
    "Afstemmen met de huisarts en terugkoppelen in het overleg.",
)
DISCIPLINES = [choice for choice, _label in Discipline.choices]


# --- writing fast ----------------------------------------------------------------------------


class Writer:
    """Writes rows of (field names → values) into a model's table: ``COPY`` on PostgreSQL,
    ``bulk_create`` elsewhere. Primary keys are assigned here, from the table's current maximum."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}
        self._next_ids: dict[type[models.Model], int] = {}

    def _first_id(self, model: type[models.Model]) -> None:
        if model not in self._next_ids:
            current = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
            self._next_ids[model] = current + 1

    def next_id(self, model: type[models.Model]) -> int:
        self._first_id(model)
        value = self._next_ids[model]
        self._next_ids[model] = value + 1
        return value

    def write(self, model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> int:
        label = model._meta.label
        missing = [
            f.name
            for f in model._meta.concrete_fields
            if not f.null and not f.primary_key and f.name not in fields and f.db_default is models.NOT_PROVIDED
        ]
        if missing:  # COPY would write NULL into them: the database has no Django defaults
            raise ValueError(f"{label}: no value for {', '.join(missing)}")
        self._first_id(model)  # no query may run on the connection once COPY has started
        count = 0
        if self.postgres:
            columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            attnames = [model._meta.get_field(name).attname for name in fields]
            for chunk in _chunks(rows, 2_000):
                model.objects.bulk_create([model(**dict(zip(attnames, row, strict=True))) for row in chunk])
                count += len(chunk)
        self.counts[label] = self.counts.get(label, 0) + count
        return count

    def reset_sequences(self, model_list: list[type[models.Model]]) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
                cursor.execute(sql)


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _years_later(day: datetime.date, years: int) -> datetime.date:
    """Keep-until of a closed case under the default rule (as ``retention_until_for`` computes it)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class AlreadySeeded(Exception):
    pass


def _json(value) -> str | object:
    """JSON columns: text for COPY (PostgreSQL parses it), the value itself for bulk_create."""
    return json.dumps(value) if connection.vendor == "postgresql" else value


# --- the world -------------------------------------------------------------------------------


@dataclass
class CaseFacts:
    """What the generator decided about one case; enough to derive its grants and children."""

    id: int
    team_index: int
    resident_id: int
    opened_at: datetime.datetime
    status: str
    last_activity_at: datetime.datetime
    closed_at: datetime.datetime | None
    responsible_id: int
    second_professional_id: int | None
    volunteer_id: int | None
    consent: str | None  # newest answer, None: no consent row


@dataclass
class World:
    municipality: Municipality
    teams: list[Team]
    villages: list[list[Village]]  # per team
    professionals: list[list[User]]  # per team
    volunteers: list[list[User]]  # per team
    screened: set[int] = field(default_factory=set)  # volunteer user ids with a valid VOG
    coordinators: list[User] = field(default_factory=list)


class ScaleSeeder:
    def __init__(self, size: str, *, seed: int = 2026, audit: bool = True, log=print) -> None:
        self.name = size
        self.size = SIZES[size]
        self.random = random.Random(seed)
        self.audit = audit
        self.log = log
        self.writer = Writer()
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()

    # -- entry point --

    def run(self) -> dict[str, int]:
        if Municipality.objects.filter(name=MUNICIPALITY).exists():
            raise AlreadySeeded(f"Scale data ({MUNICIPALITY}) is already in this database; use a fresh one.")
        with transaction.atomic():
            world = self._organisation()
            self.log(f"organisation: {len(world.teams)} teams, accounts made through the services")
            residents = self._residents(world)
            self.log(f"residents: {len(residents):,}")
            cases = self._cases(world, residents)
            self.log(f"cases: {len(cases):,} with memberships, consents and derived grants")
            self._journal(world, cases)
            self._visits(world, cases)
            self._meetings(world, cases)
            self._rosters(world)
            self._social_map(world, cases)
            self.writer.reset_sequences(self._written_models())
        if connection.vendor == "postgresql" and connection.get_autocommit():
            # What autovacuum does to a database in use: statistics for the planner, and the
            # visibility map and hint bits, without which the first reads of freshly loaded rows
            # pay for writing them (index-only scans fetch the heap for every row).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        elif connection.vendor == "postgresql":  # inside a transaction (the tests): statistics only
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return dict(self.writer.counts)

    def _written_models(self) -> list[type[models.Model]]:
        return [
            Resident,
            Case,
            Case.domains.through,
            Case.topics.through,
            CaseMembership,
            VolunteerConsent,
            CaseUserObjectPermission,
            JournalEntry,
            HomeVisit,
            Agreement,
            Meeting,
            MeetingDecision,
            Alarm,
            Location,
            RosterSlot,
            Shift,
            Offer,
            Offer.villages.through,
            Offer.domains.through,
            Offer.topics.through,
            Referral,
            CollectiveSignal,
            LogEntry,
        ]

    # -- organisation, through the services --

    def _organisation(self) -> World:
        size, rnd = self.size, self.random
        system = system_actor()
        municipality = Municipality.objects.create(name=MUNICIPALITY, vog_validity_months=36)
        RetentionRule.objects.create(municipality=municipality, legal_basis="Wmo 2015", years=15, is_default=True)
        password = make_password(demo.PASSWORD)  # hashed once: hashing 450 times would take minutes
        stems = list(VILLAGE_STEMS)
        rnd.shuffle(stems)
        world = World(municipality, [], [], [], [])
        accounts: list[User] = []
        for t in range(size.teams):
            team = team_create(
                actor=system, municipality=municipality, name=f"Team {stems[t * size.villages_per_team]}"
            )
            world.teams.append(team)
            world.villages.append(
                [
                    Village.objects.create(
                        municipality=municipality, team=team, name=stems[t * size.villages_per_team + v]
                    )
                    for v in range(size.villages_per_team)
                ]
            )

        def account(username: str) -> User:
            user = User(
                username=username,
                password=password,
                first_name=rnd.choice(FIRST_NAMES),
                last_name=rnd.choice(LAST_NAMES),
                email=f"{username}@schaalstad.example",
            )
            accounts.append(user)
            return user

        pros = [account(f"p{i:03d}") for i in range(1, size.professionals + 1)]
        vols = [account(f"v{i:03d}") for i in range(1, size.volunteers + 1)]
        coords = [account(f"c{i:02d}") for i in range(1, size.teams + 1)]
        privacy_officer = account("scale-privacy")
        User.objects.bulk_create(accounts)
        self._totp_devices(accounts)

        world.professionals = [pros[t :: size.teams] for t in range(size.teams)]
        world.volunteers = [vols[t :: size.teams] for t in range(size.teams)]
        for t, team in enumerate(world.teams):
            for user in world.professionals[t]:
                professional_set_team(
                    actor=system, user=user, team=team, discipline=rnd.choice(DISCIPLINES), parent_organisation=""
                )
            coordinator = coords[t]
            role_grant(actor=system, user=coordinator, role=Role.COORDINATOR)
            team.coordinators.add(coordinator)
            world.coordinators.append(coordinator)
            for index, user in enumerate(world.volunteers[t]):
                role_grant(actor=system, user=user, role=Role.VOLUNTEER_STAFF)
                # one in twenty has a VOG that has run out: they keep no case access
                expired = index % 20 == 19
                issued = self.today - datetime.timedelta(days=1200 if expired else rnd.randint(30, 900))
                VolunteerStaff.objects.create(
                    user=user,
                    team=team,
                    village=rnd.choice(world.villages[t]),
                    supervisor=world.professionals[t][0],
                    started_on=self.today - datetime.timedelta(days=rnd.randint(100, 1500)),
                    vog_requested_on=issued - datetime.timedelta(days=14),
                    vog_issued_on=issued,
                    confidentiality_signed_on=issued,
                    introduction_done_on=issued,
                    hours_per_week=rnd.choice([4, 6, 8, 12, 16]),
                )
                if not expired:
                    world.screened.add(user.pk)
        role_grant(actor=system, user=privacy_officer, role=Role.PRIVACY_OFFICER)
        return world

    def _totp_devices(self, accounts: list[User]) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.bulk_create(
            TOTPDevice(user=user, name="Schaal", key=demo.totp_key(user.username), confirmed=True) for user in accounts
        )

    # -- residents --

    def _residents(self, world: World) -> list[tuple[int, int]]:
        """(resident id, team index) per resident."""
        rnd, writer = self.random, self.writer
        villages = [(t, village) for t, team_villages in enumerate(world.villages) for village in team_villages]
        residents: list[tuple[int, int]] = []

        def rows():
            for n in range(self.size.residents):
                team_index, village = villages[n % len(villages)]
                pk = writer.next_id(Resident)
                residents.append((pk, team_index))
                created = self.now - datetime.timedelta(days=rnd.randint(0, 365 * self.size.case_years))
                yield (
                    pk,
                    rnd.choice(FIRST_NAMES),
                    rnd.choice(LAST_NAMES),
                    datetime.date(1930, 1, 1) + datetime.timedelta(days=rnd.randint(0, 30_000)),
                    rnd.choice(STREETS),
                    str(rnd.randint(1, 240)),
                    f"{6600 + rnd.randint(0, 399)} {''.join(rnd.choices(POSTCODE_LETTERS, k=2))}",
                    village.pk,
                    f"06-{rnd.randint(10_000_000, 99_999_999)}",
                    "",
                    "",
                    created,
                    created,
                    "",
                    "",
                )

        writer.write(
            Resident,
            [
                "id",
                *RESIDENT_FIELDS,  # the fields the intake service fills, in its order
                "created_at",
                "updated_at",
                "restriction_reason",
                "objection_note",
            ],
            rows(),
        )
        return residents

    # -- cases, with memberships, consents, domains and the derived grants --

    def _cases(self, world: World, residents: list[tuple[int, int]]) -> list[CaseFacts]:
        rnd, writer, size, now = self.random, self.writer, self.size, self.now
        span_days = 365 * size.case_years
        domains = list(LifeDomain.objects.values_list("pk", flat=True))
        topics_by_domain: dict[int, list[int]] = {}
        for topic_id, domain_id in Topic.objects.values_list("pk", "domain_id"):
            topics_by_domain.setdefault(domain_id, []).append(topic_id)
        channels = [value for value, _label in IntakeChannel.choices]
        outcomes = [value for value, _label in Outcome.choices]
        urgencies = [Urgency.LOW] * 2 + [Urgency.NORMAL] * 12 + [Urgency.HIGH] * 3 + [Urgency.CRISIS]
        facts: list[CaseFacts] = []
        case_rows, domain_rows, topic_rows = [], [], []

        for _n in range(size.cases):
            resident_id, t = rnd.choice(residents)
            age = min(span_days, int(rnd.triangular(0, span_days, 0)))  # more recent cases than old ones
            opened_at = now - datetime.timedelta(days=age, minutes=rnd.randint(0, 600))
            closed_at = None
            if age < 7:
                status = rnd.choice([CaseStatus.NEW, CaseStatus.NEW, CaseStatus.IN_TRIAGE])
                last_activity = opened_at
            elif rnd.random() < max(0.015, 0.5 * (1 - age / 365)):
                status = CaseStatus.ON_HOLD if rnd.random() < 0.1 else CaseStatus.ACTIVE
                quiet_days = min(age, int(rnd.expovariate(1 / 9)))
                last_activity = now - datetime.timedelta(days=quiet_days, minutes=rnd.randint(0, 600))
            else:
                status = CaseStatus.CLOSED
                closed_at = min(
                    now - datetime.timedelta(days=1), opened_at + datetime.timedelta(days=rnd.randint(10, 300))
                )
                last_activity = closed_at
            pros = world.professionals[t]
            responsible = rnd.choice(pros).pk
            second = rnd.choice(pros).pk if rnd.random() < 0.15 else None
            if second == responsible:
                second = None
            consent = None
            if status != CaseStatus.NEW:
                draw = rnd.random()
                consent = (
                    ConsentAnswer.YES
                    if draw < 0.5
                    else ConsentAnswer.NO
                    if draw < 0.65
                    else ConsentAnswer.NOT_ASKED
                    if draw < 0.75
                    else None
                )
            volunteer = None
            if consent == ConsentAnswer.YES and status != CaseStatus.IN_TRIAGE:
                chance = 0.4 if status == CaseStatus.CLOSED else 0.15
                if rnd.random() < chance:
                    volunteer = rnd.choice(world.volunteers[t]).pk
            pk = writer.next_id(Case)
            fact = CaseFacts(
                pk, t, resident_id, opened_at, status, last_activity, closed_at, responsible, second, volunteer, consent
            )
            facts.append(fact)
            case_domains = rnd.sample(domains, rnd.choice([1, 1, 1, 2, 2, 3]))
            for domain_id in case_domains:
                domain_rows.append((pk, domain_id))
            topic = rnd.choice(topics_by_domain.get(case_domains[0], [None]))
            if topic is not None and rnd.random() < 0.8:
                topic_rows.append((pk, topic))
            case_rows.append(
                (
                    pk,
                    resident_id,
                    world.teams[t].pk,
                    rnd.choice(channels),
                    rnd.choice(urgencies),
                    rnd.choice(SENTENCES) + " " + rnd.choice(SENTENCES),
                    rnd.choice(SENTENCES) if volunteer else "",
                    status,
                    opened_at,
                    closed_at,
                    rnd.choice(outcomes) if closed_at else "",
                    "Afgerond in overleg met de inwoner." if closed_at else "",
                    last_activity,
                    status in (CaseStatus.ACTIVE, CaseStatus.ON_HOLD) and rnd.random() < 0.01,
                    _years_later(closed_at.date(), 15) if closed_at else None,
                    1,
                    responsible,
                )
            )
        writer.write(
            Case,
            [
                "id",
                "resident",
                "team",
                "intake_channel",
                "urgency",
                "request_for_help",
                "volunteer_summary",
                "status",
                "opened_at",
                "closed_at",
                "outcome",
                "closing_note",
                "last_activity_at",
                "flagged_for_meeting",
                "retention_until",
                "version",
                "created_by",
            ],
            case_rows,
        )
        del case_rows
        writer.write(Case.domains.through, ["case", "lifedomain"], domain_rows)
        writer.write(Case.topics.through, ["case", "topic"], topic_rows)
        del domain_rows, topic_rows
        self._memberships_and_consents(world, facts)
        self._grants(world, facts)
        if self.audit:
            self._audit_creates(Case, ((f.id, f.responsible_id, f.opened_at, None) for f in facts))
        return facts

    def _memberships_and_consents(self, world: World, facts: list[CaseFacts]) -> None:
        writer = self.writer

        def memberships():
            for f in facts:
                yield (
                    f.id,
                    f.responsible_id,
                    MembershipRole.RESPONSIBLE,
                    f.opened_at,
                    None,
                    f.opened_at,
                    f.responsible_id,
                )
                if f.second_professional_id:
                    yield (
                        f.id,
                        f.second_professional_id,
                        MembershipRole.PROFESSIONAL,
                        f.opened_at,
                        None,
                        f.opened_at,
                        f.responsible_id,
                    )
                if f.volunteer_id:
                    joined = f.opened_at + datetime.timedelta(days=7)
                    # proposed and accepted the same week; the membership ends when the case
                    # closes (the close service ends it)
                    yield (
                        f.id,
                        f.volunteer_id,
                        MembershipRole.VOLUNTEER,
                        joined,
                        f.closed_at,
                        joined,
                        f.responsible_id,
                    )

        writer.write(
            CaseMembership,
            ["case", "user", "role", "started_at", "ended_at", "accepted_at", "created_by"],
            memberships(),
        )

        def consents():
            for f in facts:
                if f.consent is None:
                    continue
                asked = f.opened_at + datetime.timedelta(days=2)
                asked_by = None if f.consent == ConsentAnswer.NOT_ASKED else f.responsible_id
                yield (f.id, f.consent, asked if asked_by else None, asked_by, "", asked)

        writer.write(VolunteerConsent, ["case", "answer", "asked_at", "asked_by", "note", "recorded_at"], consents())

    def _grants(self, world: World, facts: list[CaseFacts]) -> None:
        """Derived from the facts by the same rule ``sync_case_permissions`` applies."""
        permission_ids = dict(
            Permission.objects.filter(content_type__app_label="cases", codename__in=ALL_CODENAMES).values_list(
                "codename", "pk"
            )
        )
        user_rows: list[tuple] = []
        for f in facts:
            members = [MemberFact(f.responsible_id, MembershipRole.RESPONSIBLE, True)]
            if f.second_professional_id:
                members.append(MemberFact(f.second_professional_id, MembershipRole.PROFESSIONAL, True))
            if f.volunteer_id and f.closed_at is None:
                members.append(
                    MemberFact(
                        f.volunteer_id,
                        MembershipRole.VOLUNTEER,
                        True,
                        f.volunteer_id in world.screened,
                        volunteer_accepted=True,
                    )
                )
            users = grants_from_facts(
                closed=f.status == CaseStatus.CLOSED,
                restricted=False,
                consent_allows_volunteer=f.consent == ConsentAnswer.YES,
                members=members,
            )
            user_rows.extend((f.id, user_id, permission_ids[codename]) for user_id, codename in sorted(users))
        self.writer.write(CaseUserObjectPermission, ["content_object", "user", "permission"], user_rows)

    # -- journal, visits, agreements --

    def _spread(self, f: CaseFacts, count: int) -> list[datetime.datetime]:
        start, end = f.opened_at, max(f.last_activity_at, f.opened_at)
        seconds = int((end - start).total_seconds())
        return sorted(start + datetime.timedelta(seconds=self.random.randint(0, seconds)) for _ in range(count))

    def _journal(self, world: World, facts: list[CaseFacts]) -> None:
        rnd, writer = self.random, self.writer
        per_case = self.size.journal_entries / len(facts)
        audit_rows: list[tuple] = []

        def rows():
            for f in facts:
                count = max(1, round(rnd.uniform(0.2, 1.8) * per_case))
                for moment in self._spread(f, count):
                    pk = writer.next_id(JournalEntry)
                    author = f.responsible_id
                    visibility = JournalVisibility.PROFESSIONALS
                    if f.volunteer_id and rnd.random() < 0.25:
                        visibility = JournalVisibility.SHARED
                    if self.audit:
                        audit_rows.append((pk, author, moment, f.id))
                    yield (
                        pk,
                        f.id,
                        author,
                        visibility,
                        rnd.choice(SENTENCES) + " " + rnd.choice(SENTENCES),
                        moment,
                        moment,
                    )

        writer.write(JournalEntry, ["id", "case", "author", "visibility", "text", "created_at", "updated_at"], rows())
        self.log(f"journal entries: {writer.counts.get('cases.JournalEntry', 0):,}")
        if self.audit:
            self._audit_creates(JournalEntry, audit_rows)
            del audit_rows

        def agreements():
            kinds = [value for value, _label in AgreementKind.choices]
            for f in facts:
                if f.status == CaseStatus.CLOSED or rnd.random() < 0.5:
                    continue
                yield (
                    f.id,
                    rnd.choice(kinds),
                    rnd.choice(NEXT_STEPS),
                    f.responsible_id,
                    (f.last_activity_at + datetime.timedelta(days=rnd.randint(3, 30))).date(),
                    None,
                    f.responsible_id,
                    f.last_activity_at,
                )

        writer.write(
            Agreement,
            ["case", "kind", "description", "assignee", "due_on", "done_at", "created_by", "created_at"],
            agreements(),
        )

    def _visits(self, world: World, facts: list[CaseFacts]) -> None:
        rnd, writer = self.random, self.writer
        with_volunteer = [f for f in facts if f.volunteer_id]
        without = len(facts) - len(with_volunteer)
        # most visits are by volunteer staff on their cases; professionals visit a share of the rest
        professional_share = 0.25 * self.size.home_visits
        per_professional_case = professional_share / max(without, 1)
        per_volunteer_case = (self.size.home_visits - professional_share) / max(len(with_volunteer), 1)
        activities = [
            [VisitActivity.CONVERSATION],
            [VisitActivity.ADMINISTRATION],
            [VisitActivity.ACCOMPANYING, VisitActivity.CONVERSATION],
            [VisitActivity.REFERRAL],
        ]

        def rows():
            for f in facts:
                if f.volunteer_id:
                    count, visitor = round(rnd.uniform(0.3, 1.7) * per_volunteer_case), f.volunteer_id
                else:
                    count, visitor = int(rnd.uniform(0, 2) * per_professional_case + rnd.random()), f.responsible_id
                for moment in self._spread(f, count):
                    yield (
                        f.id,
                        visitor,
                        timezone.localtime(moment).date(),
                        datetime.time(rnd.randint(9, 16), rnd.choice([0, 15, 30, 45])),
                        rnd.choice([30, 45, 60, 60, 90, 120]),
                        VisitCompany.ALONE,
                        _json([str(a) for a in rnd.choice(activities)]),
                        rnd.choice(SENTENCES),
                        "",
                        moment,
                    )

        writer.write(
            HomeVisit,
            [
                "case",
                "visitor",
                "visited_on",
                "start_time",
                "duration_minutes",
                "company",
                "activities",
                "summary",
                "note_for_responsible",
                "created_at",
            ],
            rows(),
        )
        self.log(f"home visits: {writer.counts.get('cases.HomeVisit', 0):,}")

        def alarms():
            for f in with_volunteer:
                if rnd.random() < 0.01:
                    raised = f.last_activity_at
                    resolved = (
                        None if f.closed_at is None and rnd.random() < 0.3 else raised + datetime.timedelta(days=1)
                    )
                    yield (
                        f.volunteer_id,
                        f.id,
                        "Zorgen over de situatie thuis.",
                        raised,
                        resolved,
                        f.responsible_id if resolved else None,
                    )

        writer.write(Alarm, ["volunteer", "case", "note", "raised_at", "resolved_at", "resolved_by"], alarms())

    # -- two years of weekly meetings --

    def _meetings(self, world: World, facts: list[CaseFacts]) -> None:
        rnd, writer = self.random, self.writer
        this_monday = week_monday(self.today)
        first_monday = this_monday - datetime.timedelta(weeks=self.size.weeks)
        meetings: dict[tuple[int, datetime.date], tuple[int, datetime.datetime, int]] = {}
        meeting_rows = []
        tz = timezone.get_current_timezone()
        for t, team in enumerate(world.teams):
            chair = world.professionals[t][0].pk
            for week in range(self.size.weeks):  # up to last week; this week's meeting is not held yet
                monday = first_monday + datetime.timedelta(weeks=week)
                started = datetime.datetime.combine(monday + datetime.timedelta(days=1), datetime.time(9, 30), tz)
                pk = writer.next_id(Meeting)
                meetings[(t, monday)] = (pk, started, chair)
                meeting_rows.append((pk, team.pk, monday, started, started + datetime.timedelta(hours=2), chair))
        writer.write(Meeting, ["id", "team", "week_start", "started_at", "ended_at", "chair"], meeting_rows)

        def decisions():
            for f in facts:
                if f.status in (CaseStatus.NEW, CaseStatus.IN_TRIAGE):
                    continue
                # the first meeting after intake decided on the case
                monday = week_monday(timezone.localtime(f.opened_at).date()) + datetime.timedelta(weeks=1)
                meeting = meetings.get((f.team_index, monday))
                if meeting is None:
                    continue
                pk, started, chair = meeting
                if f.closed_at and f.closed_at < started:
                    continue
                yield (
                    pk,
                    f.id,
                    _json(["new"]),
                    f.responsible_id,
                    f.volunteer_id,
                    rnd.choice(NEXT_STEPS),
                    "",
                    chair,
                    started,
                )

        writer.write(
            MeetingDecision,
            [
                "meeting",
                "case",
                "reasons",
                "responsible",
                "volunteer",
                "next_step",
                "notes",
                "decided_by",
                "decided_at",
            ],
            decisions(),
        )

    # -- rosters of the walk-in hour --

    def _rosters(self, world: World) -> None:
        rnd, writer = self.random, self.writer
        start = self.today - datetime.timedelta(weeks=self.size.weeks)
        shift_rows = []
        for t, team in enumerate(world.teams):
            location = Location.objects.create(
                team=team, name=f"Dorpshuis {world.villages[t][0].name}", address="Brink 1"
            )
            for weekday, hour in ((1, 9), (3, 13)):
                slot = RosterSlot.objects.create(
                    location=location,
                    weekday=weekday,
                    start_time=datetime.time(hour, 0),
                    end_time=datetime.time(hour + 2, 0),
                    volunteers_needed=2,
                    valid_from=start,
                )
                day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
                while day <= self.today + datetime.timedelta(weeks=8):
                    shift_rows.append((slot.pk, day, rnd.choice(world.professionals[t]).pk, ShiftRole.PROFESSIONAL))
                    for volunteer in rnd.sample(world.volunteers[t], min(2, len(world.volunteers[t]))):
                        shift_rows.append((slot.pk, day, volunteer.pk, ShiftRole.VOLUNTEER))
                    day += datetime.timedelta(weeks=1)
        writer.write(Shift, ["slot", "date", "person", "role"], shift_rows)

    # -- social map, referrals and collective signals --

    def _social_map(self, world: World, facts: list[CaseFacts]) -> None:
        rnd, writer = self.random, self.writer
        kinds = [value for value, _label in OfferKind.choices]
        topics = list(Topic.objects.values_list("pk", "domain_id"))
        offers_by_team: list[list[int]] = []
        offer_rows, village_rows, domain_rows, topic_rows = [], [], [], []
        for t, villages in enumerate(world.villages):
            team_offers = []
            for village in villages:
                for n in range(12):
                    pk = writer.next_id(Offer)
                    team_offers.append(pk)
                    topic_id, domain_id = rnd.choice(topics)
                    offer_rows.append(
                        (
                            pk,
                            f"{rnd.choice(OFFER_NAMES)} {village.name} {n + 1}",
                            rnd.choice(kinds),
                            "Voor iedereen uit de kern.",
                            "Dinsdag 10:00-12:00",
                            f"Dorpshuis {village.name}",
                            "",
                            "Gratis",
                            "Rolstoeltoegankelijk",
                            True,
                            self.now,
                            world.volunteers[t][0].pk,
                        )
                    )
                    village_rows.append((pk, village.pk))
                    domain_rows.append((pk, domain_id))
                    topic_rows.append((pk, topic_id))
            offers_by_team.append(team_offers)
        writer.write(
            Offer,
            [
                "id",
                "name",
                "kind",
                "description",
                "when",
                "where",
                "contact",
                "cost",
                "accessibility",
                "active",
                "updated_at",
                "created_by",
            ],
            offer_rows,
        )
        writer.write(Offer.villages.through, ["offer", "village"], village_rows)
        writer.write(Offer.domains.through, ["offer", "lifedomain"], domain_rows)
        writer.write(Offer.topics.through, ["offer", "topic"], topic_rows)
        outcomes = [value for value, _label in ReferralOutcome.choices]

        def referrals():
            for f in facts:
                if rnd.random() < 0.05:
                    yield (
                        f.id,
                        rnd.choice(offers_by_team[f.team_index]),
                        f.volunteer_id or f.responsible_id,
                        f.last_activity_at,
                        rnd.choice(outcomes),
                        "",
                    )

        writer.write(Referral, ["case", "offer", "referred_by", "referred_at", "outcome", "outcome_note"], referrals())
        statuses = [value for value, _label in SignalStatus.choices]

        def signals():
            for t, villages in enumerate(world.villages):
                for village in villages:
                    for _n in range(3 * max(1, self.size.weeks // 52)):
                        yield (
                            village.pk,
                            rnd.choice(
                                [
                                    "Eenzaamheid onder ouderen",
                                    "Geen vervoer naar de stad",
                                    "Schulden bij jonge gezinnen",
                                ]
                            ),
                            "Meerdere inwoners noemen dit bij huisbezoeken.",
                            "Huisbezoeken",
                            rnd.choice(statuses),
                            world.volunteers[t][0].pk,
                            self.now - datetime.timedelta(days=rnd.randint(0, 7 * self.size.weeks)),
                        )

        writer.write(
            CollectiveSignal,
            ["village", "theme", "description", "source", "status", "recorded_by", "recorded_at"],
            signals(),
        )

    # -- audit trail of the records made --

    def _audit_creates(self, model, rows: Iterable[tuple[int, int, datetime.datetime, int | None]]) -> None:
        """One 'create' entry per record, as auditlog would have written it, with its actor, and
        sealed into the audit chain, as production seals every entry at its commit."""
        content_type = ContentType.objects.get_for_model(model)
        name = model.__name__ if model is not Case else "Case"
        label = {"JournalEntry": "Journal entry", "Case": "Case"}.get(name, name)

        def entries():
            for pk, actor_id, moment, case_id in rows:
                yield {
                    "id": self.writer.next_id(LogEntry),
                    "content_type_id": content_type.pk,
                    "object_pk": str(pk),
                    "object_id": pk,
                    "object_repr": f"{label} #{pk}",
                    "serialized_data": None,
                    "action": LogEntry.Action.CREATE,
                    "changes_text": "",
                    "changes": {"id": ["None", str(pk)]},
                    "actor_id": actor_id,
                    "actor_email": None,
                    "cid": str(uuid.UUID(int=self.random.getrandbits(128))),
                    "remote_addr": None,
                    "remote_port": None,
                    "timestamp": moment,
                    "additional_data": {"case_id": case_id} if case_id else None,
                }

        self._write_sealed(entries())

    def _write_sealed(self, entries: Iterable[dict]) -> None:
        """Write audit entries with their seals, chunk by chunk: each entry's content hash and
        link computed from the values written, by ``base.chain.advance`` as the job does, so
        ``verify_audit_chain`` finds the chain whole. (Sealing millions afterwards, reading them
        back, would take the job many minutes; a page would otherwise seal the backlog.)"""
        seal_pending()  # what the services wrote before (the organisation): the chain is in id order
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        fields = ["id", "content_type", "object_pk", "object_id", "object_repr", "action", "changes_text"]
        fields += ["changes", "actor", "cid", "timestamp", "additional_data"]
        keys = [LogEntry._meta.get_field(name).attname for name in fields]
        sealed_at = timezone.now()
        for chunk in _chunks(entries, 50_000):
            seals = [advance(head, values, sealed_at) for values in chunk]
            rows = (tuple(_column(key, values[key]) for key in keys) for values in chunk)
            self.writer.write(LogEntry, fields, rows)
            self.writer.write(AuditSeal, ["seq", "entry_id", "content_hash", "chain_hash", "sealed_at"], iter(seals))
            head.entry_floor = seals[-1][1]
        head.save(update_fields=["seq", "chain_hash", "entry_floor"])


def _column(key: str, value):
    """An audit entry's value as the writer takes it: its JSON fields as JSON text."""
    return _json(value) if key in ("changes", "additional_data") and value is not None else value
