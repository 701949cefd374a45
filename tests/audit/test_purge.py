"""Retention purge (service, Celery task, command line) and ``guichet audit verify`` exit codes."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from guichet.audit.chain import GENESIS_HASH, verify_chain
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.audit.services import audit_purge
from guichet.audit.tasks import audit_purge_task
from tests.audit.factories import record
from tests.audit.tampering import raw_sql

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> timezone.datetime:
    return timezone.now() - timedelta(days=days)


def old_and_recent(old: int = 4, recent: int = 3) -> tuple[list[AuditEntry], list[AuditEntry]]:
    olds = [record(at=days_ago(400 - n), target_id=n) for n in range(old)]
    recents = [record(at=days_ago(10 - n), target_id=100 + n) for n in range(recent)]
    return olds, recents


def run_command(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_purge_removes_old_entries_and_logs_itself() -> None:
    _, recents = old_and_recent()
    result = audit_purge(older_than_days=365)
    assert result.removed == 4
    assert result.anchor == recents[0].previous_hash
    kept = list(AuditEntry.objects.order_by("id"))
    assert kept[:3] == recents
    purge = kept[-1]
    assert purge.action == Action.PURGE
    assert purge.target_type == "audit"
    assert purge.target_id == recents[0].previous_hash
    assert "entrees_supprimees=4" in purge.fields
    assert "4 entrée(s)" in purge.reason


def test_verify_stays_green_after_a_purge() -> None:
    old_and_recent()
    audit_purge(older_than_days=365)
    report = verify_chain()
    assert report.ok
    assert report.checked == 4


def test_verify_still_detects_tampering_after_a_purge() -> None:
    _, recents = old_and_recent()
    audit_purge(older_than_days=365)
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [recents[0].pk])
    report = verify_chain()
    assert report.broken is not None
    assert report.broken.entry_id == recents[1].pk
    assert "début de la chaîne" in report.broken.problem


def test_altering_the_recorded_anchor_is_detected() -> None:
    old_and_recent()
    audit_purge(older_than_days=365)
    raw_sql("UPDATE audit_auditentry SET target_id = %s WHERE action = 'purge'", [GENESIS_HASH])
    assert not verify_chain().ok


def test_purge_uses_the_retention_setting_by_default() -> None:
    record(at=days_ago(40))
    record(at=days_ago(20))
    with override_settings(GUICHET_AUDIT_RETENTION_DAYS=30):
        assert audit_purge().removed == 1


def test_purge_of_every_entry_leaves_a_verifiable_chain() -> None:
    olds, _ = old_and_recent(recent=0)
    result = audit_purge(older_than_days=365)
    assert result.removed == len(olds)
    assert result.anchor == olds[-1].entry_hash
    assert AuditEntry.objects.get().action == Action.PURGE
    assert verify_chain().ok


def test_successive_purges_keep_the_chain_verifiable() -> None:
    old_and_recent()
    audit_purge(older_than_days=365)
    audit_purge(older_than_days=5)
    assert AuditEntry.objects.filter(action=Action.PURGE).count() == 2
    assert verify_chain().ok


def test_purge_works_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("guichet.audit.services.PURGE_CHUNK_SIZE", 2)
    old_and_recent(old=5)
    assert audit_purge(older_than_days=365).removed == 5
    assert verify_chain().ok


def test_task_is_idempotent() -> None:
    old_and_recent()
    assert audit_purge_task.delay(365).get() == 4
    count = AuditEntry.objects.count()
    assert audit_purge_task.delay(365).get() == 0
    assert AuditEntry.objects.count() == count
    assert verify_chain().ok


def test_purge_refuses_a_non_positive_period() -> None:
    with pytest.raises(ValueError, match="au moins un jour"):
        audit_purge(older_than_days=0)


def test_verify_command_says_ok_and_exits_zero() -> None:
    old_and_recent()
    code, out, _ = run_command("verify")
    assert code == 0
    assert "Chaîne intègre : 7 entrée(s) vérifiée(s), OK." in out


def test_verify_command_reports_the_first_broken_link_and_exits_one() -> None:
    _, recents = old_and_recent()
    raw_sql("UPDATE audit_auditentry SET reason = 'falsifié' WHERE id = %s", [recents[1].pk])
    code, out, err = run_command("verify")
    assert code == 1
    assert out == ""
    local = timezone.localtime(recents[1].created_at)
    assert f"Chaîne rompue à l'entrée n° {recents[1].pk} du {local:%d/%m/%Y à %H:%M:%S} : contenu modifié" in err
    assert "5 entrée(s) intègre(s) avant ce maillon." in err


def test_purge_command_with_days() -> None:
    old_and_recent()
    code, out, _ = run_command("purge", "--days", "365")
    assert code == 0
    assert "4 entrée(s) antérieure(s)" in out
    assert AuditEntry.objects.get(action=Action.PURGE).channel == "cli"
    code, out, _ = run_command("purge", "--days", "365")
    assert "rien à purger" in out
    assert run_command("verify")[0] == 0


@pytest.mark.parametrize("days", ["0", "-3", "douze"])
def test_purge_command_refuses_a_bad_number_of_days(days: str) -> None:
    with pytest.raises(CommandError, match="nombre de jours invalide"):
        call_command("audit", "purge", "--days", days)


def test_command_requires_a_subcommand() -> None:
    with pytest.raises(CommandError):
        call_command("audit")


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_verify_shows_progress_only_on_a_terminal() -> None:
    old_and_recent()
    terminal, out = Terminal(), StringIO()
    call_command("audit", "verify", stdout=out, stderr=terminal)
    assert "\r7 / 7 entrées vérifiées" in terminal.getvalue()
    _, _, err = run_command("verify")
    assert err == ""
