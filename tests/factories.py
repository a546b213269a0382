"""Factories for the domain. Writes that carry rules go through the services, as in the app."""

import datetime
import uuid

import factory
from django.utils import timezone

from accounts.models import Municipality, Team, User, Village
from accounts.roles import Role
from accounts.services import professional_set_team, role_grant, system_actor, team_create
from base.audit import acting_as
from cases import services
from cases.constants import ConsentAnswer, IntakeChannel, JournalVisibility, Outcome
from cases.models import Case, LifeDomain, Resident
from volunteers.models import VolunteerStaff

PASSWORD = "test-password-123"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = "Overbetuwe"


class TeamFactory(factory.django.DjangoModelFactory):
    """A team made by ``team_create``, as the app makes one."""

    class Meta:
        model = Team

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")

    @classmethod
    def _create(cls, model_class, *args, municipality, name, **kwargs):
        return team_create(actor=system_actor(), municipality=municipality, name=name)


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    team = factory.SubFactory(TeamFactory)
    municipality = factory.SelfAttribute("team.municipality")
    name = factory.Sequence(lambda n: f"Dorp {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    phone = factory.Sequence(lambda n: f"06-2000{n:04d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_professional(team: Team, **kwargs) -> User:
    user = UserFactory(**kwargs)
    professional_set_team(actor=system_actor(), user=user, team=team, discipline="social_worker")
    return user


def make_volunteer(team: Team, *, vog_issued_on: datetime.date | None = None, **kwargs) -> User:
    """Volunteer staff of ``team``; VOG issued a year ago unless said otherwise."""
    user = UserFactory(**kwargs)
    role_grant(actor=system_actor(), user=user, role=Role.VOLUNTEER_STAFF)
    VolunteerStaff.objects.create(
        user=user,
        team=team,
        vog_issued_on=vog_issued_on or timezone.localdate() - datetime.timedelta(days=365),
    )
    return user


def make_coordinator(team: Team, **kwargs) -> User:
    user = UserFactory(**kwargs)
    role_grant(actor=system_actor(), user=user, role=Role.COORDINATOR)
    team.coordinators.add(user)
    return user


def make_administrator(**kwargs) -> User:
    user = UserFactory(is_staff=True, **kwargs)
    role_grant(actor=system_actor(), user=user, role=Role.ADMINISTRATOR)
    return user


def make_privacy_officer(municipality: Municipality | None = None, **kwargs) -> User:
    """A privacy officer of ``municipality`` (the factories' default municipality unless said)."""
    user = UserFactory(**kwargs)
    role_grant(actor=system_actor(), user=user, role=Role.PRIVACY_OFFICER)
    (municipality or MunicipalityFactory()).privacy_officers.add(user)
    return user


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = datetime.date(1950, 5, 17)
    street = "Dorpsstraat"
    house_number = factory.Sequence(lambda n: str(n + 1))
    postcode = "6661 AB"
    village = factory.SubFactory(VillageFactory)
    phone = "0481-123456"
    email = factory.Sequence(lambda n: f"inwoner{n}@example.org")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with acting_as(system_actor()):
            return super()._create(model_class, *args, **kwargs)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case opened through ``case_open`` by a professional of the resident's team.

    Traits: ``consented`` (resident said yes), ``active`` (with a responsible professional),
    ``with_volunteer`` (consented, active, a screened volunteer proposed who accepted: the slice
    is open), ``with_proposal`` (the same, but the volunteer has not answered yet: no slice, R7),
    ``closed``. The people made along the way are on the case as ``case.responsible`` and
    ``case.volunteer``; the volunteer's membership as ``case.volunteer_membership``.
    """

    class Meta:
        model = Case

    resident = factory.SubFactory(ResidentFactory)
    request_for_help = "Zoekt hulp bij de administratie."
    volunteer_summary = "Hulp bij het ordenen van post."

    class Params:
        consented = factory.Trait(consent=ConsentAnswer.YES)
        active = factory.Trait(status="active")
        with_volunteer = factory.Trait(consent=ConsentAnswer.YES, status="active", volunteer=True)
        with_proposal = factory.Trait(
            consent=ConsentAnswer.YES, status="active", volunteer=True, volunteer_accepts=False
        )
        closed = factory.Trait(status="closed")

    consent = None
    status = "new"
    volunteer = False
    volunteer_accepts = True  # the proposed volunteer accepts (the slice opens)
    responsible = None

    @classmethod
    def _create(
        cls, model_class, *args, resident, consent, status, volunteer, volunteer_accepts, responsible, **kwargs
    ):
        team = resident.village.team
        responsible = responsible or make_professional(team)
        case = services.case_open(
            actor=responsible,
            resident=resident,
            intake_channel=kwargs.pop("intake_channel", IntakeChannel.WALK_IN),
            domains=LifeDomain.objects.filter(code="money"),
            **kwargs,
        )
        if consent:
            services.consent_record(actor=responsible, case=case, answer=consent)
        if status in ("in_triage", "active", "on_hold", "closed"):
            case = services.case_start_triage(actor=responsible, case=case)
        if status in ("active", "on_hold", "closed"):
            case = services.case_activate(actor=responsible, case=case, responsible=responsible)
        volunteer_user = membership = None
        if volunteer:
            volunteer_user = volunteer if isinstance(volunteer, User) else make_volunteer(team)
            membership = services.volunteer_assign(actor=responsible, case=case, volunteer=volunteer_user)
            if volunteer_accepts:
                membership = services.proposal_accept(actor=volunteer_user, membership=membership)
        if status == "on_hold":
            case = services.case_hold(actor=responsible, case=case)
        if status == "closed":
            case = services.case_close(actor=responsible, case=case, outcome=Outcome.RESOLVED)
        case.responsible = responsible
        case.volunteer = volunteer_user
        case.volunteer_membership = membership
        return case


def add_journal(case: Case, *, text: str, shared: bool, author: User | None = None):
    visibility = JournalVisibility.SHARED if shared else JournalVisibility.PROFESSIONALS
    return services.journal_entry_add(actor=author or case.responsible, case=case, text=text, visibility=visibility)


def intake_case_fields(**overrides) -> dict:
    """The request-for-help fields of the intake form's POST, with a fresh submission key."""
    return {
        "intake_channel": "walk_in",
        "domains": [LifeDomain.objects.get(code="money").pk],
        "urgency": "normal",
        "request_for_help": "Hulp bij schulden",
        "volunteer_summary": "Administratie ordenen",
        "consent_answer": ConsentAnswer.YES,
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }


def intake_resident_fields(village: Village, **overrides) -> dict:
    """The new-resident fields of the intake form's POST (Grietje Jansen unless given)."""
    fields = {
        "first_name": "Grietje",
        "last_name": "Jansen",
        "date_of_birth": "1948-03-02",
        "street": "Kerkstraat",
        "house_number": "12",
        "postcode": "6661ab",
        "village": village.pk,
        "phone": "",
        "email": "",
        "notes": "",
        **overrides,
    }
    return {f"resident-{key}": value for key, value in fields.items()}


def intake_post(village: Village, *, case: dict | None = None, **resident) -> dict:
    """The intake form's POST for a new resident in ``village``; ``case`` overrides the
    request's fields."""
    return {**intake_case_fields(**(case or {})), **intake_resident_fields(village, **resident)}
