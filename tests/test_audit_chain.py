"""The audit chain (base.chain): every audit and access entry sealed into one keyed hash chain;
a change, removal or insertion outside the app is found and named by its first broken link; on
PostgreSQL the tables are append-only; erasure keeps the chain valid; parallel writers too."""

import contextlib
import re
import threading
import uuid
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory, override_settings
from django.utils import timezone

from base.audit import acting_as, log_access
from base.chain import content_hash, seal_pending, verify
from base.models import AuditChainCheck, AuditChainHead, AuditSeal
from base.submissions import record_once
from cases.constants import Outcome
from cases.models import Case
from cases.services import case_close
from privacy import services as privacy_services
from tests.factories import CaseFactory, add_journal, make_privacy_officer

POSTGRES = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger is PostgreSQL's")


def _entries_on_a_case(reads: int = 3) -> Case:
    case = CaseFactory(active=True)
    add_journal(case, text="Gesprek over de schulden", shared=False)
    for _ in range(reads):
        log_access(actor=case.responsible, instance=case, view="case_file")
    return case


@pytest.fixture
def sealed_case(db):
    case = _entries_on_a_case()
    seal_pending()
    return case


def _tamper(sql: str, params=()) -> None:
    """Change the tables as someone with database access would: past the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE auditlog_logentry DISABLE TRIGGER auditlog_logentry_append_only")
            cursor.execute("ALTER TABLE base_auditseal DISABLE TRIGGER base_auditseal_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE auditlog_logentry ENABLE TRIGGER auditlog_logentry_append_only")
            cursor.execute("ALTER TABLE base_auditseal ENABLE TRIGGER base_auditseal_append_only")


def test_every_entry_is_sealed_once_in_order_and_the_chain_verifies(sealed_case):
    entries = LogEntry.objects.count()

    assert AuditSeal.objects.count() == entries > 4
    assert list(AuditSeal.objects.order_by("seq").values_list("entry_id", flat=True)) == sorted(
        LogEntry.objects.values_list("pk", flat=True)
    )
    assert seal_pending() == 0
    found = verify()
    assert found.ok, found.problems
    assert found.checked == entries
    head = AuditChainHead.objects.get()
    assert (head.seq, head.chain_hash) == (found.head_seq, found.head_hash)


def test_a_changed_entry_is_found_with_its_seal(sealed_case):
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")[1]
    seal = AuditSeal.objects.get(entry_id=entry.pk)

    _tamper("UPDATE auditlog_logentry SET actor_id = NULL WHERE id = %s", [entry.pk])

    found = verify()
    assert not found.ok
    assert (found.broken_seq, found.broken_entry_id) == (seal.seq, entry.pk)
    assert "was changed" in found.problem


def test_a_deleted_entry_is_found(sealed_case):
    entry = LogEntry.objects.order_by("pk")[2]

    _tamper("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])

    found = verify()
    assert not found.ok and found.broken_entry_id == entry.pk and "deleted" in found.problem


def test_an_entry_deleted_with_its_seal_is_found(sealed_case):
    seal = AuditSeal.objects.order_by("seq")[2]

    _tamper("DELETE FROM auditlog_logentry WHERE id = %s", [seal.entry_id])
    _tamper("DELETE FROM base_auditseal WHERE seq = %s", [seal.seq])

    found = verify()
    assert not found.ok and found.broken_seq == seal.seq and "missing" in found.problem


def test_a_seal_recomputed_without_the_key_is_found(sealed_case):
    """Whoever changes an entry and its content hash cannot make the link: it needs the key."""
    entry = LogEntry.objects.order_by("pk")[1]
    _tamper("UPDATE auditlog_logentry SET object_repr = 'iets anders' WHERE id = %s", [entry.pk])
    values = LogEntry.objects.filter(pk=entry.pk).values(*__import__("base.chain").chain.CONTENT_FIELDS).get()
    _tamper("UPDATE base_auditseal SET content_hash = %s WHERE entry_id = %s", [content_hash(values), entry.pk])

    found = verify()
    assert not found.ok and "does not follow" in found.problem


def test_the_tail_cut_off_is_found_by_the_head_and_by_the_last_check(sealed_case):
    call_command("verify_audit_chain")
    last = AuditSeal.objects.order_by("-seq").first()
    _tamper("DELETE FROM auditlog_logentry WHERE id = %s", [last.entry_id])
    _tamper("DELETE FROM base_auditseal WHERE seq = %s", [last.seq])

    assert "seals were removed" in verify().problem

    previous = AuditSeal.objects.get(seq=last.seq - 1)
    AuditChainHead.objects.update(seq=previous.seq, chain_hash=previous.chain_hash)
    found = verify(anchor=(last.seq, last.chain_hash))
    assert not found.ok and "checked before" in found.problem


def test_an_entry_slipped_in_below_the_sealed_floor_is_found(sealed_case):
    AuditChainHead.objects.update(entry_floor=LogEntry.objects.order_by("-pk").values_list("pk", flat=True)[0] + 5)
    forged = LogEntry.objects.create(
        content_type=LogEntry.objects.first().content_type,
        object_pk="1",
        object_repr="vals",
        action=LogEntry.Action.ACCESS,
        timestamp=timezone.now(),
    )
    AuditChainHead.objects.update(entry_floor=forged.pk)

    found = verify()
    assert not found.ok and found.unsealed == 1


@POSTGRES
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE auditlog_logentry SET object_repr = 'x'",
        "DELETE FROM auditlog_logentry",
        "UPDATE base_auditseal SET chain_hash = 'x'",
        "DELETE FROM base_auditseal",
    ],
)
def test_postgresql_refuses_to_change_or_delete_entries_and_seals(sealed_case, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_erasure_keeps_the_chain_valid_and_records_the_redaction(sealed_case):
    officer = make_privacy_officer(sealed_case.team.municipality)
    closed = case_close(actor=sealed_case.responsible, case=sealed_case, outcome=Outcome.RESOLVED)
    Case.objects.filter(pk=closed.pk).update(retention_until=timezone.localdate().replace(year=2000))
    seal_pending()

    with acting_as(officer):
        privacy_services.resident_erase(actor=officer, resident=closed.resident, note="verzoek")
    seal_pending()

    found = verify()
    assert found.ok, found.problems
    assert found.redacted > 0
    redactions = LogEntry.objects.filter(object_pk="redaction")
    assert {entry.actor for entry in redactions} == {officer}
    assert sum(len(entry.additional_data["redacted"]) for entry in redactions) == found.redacted
    assert "Gesprek over de schulden" not in str(list(LogEntry.objects.values_list("changes", flat=True)))


def test_the_daily_check_records_its_result_and_mails_the_privacy_officers_when_broken(
    sealed_case, capsys, django_capture_on_commit_callbacks
):
    officer = make_privacy_officer(email="privacy@example.org")
    call_command("verify_audit_chain")
    assert "intact" in capsys.readouterr().out
    assert AuditChainCheck.objects.get().ok

    entry = LogEntry.objects.order_by("pk")[1]
    _tamper("UPDATE auditlog_logentry SET object_repr = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(CommandError, match="broken"), django_capture_on_commit_callbacks(execute=True):
        call_command("verify_audit_chain")

    check = AuditChainCheck.objects.order_by("-pk").first()
    assert not check.ok and check.broken_entry_id == entry.pk
    assert [message.to for message in mail.outbox] == [[officer.email]]
    assert sealed_case.resident.last_name not in mail.outbox[0].body


@pytest.mark.both_databases
@pytest.mark.parametrize("in_a_larger_transaction", [True, False])
def test_pages_seal_their_entries_and_parallel_writers_keep_the_chain_valid(reference_data, in_a_larger_transaction):
    """Entries written inside a larger transaction are sealed after its commit; a page's own
    access entry is sealed in its one transaction. Either way, with writers in parallel."""
    case = _entries_on_a_case(reads=0)
    assert AuditSeal.objects.count() == LogEntry.objects.count()  # sealed as each commit happened
    errors = []
    writers, reads_each = 6, 15

    def write():
        try:
            for _ in range(reads_each):
                with transaction.atomic() if in_a_larger_transaction else contextlib.nullcontext():
                    log_access(actor=case.responsible, instance=case, view="case_file")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seal_pending()  # what a busy chain left to the next writer

    assert not errors
    found = verify()
    assert found.ok, found.problems
    assert found.checked == LogEntry.objects.count() >= writers * reads_each


@contextlib.contextmanager
def _recording():
    """The tables inserted into, each server-side cursor opened and each commit, in order."""
    written: list[str] = []

    def record(execute, sql, params, many, context):
        inserted = re.search(r'INSERT INTO "?(\w+)', sql, re.IGNORECASE)  # also in a WITH
        if inserted:
            written.append(inserted.group(1))
        elif sql.lstrip().upper().startswith("DECLARE"):
            written.append("DECLARE")
        return execute(sql, params, many, context)

    commit = connection.commit

    def record_commit():
        written.append("COMMIT")
        commit()

    with mock.patch.object(connection, "commit", record_commit), connection.execute_wrapper(record):
        yield written


@pytest.mark.both_databases
def test_a_pages_access_entry_is_written_and_sealed_in_one_transaction(reference_data):
    """A page that only reads writes its access entry and seals it in one transaction: one
    commit (one flush to disk) instead of the entry's and then the sealing's."""
    case = _entries_on_a_case(reads=0)

    with _recording() as writes:
        entry = log_access(actor=case.responsible, instance=case, view="case_file")

    assert writes == ["auditlog_logentry", "base_auditseal", "COMMIT"]  # and no cursor: one plain query
    assert AuditSeal.objects.filter(entry_id=entry.pk).exists()
    assert verify().ok


def test_batch_sealing_leaves_pages_alone_until_the_job_runs(reference_data):
    with override_settings(AUDIT_CHAIN_SEALING="batch"):
        _entries_on_a_case()
        assert AuditSeal.objects.count() == 0
        call_command("seal_audit_chain")
    assert AuditSeal.objects.count() == LogEntry.objects.count()
    assert verify().ok


def test_a_request_leaves_no_actor_behind_for_code_that_runs_after_it(client):
    """auditlog's middleware left the request's user in the thread's context: a change made
    later in that thread, outside any request, was written in that user's name."""
    from auditlog.context import auditlog_value

    from tests.factories import PASSWORD, make_privacy_officer

    officer = make_privacy_officer()
    client.login(username=officer.username, password=PASSWORD)
    client.get("/")

    assert not (auditlog_value.get(None) or {}).get("actor")


@pytest.mark.both_databases
def test_a_form_sent_once_writes_and_seals_its_entries_in_one_transaction(reference_data):
    """``record_once`` (every form with a submission key) seals the entries of its service
    before its one commit."""
    case = _entries_on_a_case(reads=0)
    request = RequestFactory().post("/")
    request.user = case.responsible

    def journal() -> str:
        add_journal(case, text="Nog een gesprek", shared=False)
        return "/"

    with _recording() as writes:
        record_once(request, uuid.uuid4(), journal)

    assert writes[-2:] == ["base_auditseal", "COMMIT"]  # sealed inside, before the one commit
    assert writes.count("COMMIT") == 1
    assert AuditSeal.objects.count() == LogEntry.objects.count()
    assert verify().ok
