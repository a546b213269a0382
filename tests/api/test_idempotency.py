"""Idempotency by a client-supplied key (``base.submissions``, per API client): a repeat with
the same key and the same values answers exactly like the first and records nothing; the same
key with other values is a 422 problem. Without the header, Open Formulieren's public reference
is the key (it sends no header, but retries a registration that failed)."""

import datetime
import uuid

from auditlog.models import LogEntry
from django.utils import timezone

from base.models import Submission
from base.submissions import purge_submissions
from cases.models import Case, Resident


def test_a_repeat_with_the_same_key_answers_like_the_first_and_records_nothing(post, payload):
    body, key = payload(), str(uuid.uuid4())
    first = post(body, key=key)
    entries = LogEntry.objects.count()

    repeat = post(body, key=key)

    assert first.status_code == repeat.status_code == 201
    assert repeat.json() == first.json()
    assert repeat["Location"] == first["Location"]
    assert repeat["API-Version"] == "1.0.0"
    assert Case.objects.count() == 1 and Resident.objects.count() == 1
    assert LogEntry.objects.count() == entries


def test_the_same_key_with_other_values_is_a_422_problem(post, payload):
    key = str(uuid.uuid4())
    post(payload(), key=key)

    response = post(payload(firstName="Anna"), key=key)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:wijkteam:problem:idempotency-key-reused"
    assert Case.objects.count() == 1


def test_other_metadata_and_schemas_do_not_make_another_request(post, payload):
    """Open Formulieren's registration timestamp is new on a retry."""
    body, key = payload(), str(uuid.uuid4())
    post(body, key=key)
    body["metadata"]["registration_timestamp"] = "2026-12-07T10:05:00+01:00"
    body["values_schema"] = {}

    assert post(body, key=key).status_code == 201
    assert Case.objects.count() == 1


def test_without_a_header_the_forms_public_reference_is_the_key(post, payload):
    body = payload()
    first = post(body)

    repeat = post(body)
    changed = payload(firstName="Anna")
    changed["metadata"]["public_reference"] = body["metadata"]["public_reference"]
    reused = post(changed)

    assert repeat.status_code == 201 and repeat.json() == first.json()
    assert reused.status_code == 422
    assert Case.objects.count() == 1


def test_without_key_or_reference_every_send_records(post, payload):
    body = payload()
    del body["metadata"]

    post(body)
    post(body)

    assert Case.objects.count() == 2


def test_keys_are_per_client(post, payload, api_client_token, administrator):
    from accounts.api_clients import api_client_create
    from accounts.models import ApiClient

    other = ApiClient(name="Tweede formulier", municipality=api_client_token[0].municipality)
    other_token = api_client_create(actor=administrator, client=other)
    body, key = payload(), str(uuid.uuid4())

    post(body, key=key)
    post(body, key=key, token=other_token)

    assert Case.objects.count() == 2


def test_a_refused_send_does_not_use_up_its_key(post, payload):
    key = str(uuid.uuid4())
    refused = post(payload(village="Atlantis"), key=key)

    accepted = post(payload(), key=key)

    assert refused.status_code == 400
    assert accepted.status_code == 201
    assert Submission.objects.filter(key=key).count() == 1


def test_the_key_is_kept_with_its_answer_and_purged_after_two_days(post, payload, api_client_token):
    client, _token = api_client_token
    key = str(uuid.uuid4())
    response = post(payload(), key=key)
    kept = Submission.objects.get(key=key)

    assert (kept.user_id, kept.answer_status, kept.answer_url) == (client.user_id, 201, response["Location"])
    assert kept.answer_body == response.json()
    assert len(kept.fingerprint) == 64
    assert purge_submissions(timezone.now() + datetime.timedelta(days=2, minutes=1)) == 1
