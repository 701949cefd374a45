import pytest
from django.test import Client

from guichet.audit.models import AuditEntry
from guichet.rights.models import RightsAssessment
from tests.factories import HouseholdFactory
from tests.rights.factories import single_parent_file

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _run(client: Client, household_id: int, body: str = '{"mois": "2026-11"}'):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/menages/{household_id}/bilans", data=body, content_type="application/json")


@pytest.mark.parametrize("name", ["social", "responsable"])
def test_run_then_read_an_assessment(persona, fake_assess, name) -> None:  # type: ignore[no-untyped-def]
    user = persona(name)
    client = _client(user)
    row = single_parent_file()
    response = _run(client, row.pk)
    assert response.status_code == 201
    data = response.json()
    assessment = RightsAssessment.objects.get()
    assert (data["id"], data["menage_id"], data["mois"]) == (assessment.pk, row.pk, "2026-11")
    assert data["openfisca_france"] == "0.0.test"
    benefits = {b["cle"]: b for b in data["aides"]}
    assert benefits["rsa"]["statut"] == "a_demander" and benefits["rsa"]["montant"] == "412.30"
    assert benefits["aide_logement"]["percu"] == "250.00" and benefits["aide_logement"]["ecart_mensuel"] == "1.00"
    assert data["que_faire"] == ["rsa"] and data["non_percu_mensuel"] == "412.30"
    again = client.get(f"/api/v1/bilans/{assessment.pk}")
    assert again.status_code == 200 and again.json() == data
    actions = set(
        AuditEntry.objects.filter(target_type="rights_assessment", channel="api").values_list("action", flat=True)
    )
    assert actions == {"create", "read"}


@pytest.mark.parametrize("name", ["accueil", "direction", "admin", "outsider"])
def test_others_are_refused_whatever_the_body(persona, fake_assess, name) -> None:  # type: ignore[no-untyped-def]
    client = _client(persona(name))
    assert _run(client, single_parent_file().pk, "pas du json").status_code == 403
    assert client.get("/api/v1/bilans/1").status_code == 403


def test_errors_are_french_problems(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    client = _client(social)
    row = single_parent_file()
    assert (
        _run(client, row.pk, '{"mois": "11/2026"}').json()["title"]
        == "mois : format AAAA-MM attendu (reçu « 11/2026 »)."
    )
    assert _run(client, row.pk, "{").status_code == 400
    incomplete = _run(client, HouseholdFactory().pk)
    assert incomplete.status_code == 422 and "exactement un demandeur" in incomplete.json()["title"]
    assert _run(client, 999999).status_code == 404
    assert client.get("/api/v1/bilans/999999").status_code == 404
    confidential = _run(client, single_parent_file(is_confidential=True).pk)
    assert confidential.status_code == 403 and "motif" in confidential.json()["detail"]
    assert fake_assess == []
