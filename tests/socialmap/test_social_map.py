"""The social map (R12), referrals from a case or a visit, and collective signals (R13)."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Topic
from socialmap import selectors, services
from socialmap.models import CollectiveSignal, Offer, Referral, SignalStatus
from tests.factories import PASSWORD, CaseFactory, make_coordinator, make_volunteer


@pytest.fixture
def world():
    case = CaseFactory(with_volunteer=True)
    offer = services.offer_save(
        actor=case.volunteer,
        villages=[case.resident.village],
        topics=Topic.objects.filter(code="loneliness"),
        name="Koffieochtend",
        kind="activity",
        description="Elke dinsdag koffie",
    )
    return case, offer


def test_volunteer_staff_and_professionals_keep_the_map_with_a_history(world):
    case, offer = world

    services.offer_save(
        actor=case.responsible, offer=offer, expected_version=offer.version, villages=[case.resident.village],
        name="Koffieochtend", kind="activity", cost="Gratis",
    )  # fmt: skip

    actors = {entry.actor for entry in LogEntry.objects.get_for_object(offer)}
    assert {case.volunteer, case.responsible} <= actors
    assert Offer.objects.get(pk=offer.pk).cost == "Gratis"


def test_coordinators_do_not_edit_the_map(world):
    case, offer = world

    with pytest.raises(PermissionDenied):
        services.offer_save(
            actor=make_coordinator(case.team), offer=offer, villages=[case.resident.village], name="x", kind="club"
        )


def test_search_by_village_topic_and_text(world):
    case, offer = world
    user = case.responsible

    assert selectors.offer_search(user=user, query="koffie") == [offer]
    assert selectors.offer_search(user=user, topic="loneliness") == [offer]
    assert selectors.offer_search(user=user, topic="debts") == []
    assert selectors.offer_search(user=user, village=case.resident.village_id) == [offer]


def test_volunteer_refers_from_a_visit_and_records_how_it_went(client, world):
    case, offer = world
    visit = case_services.home_visit_log(
        actor=case.volunteer, case=case, visited_on=timezone.localdate(), duration_minutes=30
    )
    client.login(username=case.volunteer.username, password=PASSWORD)

    client.post(reverse("socialmap:referral_new", args=[case.pk]), {"offer": offer.pk, "visit": visit.pk})
    referral = Referral.objects.get()
    client.post(reverse("socialmap:referral_outcome", args=[referral.pk]), {"outcome": "went"})

    referral.refresh_from_db()
    assert referral.visit == visit and referral.referred_by == case.volunteer
    assert referral.outcome == "went"
    assert "Koffieochtend" in client.get(reverse("volunteers:my_case", args=[case.pk])).content.decode()


def test_no_referral_on_a_case_you_may_not_touch(client, world):
    case, offer = world
    other = make_volunteer(case.team)
    client.login(username=other.username, password=PASSWORD)

    response = client.post(reverse("socialmap:referral_new", args=[case.pk]), {"offer": offer.pk})

    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_signals_are_recorded_by_volunteers_and_moved_on_by_professionals(world):
    case, offer = world
    signal = services.signal_record(
        actor=case.volunteer, village=case.resident.village, theme="Ontmoetingsplek", description="Geen plek meer"
    )

    with pytest.raises(PermissionDenied):
        services.signal_advance(actor=case.volunteer, signal=signal, expected_version=1)
    services.signal_advance(actor=case.responsible, signal=signal, expected_version=1)
    services.signal_advance(actor=case.responsible, signal=signal, expected_version=2, offers=[offer])

    signal = CollectiveSignal.objects.get(pk=signal.pk)
    assert signal.status == SignalStatus.ACTED_ON
    assert list(signal.offers.all()) == [offer]


def test_social_map_pages_are_404_for_coordinators(client, world):
    case, _offer = world
    client.login(username=make_coordinator(case.team).username, password=PASSWORD)

    assert client.get(reverse("socialmap:offers")).status_code == 404
    assert client.get(reverse("socialmap:signals")).status_code == 404


def test_offer_list_query_count_is_fixed(client, world, django_assert_max_num_queries):
    case, _offer = world
    client.login(username=case.responsible.username, password=PASSWORD)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("socialmap:offers"))
    for n in range(6):
        services.offer_save(actor=case.responsible, villages=[case.resident.village], name=f"Aanbod {n}", kind="club",
                            topics=Topic.objects.filter(code="loneliness"))  # fmt: skip

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("socialmap:offers"))


def test_editing_an_offer_shared_with_another_municipality_keeps_its_villages():
    from socialmap import services as map_services
    from tests.factories import MunicipalityFactory, TeamFactory, VillageFactory, make_professional

    ours = make_professional(TeamFactory())
    our_village = VillageFactory(team=ours.professional_profile.team)
    their_team = TeamFactory(municipality=MunicipalityFactory(name="Lingewaard"))
    their_village = VillageFactory(team=their_team, municipality=their_team.municipality)
    theirs = make_professional(their_team)
    offer = map_services.offer_save(actor=theirs, villages=[their_village], name="Repair cafe", kind="activity")
    offer.villages.add(our_village)  # shared across the border

    map_services.offer_save(
        actor=ours,
        offer=offer,
        expected_version=offer.version,
        villages=[our_village],
        name="Repair café",
        kind="activity",
    )

    assert set(offer.villages.all()) == {our_village, their_village}


def test_two_professionals_moving_a_signal_on_at_once_move_it_one_step(world):
    from base.updates import ConcurrentEditError

    case, _offer = world
    signal = services.signal_record(actor=case.volunteer, village=case.resident.village, theme="t", description="d")
    seen = signal.version

    services.signal_advance(actor=case.responsible, signal=signal, expected_version=seen)
    with pytest.raises(ConcurrentEditError):
        services.signal_advance(actor=case.responsible, signal=signal, expected_version=seen)

    assert CollectiveSignal.objects.get(pk=signal.pk).status == SignalStatus.PASSED_ON
