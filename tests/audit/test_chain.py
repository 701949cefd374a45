"""The hash chain: append-only entries, ``verify_chain`` on a sound and on a tampered log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from guichet.accounts.models import User
from guichet.audit.chain import GENESIS_HASH, entry_content, entry_digest, verify_chain
from guichet.audit.enums import Action
from guichet.audit.models import AppendOnlyError, AuditChainHead, AuditEntry
from tests.audit.factories import record
from tests.audit.tampering import raw_sql

pytestmark = pytest.mark.django_db


def three_entries() -> list[AuditEntry]:
    return [record(target_id=n, reason=f"motif {n}") for n in (1, 2, 3)]


def test_each_entry_points_to_the_previous_one() -> None:
    first, second, third = three_entries()
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert AuditChainHead.objects.get().last_hash == third.entry_hash


def test_sound_chain_verifies() -> None:
    three_entries()
    report = verify_chain()
    assert report.ok
    assert report.checked == 3


def test_empty_log_verifies() -> None:
    report = verify_chain()
    assert report.ok
    assert report.checked == 0


def test_hashed_content_round_trips_through_the_database(social: User) -> None:
    """Awkward values (IPv6, accents, JSON, microseconds, over-long text) hash the same once read back."""
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0DB8:0000::0001")
    entry = record(
        actor=social,
        action=Action.UPDATE,
        target_id="x" * 100,
        fields=["téléphone", "adresse", "nom\x00"],
        reason="Motif « accentué »\r\nsur deux lignes",
        request=request,
        at=datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=UTC),
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert entry_digest(previous_hash=stored.previous_hash, content=entry_content(stored)) == stored.entry_hash
    assert stored.fields == ["adresse", "nom", "téléphone"]
    assert len(stored.target_id) == 64
    assert verify_chain().ok


def test_an_unparsable_client_address_is_left_out() -> None:
    entry = record(request=RequestFactory().get("/", REMOTE_ADDR="proxy-mal-configure"))
    assert entry.ip_address is None
    assert verify_chain().ok


def test_entries_cannot_be_changed_or_deleted_through_the_orm() -> None:
    entry = record()
    entry.reason = "réécrit"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="réécrit")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().reason == ""


def test_deleting_a_user_keeps_their_entries_and_the_chain(social: User) -> None:
    record(actor=social)
    social.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor_username == "persona-social"
    assert verify_chain().ok


def test_altered_content_is_reported_at_the_altered_entry() -> None:
    _, second, _ = three_entries()
    raw_sql("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["falsifié", second.pk])
    report = verify_chain()
    assert report.broken is not None
    assert report.broken.entry_id == second.pk
    assert report.broken.problem.startswith("contenu modifié")
    assert report.checked == 1


def test_altered_date_is_reported() -> None:
    first, _, _ = three_entries()
    raw_sql("UPDATE audit_auditentry SET created_at = %s WHERE id = %s", [datetime(2020, 1, 1, tzinfo=UTC), first.pk])
    report = verify_chain()
    assert report.broken is not None
    assert report.broken.entry_id == first.pk
    assert report.broken.problem.startswith("contenu modifié")


def test_deleted_middle_entry_is_reported_as_missing() -> None:
    first, second, third = three_entries()
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [second.pk])
    report = verify_chain()
    assert report.broken is not None
    assert report.broken.entry_id == third.pk
    assert report.broken.problem.startswith("entrée manquante")
    assert f"n° {first.pk} et le n° {third.pk}" in report.broken.problem


def test_deleted_first_entry_is_reported_as_missing() -> None:
    first, second, _ = three_entries()
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [first.pk])
    report = verify_chain()
    assert report.broken is not None
    assert report.broken.entry_id == second.pk
    assert "début de la chaîne" in report.broken.problem


def test_deleted_last_entry_is_reported_as_missing() -> None:
    _, _, third = three_entries()
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [third.pk])
    report = verify_chain()
    assert report.broken is not None
    assert report.broken.entry_id is None
    assert "dernières entrées" in report.broken.problem
    assert report.checked == 2


def test_rewritten_link_is_reported_as_a_broken_link() -> None:
    first, second, _ = three_entries()
    raw_sql("UPDATE audit_auditentry SET previous_hash = %s WHERE id = %s", ["f" * 64, second.pk])
    report = verify_chain()
    assert report.broken is not None
    assert report.broken.entry_id == second.pk
    assert report.broken.problem.startswith("lien rompu")


def test_reordered_entries_are_reported_as_a_broken_link() -> None:
    """Swapping two entries' places in the chain keeps each hash valid but breaks the order of the links."""
    first, second, third = three_entries()
    swap = "UPDATE audit_auditentry SET chain_position = %s WHERE id = %s"
    raw_sql(swap, [10**9, second.pk])
    raw_sql(swap, [second.chain_position, third.pk])
    raw_sql(swap, [third.chain_position, second.pk])
    report = verify_chain()
    assert report.broken is not None
    assert report.broken.entry_id == third.pk
    assert report.broken.problem.startswith("lien rompu")
    assert f"n° {first.pk}" in report.broken.problem
    assert report.checked == 1


def test_forged_entry_with_a_recomputed_hash_still_breaks_the_next_link() -> None:
    """Someone who recomputes the altered entry's own hash still leaves the next entry pointing at the old one."""
    _, second, third = three_entries()
    second.reason = "falsifié"
    forged = entry_digest(previous_hash=second.previous_hash, content=entry_content(second))
    raw_sql("UPDATE audit_auditentry SET reason = %s, entry_hash = %s WHERE id = %s", ["falsifié", forged, second.pk])
    report = verify_chain()
    assert report.broken is not None
    assert report.broken.entry_id == third.pk
    assert report.broken.problem.startswith("lien rompu")


def test_progress_is_reported_while_streaming() -> None:
    three_entries()
    calls: list[tuple[int, int]] = []
    verify_chain(progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (3, 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_update_and_delete() -> None:
    entry = record()
    for sql in ("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", "DELETE FROM audit_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get().reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_trigger_lets_only_the_purge_setting_delete() -> None:
    entry = record()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL guichet.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert not AuditEntry.objects.exists()
    record()
    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL guichet.audit_purge = 'on'")
        cursor.execute("UPDATE audit_auditentry SET reason = 'x'")
