"""The application log gets no resident data from API requests: a registration, a refused one
(its invalid-params name the fields, the log does not) and a crash log one line each with the
route pattern, the client's user id and the status."""

import json

from cases import services

SECRET = "Zwanenburg-9876"


def test_api_requests_log_no_resident_data(post, payload, app_log, monkeypatch, api_client_token):
    client, _token = api_client_token
    post(payload(lastName=SECRET, requestForHelp=f"Help {SECRET}"))
    post(payload(lastName=SECRET, dateOfBirth="2999-01-01"))

    def crash(**kwargs):
        raise RuntimeError(f"could not register {SECRET}")

    monkeypatch.setattr(services, "intake_register_by_client", crash)
    post(payload(lastName=SECRET))

    text = app_log()
    assert SECRET not in text
    lines = [json.loads(line) for line in text.splitlines()]
    finished = [line for line in lines if line["event"] == "request_finished"]
    assert [line["status"] for line in finished] == [201, 400, 500]
    assert {line["route"] for line in finished} == {"/api/v1/intakes/"}
    assert {line["user_id"] for line in finished} == {client.user_id}
    errors = [line for line in lines if line["event"] == "api_error"]
    assert errors[0]["exception"]["type"] == "builtins.RuntimeError"
