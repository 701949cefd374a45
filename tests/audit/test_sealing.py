"""Entries are written without touching the chain head and sealed into the chain after the commit."""

from __future__ import annotations

import time

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from guichet.audit import services
from guichet.audit.chain import GENESIS_HASH, entry_content, entry_digest, verify_chain
from guichet.audit.enums import Action
from guichet.audit.models import AuditChainHead, AuditEntry
from guichet.audit.services import audit_record, audit_seal, pending_count
from tests.audit.factories import record


def write(n: int) -> list[AuditEntry]:
    return [audit_record(actor=None, action=Action.READ, target_type="household", target_id=i) for i in range(n)]


@pytest.mark.django_db
def test_an_entry_is_written_unsealed_without_touching_the_head() -> None:
    record()  # a sealed entry first: the head has moved
    head_before = AuditChainHead.objects.get().last_hash
    entry = write(1)[0]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.previous_hash, stored.entry_hash, stored.chain_position) == (None, None, None)
    assert AuditChainHead.objects.get().last_hash == head_before
    assert pending_count() == 1
    report = verify_chain()
    assert report.ok
    assert (report.checked, report.pending) == (1, 1)


@pytest.mark.django_db
def test_sealing_chains_pending_entries_in_id_order_then_does_nothing() -> None:
    entries = write(5)
    assert audit_seal(batch_size=2) == 5  # three transactions of at most two entries
    stored = list(AuditEntry.objects.order_by("id"))
    assert [e.pk for e in stored] == [e.pk for e in entries]
    assert [e.chain_position for e in stored] == [1, 2, 3, 4, 5]
    previous = GENESIS_HASH
    for entry in stored:
        assert entry.previous_hash == previous
        assert entry.entry_hash == entry_digest(previous_hash=previous, content=entry_content(entry))
        previous = entry.entry_hash
    head = AuditChainHead.objects.get()
    assert (head.last_hash, head.last_position) == (previous, 5)
    assert audit_seal() == 0
    assert pending_count() == 0
    assert verify_chain().checked == 5


@pytest.mark.django_db
def test_entries_are_sealed_when_the_transaction_commits(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first, second = write(2)
        assert pending_count() == 2  # inside the transaction: written, not sealed
    assert pending_count() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.previous_hash == first.entry_hash
    assert verify_chain().checked == 2


@pytest.mark.django_db
def test_a_rolled_back_entry_leaves_no_trace_in_the_chain(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            write(1)
            raise RuntimeError("annulé")
        kept = write(1)[0]
    kept.refresh_from_db()
    assert kept.chain_position == 1
    assert verify_chain().checked == 1


@pytest.mark.django_db(transaction=True)
def test_the_sealer_thread_seals_after_the_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """With background threads on (a running platform), the request only INSERTs; the process's
    sealer thread seals moments later, then drops its database connection once idle."""
    monkeypatch.setattr(services, "SEALER_IDLE_SECONDS", 0.2)
    monkeypatch.setattr(services, "_sealer", None)
    with override_settings(GUICHET_BACKGROUND_THREADS=True):
        entry = write(1)[0]  # autocommit: committed at once, the thread is woken
        sealer = services._sealer
        assert sealer is not None
        deadline = time.monotonic() + 10
        while AuditEntry.objects.filter(pk=entry.pk, entry_hash__isnull=True).exists():
            assert time.monotonic() < deadline, "not sealed within 10 s"
            time.sleep(0.02)
        assert sealer.idle.wait(timeout=10)  # its connection closed before the test database goes
    assert verify_chain().checked == 1


pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


def _execute(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pg_only
@pytest.mark.django_db
def test_postgresql_trigger_lets_through_sealing_only() -> None:
    entry = write(1)[0]
    with pytest.raises(DatabaseError, match="ajout seul"):  # content changed while sealing
        _execute(
            "UPDATE audit_auditentry SET previous_hash = %s, entry_hash = %s, chain_position = 1, reason = 'x' "
            "WHERE id = %s",
            ["0" * 64, "1" * 64, entry.pk],
        )
    with pytest.raises(DatabaseError, match="ajout seul"):  # an unsealed entry is not editable either
        _execute("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [entry.pk])
    assert audit_seal() == 1
    with pytest.raises(DatabaseError, match="ajout seul"):  # sealed once: never resealed
        _execute("UPDATE audit_auditentry SET entry_hash = %s WHERE id = %s", ["2" * 64, entry.pk])
    assert verify_chain().ok
