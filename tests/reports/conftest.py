import datetime
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.constants import ConsentAnswer, IntakeChannel, LifeDomainCode, Outcome
from cases.models import Case, HomeVisit, LifeDomain, Meeting, MeetingDecision
from socialmap.models import CollectiveSignal, SignalStatus
from tests.factories import (
    CaseFactory,
    ResidentFactory,
    TeamFactory,
    VillageFactory,
    make_coordinator,
    make_professional,
    make_volunteer,
)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A local moment: close to midnight on purpose, so local days are tested, not UTC days."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def world():
    """Three teams with cases opened over the last 13 weeks and today (at 00:10 and 23:50 local),
    every intake channel and life domain, volunteers who accepted and who were only proposed,
    refused consent, first and later meeting decisions, home visits by volunteers of the team,
    of another team and by a professional, closings with outcomes and collective signals."""
    rnd = random.Random(2026)
    today = timezone.localdate()
    team_a, team_b, team_c = TeamFactory(name="Noord"), TeamFactory(name="Oost"), TeamFactory(name="Zuid")
    villages = {
        team_a: [VillageFactory(team=team_a, name="Randwijk"), VillageFactory(team=team_a, name="Heteren")],
        team_b: [VillageFactory(team=team_b, name="Elst")],
        team_c: [VillageFactory(team=team_c, name="Zetten")],
    }
    professionals = {team: make_professional(team, first_name=f"Prof{team.name}") for team in villages}
    volunteers = {
        team_a: [make_volunteer(team_a, first_name="Anna"), make_volunteer(team_a, first_name="Bram")],
        team_b: [make_volunteer(team_b, first_name="Cees")],
        team_c: [make_volunteer(team_c, first_name="Door")],
    }
    domains = list(LifeDomain.objects.all())
    channels = [value for value, _label in IntakeChannel.choices]
    outcomes = [value for value, _label in Outcome.choices]
    offsets = [0, 0, 1, 2, 6, 8, 13, 20, 28, 41, 55, 70, 84, 90]
    cases = []
    for index, offset in enumerate(offsets):
        for team in (team_a, team_a, team_b, team_c) if index % 3 else (team_a, team_b):
            kind = rnd.choice(["plain", "with_volunteer", "with_proposal", "refused", "consented"])
            kwargs = {
                "resident": ResidentFactory(village=rnd.choice(villages[team])),
                "responsible": professionals[team],
                "intake_channel": rnd.choice(channels),
            }
            if kind in ("with_volunteer", "with_proposal"):
                kwargs[kind] = True
                kwargs["volunteer"] = rnd.choice(volunteers[team])
            elif kind == "refused":
                kwargs["consent"] = ConsentAnswer.NO
            elif kind == "consented":
                kwargs["consented"] = True
            case = CaseFactory(**kwargs)
            case.domains.set(rnd.sample(domains, rnd.randint(0, 3)))
            opened_day = today - datetime.timedelta(days=offset)
            opened_at = at(opened_day, rnd.choice([0, 9, 23]), rnd.choice([10, 50]))
            if opened_at > timezone.now():
                opened_at = timezone.now() - datetime.timedelta(minutes=1)
            Case.objects.filter(pk=case.pk).update(opened_at=opened_at)
            case.opened_at = opened_at
            cases.append(case)
    # Meeting decisions: a first one some days after opening (for most), sometimes a later one too.
    for case in cases:
        if rnd.random() < 0.3:
            continue
        meeting = Meeting.objects.get_or_create(
            team=case.team, week_start=today, defaults={"chair": professionals[case.team]}
        )[0]
        first = min(
            case.opened_at + datetime.timedelta(days=rnd.randint(0, 12), hours=rnd.randint(0, 20)), timezone.now()
        )
        MeetingDecision.objects.create(
            meeting=meeting,
            case=case,
            responsible=professionals[case.team],
            decided_by=professionals[case.team],
            next_step="Huisbezoek",
            decided_at=first,
        )
        if rnd.random() < 0.3:
            later = Meeting.objects.get_or_create(
                team=case.team, week_start=today - datetime.timedelta(weeks=1), defaults={"chair": case.responsible}
            )[0]
            MeetingDecision.objects.create(
                meeting=later,
                case=case,
                responsible=professionals[case.team],
                decided_by=professionals[case.team],
                next_step="Verder",
                decided_at=first + datetime.timedelta(days=3),
            )
    # Home visits on the teams' cases: by their volunteers, by team B's volunteer on team A's
    # cases (counted only when B is in the report too), and by a professional (never counted).
    for case in cases:
        for _ in range(rnd.randint(0, 3)):
            visitor = rnd.choice([*volunteers[case.team], *volunteers[team_b], professionals[case.team]])
            HomeVisit.objects.create(
                case=case,
                visitor=visitor,
                visited_on=today - datetime.timedelta(days=rnd.randint(0, 95)),
                duration_minutes=rnd.choice([20, 45, 60, 90]),
            )
    # Closings with outcomes, on several days (some today).
    for case in cases[::3]:
        case_services.case_close(actor=case.responsible, case=case, outcome=rnd.choice(outcomes))
        closed_day = today - datetime.timedelta(days=rnd.choice([0, 0, 1, 5, 12, 30, 60]))
        closed_at = max(case.opened_at, min(at(closed_day, rnd.choice([0, 12, 23]), 30), timezone.now()))
        Case.objects.filter(pk=case.pk).update(closed_at=closed_at)
    # Collective signals in the teams' villages.
    for index in range(14):
        team = [team_a, team_b, team_c][index % 3]
        CollectiveSignal.objects.create(
            village=rnd.choice(villages[team]),
            theme="Eenzaamheid",
            description="Behoefte aan een ontmoetingsplek.",
            status=rnd.choice([value for value, _label in SignalStatus.choices]),
            recorded_by=professionals[team],
            recorded_at=at(today - datetime.timedelta(days=rnd.randint(0, 100)), rnd.choice([0, 11, 23]), 40),
        )
    coordinator = make_coordinator(team_a)
    team_b.coordinators.add(coordinator)
    assert {value for value, _label in LifeDomainCode.choices} == {domain.code for domain in domains}
    return SimpleNamespace(
        today=today,
        teams=(team_a, team_b, team_c),
        villages=villages,
        professionals=professionals,
        volunteers=volunteers,
        coordinator=coordinator,
        cases=cases,
    )


@pytest.fixture
def small():
    """Two teams, a handful of cases: a volunteer's visit, a case of last month, one of today."""
    today = timezone.localdate()
    village = VillageFactory(name="Randwijk")
    other = VillageFactory(name="Elst")
    professional = make_professional(village.team)
    cases = [CaseFactory(resident=ResidentFactory(village=village), responsible=professional) for _ in range(2)]
    cases.append(CaseFactory(resident=ResidentFactory(village=village), responsible=professional, with_volunteer=True))
    CaseFactory(resident=ResidentFactory(village=other))
    Case.objects.filter(pk=cases[0].pk).update(opened_at=at(today - datetime.timedelta(days=40), 10))
    HomeVisit.objects.create(
        case=cases[2], visitor=cases[2].volunteer, visited_on=today - datetime.timedelta(days=3), duration_minutes=45
    )
    return SimpleNamespace(
        today=today, team=village.team, other_team=other.team, professional=professional, cases=cases
    )
