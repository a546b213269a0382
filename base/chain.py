"""Tamper evidence for the audit and access log: every entry sealed into one keyed hash chain.

Each entry (django-auditlog's ``LogEntry``: changes and reads alike) is sealed once, in the
order it is sealed: seal *n* holds the hash of the entry's content and

    link(n) = HMAC(key, link(n-1) | n | entry id | content hash(n))

so changing, removing or inserting an entry, or a seal, breaks every link after it.
:func:`verify` walks the chain and names the first broken link (``verify_audit_chain``, daily).

* **The key** (``settings.AUDIT_CHAIN_KEY``) is kept outside the database, so whoever can
  write the tables cannot recompute the links after changing something. Each verification
  also keeps the head it saw (``AuditChainCheck``); a chain cut short afterwards is caught.
* **Sealing** (``settings.AUDIT_CHAIN_SEALING``): ``"commit"`` seals right after the
  transaction that wrote entries commits (the default; the writer that finds the chain busy
  leaves its entries to the next one), ``"batch"`` leaves it to ``seal_audit_chain`` on a timer.
  One row (:class:`AuditChainHead`) is the chain's lock and its end. ``make bench`` measures
  both; ``docs/security.md`` has the figures.
* **Append-only**: on PostgreSQL a trigger refuses ``UPDATE`` and ``DELETE`` on the entries and
  the seals (migration ``base.0003``). The one exception is erasure (art. 17), which must drop
  personal data from old entries: :func:`redact` lifts the trigger for its own transaction and
  writes a redaction entry with the before and after hash of every entry it changed, so the
  chain still verifies and shows what was redacted, when and by whom.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditChainHead, AuditSeal

GENESIS = "0" * 64
CONTENT_FIELDS = (
    "id",
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "serialized_data",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "actor_email",
    "cid",
    "remote_addr",
    "remote_port",
    "timestamp",
    "additional_data",
)
REDACTION = "redaction"  # object_pk of a redaction entry
# Entries older than this that are still unsealed are no longer waited for: an entry is
# written and committed within one request, which never takes this long.
SEALING_LAG = datetime.timedelta(minutes=10)
CHUNK = 2000
SETTLE_EVERY = 64  # seals between two raises of the floor by the page writers


# --- hashing ---------------------------------------------------------------------------------


def _key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


def _canonical(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    raise TypeError(f"not canonical: {type(value).__name__}")


def content_hash(values: dict) -> str:
    """The hash of one entry's content: every field, in a canonical JSON form."""
    content = {name: values[name] for name in CONTENT_FIELDS}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_canonical)
    return hashlib.sha256(text.encode()).hexdigest()


def link(previous: str, seq: int, entry_id: int, digest: str) -> str:
    return hmac.new(_key(), f"{previous}|{seq}|{entry_id}|{digest}".encode(), hashlib.sha256).hexdigest()


# --- sealing ---------------------------------------------------------------------------------


def _locked_head(*, wait: bool) -> AuditChainHead | None:
    """The chain's end, locked for this transaction; None when another writer holds it and
    ``wait`` is False."""
    head = AuditChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
    if head is not None:
        return head
    if not wait and AuditChainHead.objects.filter(pk=1).exists():
        return None
    with contextlib.suppress(IntegrityError), transaction.atomic():
        AuditChainHead.objects.create(pk=1)
    return AuditChainHead.objects.select_for_update().get(pk=1)


def seal_pending(*, wait: bool = True, limit: int | None = None) -> int:
    """Seal every entry not yet in the chain, oldest first; returns how many were sealed."""
    sealed = 0
    with transaction.atomic(savepoint=False):  # inside a writer's transaction: no savepoint round trips
        head = _locked_head(wait=wait)
        if head is None:
            return 0
        unsealed = (
            LogEntry.objects.filter(pk__gt=head.entry_floor)
            .exclude(pk__in=AuditSeal.objects.filter(entry_id__gt=head.entry_floor).values("entry_id"))
            .order_by("pk")
        )
        if limit is not None:
            unsealed = unsealed[:limit]
        rows = unsealed.values(*CONTENT_FIELDS)
        if limit is None:  # the job: any number, in chunks from a server-side cursor
            rows = rows.iterator(chunk_size=CHUNK)
        # else a page's few entries: one plain query (a cursor costs DECLARE, FETCH and CLOSE)
        seals: list[Seal] = []
        seq_before = head.seq
        now = timezone.now()
        for values in rows:
            seals.append(advance(head, values, now))
            if len(seals) >= CHUNK:
                _insert(seals)
                sealed += len(seals)
                seals = []
        sealed += len(seals)
        # The floor keeps the search for unsealed entries short; raised now and then, not on
        # every page's sealing.
        settle = wait or head.seq // SETTLE_EVERY != seq_before // SETTLE_EVERY
        floor = _settled_floor(head.entry_floor) if settle else head.entry_floor
        if sealed or floor != head.entry_floor:
            head.entry_floor = floor
            _insert(seals, head=head)
    return sealed


# A seal as it is written: (seq, entry_id, content_hash, chain_hash, sealed_at). Plain tuples,
# not model instances: the job seals millions after a bulk load (``seed_scale``).
Seal = tuple[int, int, str, str, datetime.datetime]


def advance(head: AuditChainHead, values: dict, at: datetime.datetime) -> Seal:
    """Move the chain's end past one entry (its values as ``CONTENT_FIELDS``); returns its seal."""
    digest = content_hash(values)
    head.seq += 1
    head.chain_hash = link(head.chain_hash, head.seq, values["id"], digest)
    return (head.seq, values["id"], digest, head.chain_hash, at)


def _insert(seals: list[Seal], *, head: AuditChainHead | None = None) -> None:
    """Write seals and, with ``head``, move the chain's end: one statement on PostgreSQL (the
    insert in a ``WITH`` of the head's update), two elsewhere."""
    if connection.vendor != "postgresql":
        AuditSeal.objects.bulk_create(
            AuditSeal(seq=seq, entry_id=entry_id, content_hash=digest, chain_hash=chained, sealed_at=at)
            for seq, entry_id, digest, chained, at in seals
        )
        if head is not None:
            head.save(update_fields=["seq", "chain_hash", "entry_floor"])
        return
    columns = [list(column) for column in zip(*seals, strict=True)] if seals else [[], [], [], [], []]
    insert = f"""
        INSERT INTO {AuditSeal._meta.db_table} (seq, entry_id, content_hash, chain_hash, sealed_at)
        SELECT * FROM UNNEST(%s::bigint[], %s::bigint[], %s::varchar[], %s::varchar[], %s::timestamptz[])
    """  # noqa: S608 - the table name from the model, values as parameters
    with connection.cursor() as cursor:
        if head is None:
            cursor.execute(insert, columns)
            return
        cursor.execute(
            f"""
            WITH sealed AS ({insert})
            UPDATE {AuditChainHead._meta.db_table} SET seq = %s, chain_hash = %s, entry_floor = %s WHERE id = %s
            """,  # noqa: S608 - table names from the models, values as parameters
            [*columns, head.seq, head.chain_hash, head.entry_floor, head.pk],
        )


def _settled_floor(floor: int) -> int:
    """Raise the floor below which every entry is sealed, up to the entries older than the lag
    (newer ones may still be committing)."""
    settled = timezone.now() - SEALING_LAG
    newest = (
        LogEntry.objects.filter(pk__gt=floor, timestamp__lt=settled)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if newest is None:
        return floor
    first_unsealed = (
        LogEntry.objects.filter(pk__gt=floor, pk__lte=newest)
        .exclude(pk__in=AuditSeal.objects.filter(entry_id__gt=floor, entry_id__lte=newest).values("entry_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return newest if first_unsealed is None else first_unsealed - 1


PAGE_LIMIT = 500  # a page seals at most this many; a backlog is the job's (``seal_audit_chain``)


def _seal_after_commit() -> None:
    connection.wijkteam_seal_scheduled = False
    seal_pending(wait=False, limit=PAGE_LIMIT)


def schedule_sealing(**kwargs) -> None:
    """``post_save`` of a log entry: seal it once the transaction commits (one sealing per
    transaction, however many entries it wrote)."""
    if not kwargs.get("created") or settings.AUDIT_CHAIN_SEALING != "commit":
        return
    if getattr(connection, "wijkteam_seal_scheduled", False) and connection.in_atomic_block:
        return
    connection.wijkteam_seal_scheduled = True
    transaction.on_commit(_seal_after_commit)


@contextlib.contextmanager
def sealed_before_commit() -> Iterator[None]:
    """Inside an ``atomic`` block: when it is the outermost one, seal the entries written in it
    at its end, in the same transaction: one commit (one flush to disk) instead of the writer's
    commit and then the sealing's. Nested in a larger transaction, or with batch sealing, the
    entries are sealed as usual (after the outermost commit, or by the job)."""
    if settings.AUDIT_CHAIN_SEALING != "commit" or len(connection.atomic_blocks) != 1:
        yield
        return
    connection.wijkteam_seal_scheduled = True  # no sealing after commit: this transaction seals
    try:
        yield
        seal_pending(wait=False, limit=PAGE_LIMIT)
    finally:
        connection.wijkteam_seal_scheduled = False


# --- redaction (erasure) ---------------------------------------------------------------------


@contextlib.contextmanager
def _redaction_allowed() -> Iterator[None]:
    """Lift the append-only trigger for this transaction only (PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('wijkteam.audit_redaction', 'on', true)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('wijkteam.audit_redaction', 'off', true)")


def redact(entries: QuerySet[LogEntry], change: Callable[[dict], dict]) -> int:
    """Change the values of ``entries`` (``change(values) -> fields to set``) and record a
    redaction entry with each changed entry's hash before and after, so the chain verifies.
    Returns how many entries changed."""
    changed: dict[str, list[str]] = {}
    with transaction.atomic(), _redaction_allowed():
        for values in entries.values(*CONTENT_FIELDS).iterator(chunk_size=CHUNK):
            fields = change(values)
            before, after = content_hash(values), content_hash({**values, **fields})
            if not fields or before == after:
                continue
            LogEntry.objects.filter(pk=values["id"]).update(**fields)
            changed[str(values["id"])] = [before, after]
        if changed:
            context = auditlog_value.get(None) or {}
            actor = context.get("actor")
            LogEntry.objects.create(
                content_type=ContentType.objects.get_for_model(LogEntry),
                object_pk=REDACTION,
                object_repr="Erasure of personal data",
                action=LogEntry.Action.UPDATE,
                actor=actor if getattr(actor, "pk", None) else None,
                actor_email=getattr(actor, "email", None),
                remote_addr=context.get("remote_addr"),
                timestamp=timezone.now(),
                additional_data={"redacted": changed},
            )
    return len(changed)


# --- verification ----------------------------------------------------------------------------


@dataclass
class Verification:
    """What one walk of the chain found."""

    ok: bool = True
    checked: int = 0
    redacted: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    broken_seq: int | None = None
    broken_entry_id: int | None = None
    problem: str = ""
    unsealed: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def fail(self, problem: str, *, seq: int | None = None, entry_id: int | None = None) -> None:
        if self.ok:
            self.ok, self.problem, self.broken_seq, self.broken_entry_id = False, problem, seq, entry_id
        self.problems.append(problem)


def _redactions() -> dict[int, dict[str, str]]:
    """{entry id: {hash before: hash after}} from every redaction entry."""
    found: dict[int, dict[str, str]] = {}
    log_type = ContentType.objects.get_for_model(LogEntry)
    for data in LogEntry.objects.filter(content_type=log_type, object_pk=REDACTION).values_list(
        "additional_data", flat=True
    ):
        for entry_id, (before, after) in ((data or {}).get("redacted") or {}).items():
            found.setdefault(int(entry_id), {})[before] = after
    return found


def _redacted_to(steps: dict[str, str], sealed: str, actual: str) -> bool:
    current, seen = sealed, set()
    while current in steps and current not in seen:
        seen.add(current)
        current = steps[current]
        if current == actual:
            return True
    return False


def verify(*, anchor: tuple[int, str] | None = None) -> Verification:
    """Walk the whole chain: every seal in order, its link, its entry's content (or an erasure
    recorded for it), no seal missing, the head where it should be, no old entry left unsealed,
    and — when ``anchor`` (seq, link) of an earlier check is given — that link unchanged."""
    started = time.monotonic()
    result = Verification()
    # The head first: every seal up to it is committed, so writers sealing meanwhile do not
    # look like a chain cut short.
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(pk=1)
    redactions = _redactions()
    previous, expected_seq = GENESIS, 1
    seals = (
        AuditSeal.objects.filter(seq__lte=head.seq)
        .order_by("seq")
        .values_list("seq", "entry_id", "content_hash", "chain_hash")
    )
    batch: list[tuple] = []
    for row in seals.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            previous, expected_seq = _verify_batch(batch, previous, expected_seq, redactions, result)
            batch = []
    previous, expected_seq = _verify_batch(batch, previous, expected_seq, redactions, result)
    result.head_seq, result.head_hash = expected_seq - 1, previous
    if (head.seq, head.chain_hash) != (result.head_seq, result.head_hash):
        result.fail(
            f"The chain ends at seal {result.head_seq}, but its head says {head.seq}: seals were removed.",
            seq=result.head_seq + 1,
        )
    if anchor is not None and anchor[0] > 0:
        seq, chain_hash = anchor
        kept = AuditSeal.objects.filter(seq=seq).values_list("chain_hash", flat=True).first()
        if kept != chain_hash:
            result.fail(f"Seal {seq}, checked before, is gone or changed.", seq=seq)
    result.unsealed = (
        LogEntry.objects.filter(pk__lte=head.entry_floor).exclude(pk__in=AuditSeal.objects.values("entry_id")).count()
    )
    if result.unsealed:
        result.fail(f"{result.unsealed} entries below the sealed floor are not in the chain: inserted afterwards.")
    result.seconds = time.monotonic() - started
    return result


def _verify_batch(batch, previous: str, expected_seq: int, redactions, result: Verification) -> tuple[str, int]:
    if not batch:
        return previous, expected_seq
    entries = {
        values["id"]: values
        for values in LogEntry.objects.filter(pk__in=[row[1] for row in batch]).values(*CONTENT_FIELDS)
    }
    for seq, entry_id, sealed_hash, chain_hash in batch:
        if seq != expected_seq:
            result.fail(f"Seal {expected_seq} is missing: seals were removed.", seq=expected_seq)
            expected_seq = seq
        if link(previous, seq, entry_id, sealed_hash) != chain_hash:
            result.fail(f"Seal {seq} does not follow from the one before: the chain was altered.", seq=seq)
        values = entries.get(entry_id)
        if values is None:
            result.fail(f"Entry {entry_id} (seal {seq}) was deleted.", seq=seq, entry_id=entry_id)
        else:
            actual = content_hash(values)
            if actual != sealed_hash:
                if _redacted_to(redactions.get(entry_id, {}), sealed_hash, actual):
                    result.redacted += 1
                else:
                    result.fail(f"Entry {entry_id} (seal {seq}) was changed.", seq=seq, entry_id=entry_id)
        result.checked += 1
        previous, expected_seq = chain_hash, seq + 1
    return previous, expected_seq
