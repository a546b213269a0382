"""Every form rejects malformed, oversized and hostile input with a clear message (a 4xx or
the form again), never a 500 — fed generated input by Hypothesis."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD, CaseFactory, ResidentFactory, make_coordinator

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.integers(min_value=5_000, max_value=50_000).map(lambda n: "x<>&'\"%;" * (n // 8)),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "'; DROP TABLE cases_case; --",
            "\x00",
            "9" * 40,
            "-1",
            "2026-13-45",
            "../../etc/passwd",
            "{{ 7*7 }}",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def _field_values(fields: list[str]):
    return st.fixed_dictionaries(dict.fromkeys(fields, HOSTILE))


def _world():
    case = CaseFactory(with_volunteer=True, resident=ResidentFactory())
    coordinator = make_coordinator(case.team)
    return case, coordinator


# (url name, args builder, role, form field names)
FORMS = [
    ("cases:intake", lambda c: [], "professional", [
        "intake_channel", "domains", "urgency", "request_for_help", "volunteer_summary", "consent_answer",
        "submission_key", "resident", "resident-first_name", "resident-last_name", "resident-date_of_birth",
        "resident-postcode", "resident-village",
    ]),
    ("cases:edit", lambda c: [c.pk], "professional", [
        "version", "intake_channel", "domains", "urgency", "request_for_help", "volunteer_summary",
    ]),
    ("cases:resident_edit", lambda c: [c.pk], "professional", [
        "seen_updated_at", "first_name", "last_name", "date_of_birth", "postcode", "village", "email",
    ]),
    ("cases:journal_add", lambda c: [c.pk], "professional", ["text", "visibility"]),
    ("cases:agreement_add", lambda c: [c.pk], "professional", ["kind", "description", "assignee", "due_on"]),
    ("cases:consent_record", lambda c: [c.pk], "professional", ["answer", "note"]),
    ("cases:close", lambda c: [c.pk], "professional", ["outcome", "closing_note"]),
    ("cases:transfer", lambda c: [c.pk], "professional", ["team", "responsible"]),
    ("volunteers:visit_new", lambda c: [c.pk], "volunteer", [
        "visited_on", "start_time", "duration_minutes", "company", "activities", "summary", "follow_up_on",
        "submission_key",
    ]),
    ("volunteers:alarm", lambda c: [], "volunteer", ["casus", "note"]),
    ("coordination:absence_new", lambda c: [], "coordinator", ["person", "start_date", "end_date", "reason"]),
    ("coordination:shift_assign", lambda c: [], "coordinator", ["slot", "date", "person", "next"]),
]  # fmt: skip


@pytest.mark.parametrize("name, args, role, fields", FORMS, ids=[f[0] for f in FORMS])
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_form_never_answers_500(name, args, role, fields, data, django_db_blocker):
    with django_db_blocker.unblock():
        case, coordinator = _world()
        user = {"professional": case.responsible, "volunteer": case.volunteer, "coordinator": coordinator}[role]
        client = Client(raise_request_exception=False)
        client.login(username=user.username, password=PASSWORD)
        payload = data.draw(_field_values(fields))

        response = client.post(reverse(name, args=args(case)), payload)

        assert response.status_code < 500, (name, payload)


@given(
    params=st.dictionaries(
        st.sampled_from(
            ["q", "status", "domain", "topic", "village", "responsible", "urgency", "quiet_weeks", "sort", "after"]
        ),
        HOSTILE,
        max_size=6,
    )
)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
def test_case_list_parameters_never_answer_500(params, django_db_blocker):
    with django_db_blocker.unblock():
        case, _coordinator = _world()
        client = Client(raise_request_exception=False)
        client.login(username=case.responsible.username, password=PASSWORD)

        response = client.get(reverse("cases:list"), params)

        assert response.status_code < 500, params
