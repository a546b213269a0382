"""The daily reminders (``send_reminders``) also remind of tomorrow's follow-up appointments and
agreements due tomorrow (issue [12]): one mail per person, counted by the rule of their "My
week", with no case content — no resident, no request, no task text — only the numbers and a
link to the home page."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.constants import AgreementKind
from tests.factories import CaseFactory, ResidentFactory

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _visit(case, actor, follow_up_on):
    return services.home_visit_log(
        actor=actor,
        case=case,
        visited_on=timezone.localdate(),
        duration_minutes=30,
        summary="Geheim verslag",
        follow_up_on=follow_up_on,
    )


@pytest.fixture
def case():
    """A case whose volunteer has two appointments tomorrow and one task due tomorrow; the
    responsible professional sees both appointments and the task on their case."""
    case = CaseFactory(
        with_volunteer=True,
        resident=ResidentFactory(first_name="Geertruida", last_name="Geheimhoudt"),
        request_for_help="Schulden en een huurachterstand",
    )
    _visit(case, case.volunteer, _at(TOMORROW, 10))
    _visit(case, case.volunteer, _at(TOMORROW, 15))
    services.agreement_add(
        actor=case.responsible,
        case=case,
        kind=AgreementKind.ADMINISTRATION,
        description="Formulier bijzondere bijstand",
        assignee=case.volunteer,
        due_on=TOMORROW,
    )
    return case


def _mails_to(outbox, user):
    return [mail for mail in outbox if user.email in mail.to]


def test_one_mail_per_person_with_the_numbers_and_a_link_home(mailoutbox, case):
    call_command("send_reminders")

    volunteer_mails = _mails_to(mailoutbox, case.volunteer)
    professional_mails = _mails_to(mailoutbox, case.responsible)
    assert len(volunteer_mails) == 1 and len(professional_mails) == 1
    for mail in (*volunteer_mails, *professional_mails):
        assert mail.to == [mail.to[0]]  # to that person alone
        assert settings.SITE_URL + reverse("home") in mail.body
        assert "2 " in mail.body and "1 " in mail.body  # two appointments, one agreement


def test_the_mail_holds_no_case_content(mailoutbox, case):
    call_command("send_reminders")

    assert mailoutbox
    for mail in mailoutbox:
        text = f"{mail.subject}\n{mail.body}"
        for secret in ("Geertruida", "Geheimhoudt", "Schulden", "Geheim verslag", "bijzondere bijstand", "#"):
            assert secret not in text, (secret, text)
        assert str(case.pk) not in mail.subject


def test_nothing_tomorrow_no_mail(mailoutbox):
    case = CaseFactory(with_volunteer=True)
    _visit(case, case.volunteer, _at(TOMORROW + datetime.timedelta(days=1), 10))  # the day after
    services.agreement_add(
        actor=case.responsible,
        case=case,
        kind=AgreementKind.ADMINISTRATION,
        description="Vandaag al",
        assignee=case.volunteer,
        due_on=timezone.localdate(),
    )

    call_command("send_reminders")

    assert not _mails_to(mailoutbox, case.volunteer)
    assert not _mails_to(mailoutbox, case.responsible)


def test_a_volunteer_who_lost_the_slice_is_not_reminded(mailoutbox, case):
    services.consent_withdraw(actor=case.responsible, case=case)

    call_command("send_reminders")

    assert not _mails_to(mailoutbox, case.volunteer)
    assert len(_mails_to(mailoutbox, case.responsible)) == 1


def test_dry_run_sends_nothing(mailoutbox, case, capsys):
    call_command("send_reminders", "--dry-run")

    assert not mailoutbox
    assert case.volunteer.email in capsys.readouterr().out
