"""Work queues (mine, to assign, today, overdue, all), filters, pagination, CSV/XLSX exports (rights, audit)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.desk.enums import RequestStatus, Theme
from tests.desk.factories import RequestFactory
from tests.factories import AddressFactory, HouseholdFactory, QuartierFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [row.request.pk for row in response.context["rows"]]


def test_queues(client, accueil, social) -> None:
    mine = RequestFactory(assigned_to=accueil)
    today = RequestFactory(due_today=True, assigned_to=social)
    late = RequestFactory(overdue=True, assigned_to=social)
    unassigned_new = RequestFactory(status=RequestStatus.NEW, assigned_to=None)
    closed_late = RequestFactory(overdue=True, closed=True, assigned_to=accueil)
    client.force_login(accueil)
    url = reverse("desk:queue")
    assert _ids(client.get(url)) == [mine.pk]
    assert _ids(client.get(url, {"file": "aujourdhui"})) == [today.pk]
    assert _ids(client.get(url, {"file": "en_retard"})) == [late.pk]
    assert _ids(client.get(url, {"file": "a_attribuer"})) == [unassigned_new.pk]
    assert set(_ids(client.get(url, {"file": "toutes"}))) == {
        mine.pk,
        today.pk,
        late.pk,
        unassigned_new.pk,
        closed_late.pk,
    }
    counts = {key: count for key, _, count in client.get(url).context["queues"]}
    assert counts == {"miennes": 1, "a_attribuer": 1, "aujourdhui": 1, "en_retard": 1, "toutes": 5}


def test_filters_by_theme_quartier_status_and_agent(client, social) -> None:
    centre = QuartierFactory(slug="centre", name="Centre")
    in_centre = RequestFactory(
        household=HouseholdFactory(address=AddressFactory(quartier=centre)), theme=Theme.HEALTH, assigned_to=social
    )
    RequestFactory(theme=Theme.HEALTH)
    RequestFactory(status=RequestStatus.WAITING, assigned_to=social)
    client.force_login(social)
    url = reverse("desk:queue")
    assert _ids(client.get(url, {"file": "toutes", "quartier": "centre"})) == [in_centre.pk]
    assert len(_ids(client.get(url, {"file": "toutes", "theme": Theme.HEALTH}))) == 2
    assert len(_ids(client.get(url, {"file": "toutes", "status": RequestStatus.WAITING}))) == 1
    assert len(_ids(client.get(url, {"file": "toutes", "agent": social.pk}))) == 2


def test_pagination_and_htmx_partial(client, accueil) -> None:
    RequestFactory.create_batch(30)
    client.force_login(accueil)
    response = client.get(reverse("desk:queue"), {"file": "toutes", "page": 2}, HTTP_HX_REQUEST="true")
    assert len(_ids(response)) == 5
    assert "<html" not in response.content.decode()


def test_confidential_summary_is_masked_in_queue(client, accueil) -> None:
    RequestFactory(household=HouseholdFactory(confidential=True), summary="Secret médical", assigned_to=accueil)
    client.force_login(accueil)
    html = client.get(reverse("desk:queue")).content.decode()
    assert "Secret médical" not in html and "Dossier confidentiel" in html


def test_export_hidden_and_refused_for_accueil(client, accueil) -> None:
    client.force_login(accueil)
    assert "Exporter" not in client.get(reverse("desk:queue")).content.decode()
    assert client.get(reverse("desk:export_csv")).status_code == 403
    assert client.get(reverse("desk:export_xlsx")).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_csv_export_for_social_is_audited(client, social) -> None:
    RequestFactory(summary="Colis pour trois", theme=Theme.FOOD_AID)
    RequestFactory(household=HouseholdFactory(confidential=True), summary="Caché")
    client.force_login(social)
    response = client.get(reverse("desk:export_csv"), {"file": "toutes", "theme": Theme.FOOD_AID})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("N°;Ménage;Quartier;Thème")
    assert len(lines) == 3 and "Colis pour trois" in text and "Caché" not in text
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.actor_id == social.pk and entry.target_type == "request" and "2 demande(s)" in entry.reason


def test_xlsx_export_for_responsable(client, responsable) -> None:
    RequestFactory(summary="Aide énergie")
    client.force_login(responsable)
    response = client.get(reverse("desk:export_xlsx"), {"file": "toutes"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "N°" and rows[1][6] == "Aide énergie"
    assert AuditEntry.objects.filter(action=Action.EXPORT, actor_id=responsable.pk).count() == 1


def test_exports_never_hold_a_formula(client, social) -> None:
    RequestFactory(summary='=HYPERLINK("http://exemple.invalid","clic")')
    client.force_login(social)
    csv_text = client.get(reverse("desk:export_csv"), {"file": "toutes"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert rows[1][6].startswith("'=HYPERLINK")
    sheet = load_workbook(io.BytesIO(client.get(reverse("desk:export_xlsx"), {"file": "toutes"}).content)).active
    cell = sheet.cell(row=2, column=7)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_household_requests_and_confidential_detail(client, accueil, responsable) -> None:
    household = HouseholdFactory()
    own = RequestFactory(household=household)
    RequestFactory()
    client.force_login(accueil)
    assert _ids(client.get(reverse("desk:queue"), {"file": "toutes", "menage": household.pk})) == [own.pk]
    secret = RequestFactory(household=HouseholdFactory(confidential=True))
    response = client.get(reverse("desk:detail", args=[secret.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("households:break_glass", args=[secret.household_id])
    client.force_login(responsable)
    assert client.get(reverse("desk:detail", args=[secret.pk])).status_code == 200


def test_queue_queries_do_not_grow_with_rows(client, accueil) -> None:
    RequestFactory.create_batch(3, household=HouseholdFactory(confidential=True), assigned_to=accueil)
    client.force_login(accueil)
    client.get(reverse("desk:queue"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("desk:queue"))
    RequestFactory.create_batch(20, assigned_to=accueil)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("desk:queue"))
    assert len(response.context["rows"]) == 23
    assert len(many) == len(few)
