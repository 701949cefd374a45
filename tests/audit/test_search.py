"""The audit search screen: who may see it, filters, htmx partial, break-the-glass panel, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import User
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from tests.audit.factories import record

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("audit:search")
EXPORT_URL = reverse("audit:export")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(client: Client, **params: str) -> str:
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response.content.decode()


def ids_in(page: str) -> set[int]:
    return {entry.pk for entry in AuditEntry.objects.all() if f'<th scope="row" class="number">{entry.pk}</th>' in page}


@pytest.fixture
def sample(social: User, accueil: User) -> dict[str, AuditEntry]:
    return {
        "read": record(actor=social, target_id=12, at=datetime(2026, 1, 10, 9, tzinfo=UTC)),
        "update": record(
            actor=accueil, action=Action.UPDATE, target_id=13, fields=["phone"], at=datetime(2026, 1, 20, 9, tzinfo=UTC)
        ),
        "user": record(actor=accueil, action=Action.PERMISSION_CHANGE, target_type="user", target_id=12),
        "glass": record(actor=social, action=Action.BREAK_GLASS, target_id=14, reason="Signalement urgent du 115"),
    }


@pytest.mark.parametrize("name", ["responsable", "admin"])
def test_responsables_and_administrators_see_the_log(persona: type, name: str) -> None:
    assert logged_in(persona(name)).get(SEARCH_URL).status_code == 200


@pytest.mark.parametrize("name", ["accueil", "social", "direction", "outsider"])
def test_other_roles_are_refused(persona: type, name: str) -> None:
    client = logged_in(persona(name))
    assert client.get(SEARCH_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403


def test_anonymous_goes_to_the_login_page(client: Client) -> None:
    response = client.get(SEARCH_URL)
    assert response.status_code == 302
    assert "/comptes/connexion/" in response["Location"]


def test_table_is_accessible_and_lists_entries_newest_first(responsable: User, sample: dict[str, AuditEntry]) -> None:
    page = page_of(logged_in(responsable))
    assert "<caption" in page
    assert '<th scope="col">Utilisateur</th>' in page
    positions = [page.index(f'<th scope="row" class="number">{e.pk}</th>') for e in sample.values()]
    assert positions == sorted(positions, reverse=True)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"user": "accueil"}, {"update", "user"}),
        ({"action": Action.UPDATE}, {"update"}),
        ({"target_type": "user"}, {"user"}),
        ({"target_type": "household", "target_id": "12"}, {"read"}),
        ({"date_from": "2026-01-15", "date_to": "2026-01-20"}, {"update"}),
        ({"date_to": "2026-01-10"}, {"read"}),
        ({"reason": "SIGNALEMENT"}, {"glass"}),
    ],
)
def test_filters(responsable: User, sample: dict[str, AuditEntry], params: dict[str, str], expected: set[str]) -> None:
    page = page_of(logged_in(responsable), **params)
    assert ids_in(page) & {e.pk for e in sample.values()} == {sample[name].pk for name in expected}


def test_invalid_filters_are_reported_and_the_values_kept(responsable: User, sample: dict[str, AuditEntry]) -> None:
    page = page_of(logged_in(responsable), user="accueil", date_from="2026-02-01", date_to="2026-01-01")
    assert 'role="alert"' in page
    assert "La date de fin doit suivre la date de début." in page
    assert 'value="accueil"' in page
    # The valid filters still apply (user, start date); the inconsistent end date is left out.
    assert ids_in(page) & {e.pk for e in sample.values()} == {sample["user"].pk}


def test_results_are_paginated_by_50(responsable: User) -> None:
    for n in range(55):
        record(target_id=n)
    client = logged_in(responsable)
    first = page_of(client, target_type="household")
    assert "page 1 sur 2" in first
    assert len(ids_in(first)) == 50
    assert 'rel="next"' in first and "target_type=household&amp;page=2" in first
    second = page_of(client, target_type="household", page="2")
    assert len(ids_in(second)) == 5


def test_form_updates_the_results_live_with_htmx(responsable: User, sample: dict[str, AuditEntry]) -> None:
    client = logged_in(responsable)
    page = page_of(client)
    assert 'hx-get="/audit/"' in page
    assert 'hx-trigger="change, keyup changed delay:400ms"' in page
    assert 'hx-target="#resultats"' in page
    assert '<div id="resultats" aria-live="polite">' in page
    assert 'method="get"' in page  # plain submit without JavaScript
    partial = client.get(SEARCH_URL, {"action": Action.UPDATE}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "Accès motivés récents" not in partial
    assert ids_in(partial) & {e.pk for e in sample.values()} == {sample["update"].pk}


def test_reading_the_log_is_audited(responsable: User) -> None:
    page_of(logged_in(responsable), action=Action.LOGIN, user="dupont")
    entry = AuditEntry.objects.filter(action=Action.READ, target_type="audit").get()
    assert entry.actor_id == responsable.pk
    assert entry.fields == ["action=login", "page=1", "user=dupont"]


def test_break_the_glass_is_highlighted_and_listed_with_its_reason(
    responsable: User, sample: dict[str, AuditEntry]
) -> None:
    old = record(action=Action.BREAK_GLASS, reason="Motif ancien", at=timezone.now() - timedelta(days=31))
    page = page_of(logged_in(responsable))
    panel = page[page.index("Accès motivés récents") : page.index("Rechercher dans le journal")]
    assert "Signalement urgent du 115" in panel
    assert "persona-social" in panel
    assert "Motif ancien" not in panel
    assert '<span class="badge badge-confidential">Accès motivé à un dossier confidentiel</span>' in page
    assert old.pk in ids_in(page)


def export_rows(client: Client, **params: str) -> list[list[str]]:
    response = client.get(EXPORT_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="journal-audit-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_export_of_the_filtered_entries_is_audited(responsable: User, sample: dict[str, AuditEntry]) -> None:
    rows = export_rows(logged_in(responsable), user="social")
    assert rows[0][:4] == ["N°", "Date", "Utilisateur", "Action"]
    assert [row[0] for row in rows[1:]] == [str(sample["glass"].pk), str(sample["read"].pk)]
    assert rows[1][3] == "Accès motivé à un dossier confidentiel"
    assert rows[1][7] == "Signalement urgent du 115"
    assert rows[2][1] == "10/01/2026 10:00:00"  # Europe/Paris
    export = AuditEntry.objects.get(action=Action.EXPORT)
    assert (export.actor_id, export.target_type, export.fields) == (responsable.pk, "audit", ["user=social"])


def test_csv_export_neutralises_spreadsheet_formulas(responsable: User) -> None:
    record(action=Action.BREAK_GLASS, reason='=HYPERLINK("http://exemple.invalid")')
    rows = export_rows(logged_in(responsable), action=Action.BREAK_GLASS)
    assert rows[1][7] == '\'=HYPERLINK("http://exemple.invalid")'
