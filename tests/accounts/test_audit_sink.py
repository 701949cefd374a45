"""The accounts services write through the audit app's recorder, registered at startup."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from guichet.accounts import audit_sink
from guichet.audit.enums import Action


@pytest.mark.parametrize(
    ("value", "action"),
    [
        (audit_sink.ACTION_CREATE, Action.CREATE),
        (audit_sink.ACTION_UPDATE, Action.UPDATE),
        (audit_sink.ACTION_PERMISSION_CHANGE, Action.PERMISSION_CHANGE),
    ],
)
def test_accounts_actions_are_audit_actions(value: str, action: Action) -> None:
    assert Action(value) == action


def test_an_audited_write_is_refused_without_a_recorder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_sink, "_sink", [])
    with pytest.raises(ImproperlyConfigured):
        audit_sink.audit(actor=None, action=audit_sink.ACTION_CREATE, target_type="user", target_id=1)
