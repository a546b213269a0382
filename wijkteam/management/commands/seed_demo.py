"""Load the demo world. Refuses to run with DEBUG off; a second run adds nothing."""

import datetime
import itertools

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Municipality, Team, User, Village
from accounts.roles import Role
from accounts.services import professional_set_team, role_grant, system_actor, team_create
from cases import services as case_services
from cases.constants import ConsentAnswer, IntakeChannel, JournalVisibility, Outcome, Urgency
from cases.models import Case, LifeDomain, RetentionRule, Topic
from cases.permissions import CaseAction, cases_for
from socialmap import services as map_services
from volunteers import services as volunteer_services
from volunteers.models import AllowanceArrangement, AllowanceKind, AllowanceLimit, Location, RosterSlot, VolunteerStaff
from wijkteam import demo


class Command(BaseCommand):
    help = "Load demo data: 3 teams over 11 villages, staff of every role, residents and cases in every status."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: demo accounts have a published password.")
        if Municipality.objects.filter(name=demo.MUNICIPALITY).exists():
            self.stdout.write("Demo data is already there; nothing added.")
            return
        with transaction.atomic():
            self._seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded. Log in as professional, volunteer or coordinator with password {demo.PASSWORD}"
            )
        )

    def _seed(self) -> None:
        system = system_actor()
        municipality = Municipality.objects.create(name=demo.MUNICIPALITY, vog_validity_months=36)
        teams: dict[str, Team] = {}
        villages: dict[str, Village] = {}
        for team_name, village_names in demo.TEAMS.items():
            teams[team_name] = team_create(actor=system, municipality=municipality, name=team_name)
            for village_name in village_names:
                villages[village_name] = Village.objects.create(
                    municipality=municipality, team=teams[team_name], name=village_name
                )

        def make_user(username: str, first: str, last: str, **extra) -> User:
            user = User.objects.create_user(
                username=username,
                password=demo.PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@wijkteam.example",
                **extra,
            )
            TOTPDevice.objects.create(user=user, name="Demo", key=demo.totp_key(username), confirmed=True)
            return user

        professionals: dict[str, User] = {}
        for index, (username, first, last, team, discipline, organisation) in enumerate(demo.PROFESSIONALS):
            user = make_user(username, first, last, phone=f"06-1000 {index:04d}")
            professional_set_team(
                actor=system, user=user, team=teams[team], discipline=discipline, parent_organisation=organisation
            )
            professionals[username] = user

        today = timezone.localdate()
        volunteers: dict[str, User] = {}
        for username, first, last, team, village, vog_months in demo.VOLUNTEERS:
            user = make_user(username, first, last, phone="")
            role_grant(actor=system, user=user, role=Role.VOLUNTEER_STAFF)
            profile = VolunteerStaff.objects.create(
                user=user,
                team=teams[team],
                village=villages[village],
                interests="Koffieochtenden, administratie, wandelen",
                supervisor=professionals[demo.TEAM_LEADS[team]],
                started_on=today - datetime.timedelta(days=700),
                vog_issued_on=None if vog_months is None else today - datetime.timedelta(days=int(vog_months * 30.5)),
            )
            profile.expertise.set(LifeDomain.objects.filter(code__in=["participation", "money"]))
            volunteers[username] = user

        username, first, last, team = demo.COORDINATOR
        coordinator = make_user(username, first, last)
        role_grant(actor=system, user=coordinator, role=Role.COORDINATOR)
        teams[team].coordinators.add(coordinator)

        username, first, last = demo.ADMINISTRATOR
        administrator = make_user(username, first, last, is_staff=True)
        role_grant(actor=system, user=administrator, role=Role.ADMINISTRATOR)

        username, first, last = demo.PRIVACY_OFFICER
        privacy_officer = make_user(username, first, last)
        role_grant(actor=system, user=privacy_officer, role=Role.PRIVACY_OFFICER)
        municipality.privacy_officers.add(privacy_officer)

        for legal_basis, years, domain, is_default in demo.RETENTION:
            RetentionRule.objects.create(
                municipality=municipality,
                legal_basis=legal_basis,
                years=years,
                domain=LifeDomain.objects.get(code=domain) if domain else None,
                is_default=is_default,
            )

        self._seed_cases(teams, villages, professionals, volunteers)
        self._seed_coordination(municipality, teams, villages, professionals, volunteers, coordinator)
        self._seed_social_map(villages, professionals, volunteers)

    def _seed_social_map(self, villages, professionals, volunteers) -> None:
        offers = {}
        for name, kind, village_names, topics, when, where, cost in demo.OFFERS:
            offers[name] = map_services.offer_save(
                actor=volunteers["volunteer"],
                villages=[villages[v] for v in village_names],
                topics=Topic.objects.filter(code__in=topics),
                name=name,
                kind=kind,
                when=when,
                where=where,
                cost=cost,
                description="Voor iedereen uit de kern; aanmelden is niet nodig.",
            )
        case = cases_for(volunteers["volunteer"], CaseAction.LOG_VISIT).order_by("pk").first()
        if case is not None:
            map_services.referral_make(
                actor=volunteers["volunteer"],
                case=Case.objects.get(pk=case.pk),
                offer=offers["Koffieochtend in het Dorpshuis"],
            )
        map_services.signal_record(
            actor=volunteers["volunteer"],
            village=villages["Elst"],
            theme="Geen ontmoetingsplek in de wijk Lienden",
            description="Ouderen zeggen dat er sinds de sluiting van de buurtsuper geen plek is om elkaar te zien.",
            source="Huisbezoeken en koffieochtend",
        )

    def _seed_coordination(self, municipality, teams, villages, professionals, volunteers, coordinator) -> None:
        """Walk-in hours with this week's shifts, an allowance arrangement, limits, a check-in."""
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        per_hour = AllowanceArrangement.objects.create(
            municipality=municipality, name="Per uur", kind=AllowanceKind.PER_HOUR, amount="2.50"
        )
        # Demo values only: the functional administrator enters the official limits per year.
        AllowanceLimit.objects.get_or_create(
            year=today.year, defaults={"max_per_hour": "5.60", "max_per_month": "210.00", "max_per_year": "2100.00"}
        )
        for team_name, team in teams.items():
            village = demo.TEAMS[team_name][0]
            location = Location.objects.create(
                team=team, name=f"Dorpshuis {village}", address=f"Dorpsplein 1, {village}"
            )
            slot = RosterSlot.objects.create(
                location=location,
                weekday=1,
                start_time=datetime.time(10, 0),
                end_time=datetime.time(11, 30),
                valid_from=monday - datetime.timedelta(weeks=8),
            )
            if team_name == "Team Elst":
                for weeks_back in range(0, 4):
                    day = monday + datetime.timedelta(days=1) - datetime.timedelta(weeks=weeks_back)
                    volunteer_services.shift_assign(
                        actor=coordinator, slot=slot, date=day, person=volunteers["volunteer"]
                    )
                    volunteer_services.shift_assign(
                        actor=coordinator, slot=slot, date=day, person=professionals["professional"]
                    )
        for username in ("volunteer", "gerda"):
            profile = volunteers[username].volunteer_profile
            volunteer_services.volunteer_update(
                actor=coordinator,
                profile=profile,
                expected_version=profile.version,
                allowance=per_hour,
                confidentiality_signed_on=profile.started_on,
                introduction_done_on=profile.started_on,
            )
        volunteer_services.checkin_record(
            actor=coordinator,
            profile=volunteers["volunteer"].volunteer_profile,
            load=2,
            held_on=today - datetime.timedelta(weeks=3),
            how_are_you="Gaat goed, leuk contact met de inwoners.",
        )

    def _seed_cases(self, teams, villages, professionals, volunteers) -> None:
        names = ((demo.FIRST_NAMES[i % 20], demo.LAST_NAMES[(i * 7 + 3) % 20]) for i in itertools.count())
        channels = itertools.cycle(IntakeChannel.values)
        urgencies = itertools.cycle([Urgency.NORMAL, Urgency.LOW, Urgency.HIGH, Urgency.NORMAL])
        requests = itertools.cycle(demo.REQUESTS)
        # Per team: a plan of cases as (status, consent, volunteer to assign)
        plans = {
            "Team Elst": [
                ("active", "yes", "volunteer"),
                ("active", "yes", "volunteer"),
                ("on_hold", "yes", "volunteer"),
                ("active", "withdrawn", "volunteer"),
                ("closed", "yes", "volunteer"),
                ("active", "yes", "gerda"),
                ("active", "no", None),
                ("in_triage", "yes", None),
                ("new", "not_asked", None),
                ("new", "yes", None),
                ("closed", "no", None),
            ],
            "Team Heteren-Driel": [
                ("active", "yes", "ria"),
                ("new", "not_asked", None),
                ("in_triage", "no", None),
                ("closed", "yes", None),
            ],
            "Team Zetten": [("active", "no", None), ("new", "yes", None), ("on_hold", "not_asked", None)],
        }
        house = itertools.count(3)
        for team_name, plan in plans.items():
            actor = professionals[demo.TEAM_LEADS[team_name]]
            team_villages = [villages[name] for name in demo.TEAMS[team_name]]
            for index, (status, consent, volunteer) in enumerate(plan):
                first, last = next(names)
                number = next(house)
                resident = case_services.resident_create(
                    actor=actor,
                    first_name=first,
                    last_name=last,
                    date_of_birth=datetime.date(1940 + (number * 7) % 60, 1 + number % 12, 1 + number % 28),
                    street=demo.STREETS[number % len(demo.STREETS)],
                    house_number=str(number),
                    postcode=f"66{60 + number % 40:02d} {chr(65 + number % 26)}{chr(66 + number % 24)}",
                    village=team_villages[index % len(team_villages)],
                    phone=f"0481-{450000 + number:06d}",
                    email=f"{first.lower()}.{number}@mail.example",
                    notes="Voorkeur voor afspraken in de ochtend.",
                )
                request, summary, domain_codes, topic_codes = next(requests)
                case = case_services.case_open(
                    actor=actor,
                    resident=resident,
                    intake_channel=next(channels),
                    domains=LifeDomain.objects.filter(code__in=domain_codes),
                    topics=Topic.objects.filter(code__in=topic_codes),
                    urgency=next(urgencies),
                    request_for_help=request,
                    volunteer_summary=summary,
                )
                if consent in ("yes", "no", "withdrawn"):
                    answer = ConsentAnswer.NO if consent == "no" else ConsentAnswer.YES
                    case_services.consent_record(actor=actor, case=case, answer=answer)
                if status == "new":
                    continue
                case = case_services.case_start_triage(actor=actor, case=case)
                if status == "in_triage":
                    continue
                case = case_services.case_activate(actor=actor, case=case, responsible=actor)
                case_services.journal_entry_add(
                    actor=actor,
                    case=case,
                    text="Intakegesprek gevoerd; afspraken gemaakt over vervolg.",
                    visibility=JournalVisibility.PROFESSIONALS,
                )
                if volunteer:
                    proposal = case_services.volunteer_assign(actor=actor, case=case, volunteer=volunteers[volunteer])
                    case_services.proposal_accept(actor=volunteers[volunteer], membership=proposal)
                    case_services.journal_entry_add(
                        actor=actor,
                        case=case,
                        text="Vrijwillig medewerker gaat langs voor kennismaking.",
                        visibility=JournalVisibility.SHARED,
                    )
                    case_services.home_visit_log(
                        actor=volunteers[volunteer],
                        case=case,
                        visited_on=timezone.localdate() - datetime.timedelta(days=7),
                        duration_minutes=60,
                        summary="Kennismaking, koffie gedronken en wensen besproken.",
                        activities=["conversation"],
                    )
                if consent == "withdrawn":
                    case_services.consent_withdraw(actor=actor, case=case, note="Inwoner wil het nu zelf proberen.")
                if status == "on_hold":
                    case_services.case_hold(actor=actor, case=case)
                elif status == "closed":
                    case_services.case_close(
                        actor=actor, case=case, outcome=Outcome.RESOLVED, closing_note="Vraag beantwoord."
                    )
        self._seed_open_proposal(names, house, villages, professionals, volunteers)

    def _seed_open_proposal(self, names, house, villages, professionals, volunteers) -> None:
        """One open proposal for the demo volunteer (R7): the team proposed them, they have
        not answered yet, so "My cases" shows the resident's name and street to accept or decline."""
        actor = professionals[demo.TEAM_LEADS["Team Elst"]]
        first, last = next(names)
        number = next(house)
        resident = case_services.resident_create(
            actor=actor,
            first_name=first,
            last_name=last,
            date_of_birth=datetime.date(1946, 4, 12),
            street=demo.STREETS[number % len(demo.STREETS)],
            house_number=str(number),
            postcode="6661 PV",
            village=villages[demo.TEAMS["Team Elst"][0]],
            phone=f"0481-{450000 + number:06d}",
            notes="",
        )
        case = case_services.case_open(
            actor=actor,
            resident=resident,
            intake_channel=IntakeChannel.WALK_IN,
            domains=LifeDomain.objects.filter(code="participation"),
            request_for_help="Sinds de verhuizing weinig contact in het dorp; zoekt aansluiting.",
            volunteer_summary="Zoekt aansluiting bij activiteiten in het dorp.",
        )
        case_services.consent_record(actor=actor, case=case, answer=ConsentAnswer.YES)
        case = case_services.case_start_triage(actor=actor, case=case)
        case = case_services.case_activate(actor=actor, case=case, responsible=actor)
        case_services.volunteer_assign(actor=actor, case=case, volunteer=volunteers["volunteer"])
