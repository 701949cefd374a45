import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.pricing.models import MunicipalService, TariffGrid
from guichet.pricing.services import tariff_grid_create
from guichet.rules.tariffs import GridError, grid_from_dict
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db
URL = reverse("pricing:grid_create", args=["restauration-scolaire"])


def _start(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "type": "tranches",
        "base": "quotient",
        "tranche_0_min": "0",
        "tranche_0_prix": "1,00",
        "tranche_1_min": "700",
        "tranche_1_prix": "3,10",
        "tranche_2_min": "1200",
        "tranche_2_prix": "3,20",
        "fratrie_rang": "3",
        "fratrie_pourcentage": "50",
        "debut": _start().isoformat(),
        "deliberation": "EXEMPLE-2027-001",
        "deliberation_date": timezone.localdate().isoformat(),
        "arrondi": "0.01",
        "arrondi_mode": "half_up",
    }
    data.update(overrides)
    return data


@pytest.fixture
def manager_client() -> Client:
    client = Client()
    client.force_login(make_persona("responsable"))
    return client


def test_form_starts_from_the_latest_grid(manager_client: Client) -> None:
    html = manager_client.get(URL).content.decode()
    assert 'name="tranche_1_min" value="600"' in html
    assert 'name="tranche_3_prix" value="3.15"' in html


def test_new_version_closes_the_one_in_force_and_is_audited(manager_client: Client) -> None:
    service = MunicipalService.objects.get(slug="restauration-scolaire")
    current = service.grids.get(valid_to__isnull=True)
    response = manager_client.post(URL, _form())
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.valid_to == _start() - dt.timedelta(days=1)
    assert grid_from_dict(current.data).valid_to == current.valid_to
    new = service.grids.get(valid_from=_start())
    grid = grid_from_dict(new.data)
    assert [b.price for b in grid.rule.brackets] == [Decimal("1.00"), Decimal("3.10"), Decimal("3.20")]  # type: ignore[union-attr]
    assert grid.rule.brackets[1].upper == Decimal(1200)  # type: ignore[union-attr]
    assert new.created_by is not None and new.deliberation == "EXEMPLE-2027-001"
    actions = set(AuditEntry.objects.filter(target_type="tariff_grid").values_list("action", "target_id"))
    assert actions == {("update", str(current.pk)), ("create", str(new.pk))}


def test_errors_go_to_their_fields_and_nothing_is_lost(manager_client: Client) -> None:
    before = TariffGrid.objects.count()
    response = manager_client.post(URL, _form(tranche_2_min="abc", fratrie_pourcentage="150"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "nombre attendu" in form.errors["tranche_2_min"][0]
    assert "0 à 100" in form.errors["fratrie_pourcentage"][0]
    html = response.content.decode()
    assert 'value="abc"' in html and 'value="EXEMPLE-2027-001"' in html and 'role="alert"' in html
    assert TariffGrid.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"debut": "2020-01-01"}, "debut", "dans le passé"),
        ({"debut": "2026-13-45"}, "debut", "AAAA-MM-JJ"),
        ({"type": "taux_effort", "taux": "", "plancher": "5", "plafond": "2"}, "taux", "obligatoire"),
        ({"type": "forfait", "prix": "-1"}, "prix", "positif"),
        ({"tranche_0_min": "10"}, "tranche_0_min", "commencer à 0"),
        ({"tranche_1_prix": "0,80"}, "tranche_1_prix", "le prix baisse"),
        ({"tranche_1_min": "", "tranche_1_prix": "2"}, "tranche_1_min", "obligatoire"),
        ({"fratrie_rang": "", "fratrie_pourcentage": "20"}, "fratrie_rang", "rang entier"),
    ],
)
def test_validation_cases(manager_client: Client, overrides: dict[str, str], field: str, message: str) -> None:
    response = manager_client.post(URL, _form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])


def test_effort_rate_floor_above_ceiling(manager_client: Client) -> None:
    response = manager_client.post(URL, _form(type="taux_effort", taux="0.36", plancher="5", plafond="2"))
    assert "plafond" in " ".join(response.context["form"].errors["plancher"])


def test_a_version_must_start_after_the_latest() -> None:
    user = make_persona("responsable")
    service = MunicipalService.objects.get(slug="teleassistance")
    data = {"regle": {"type": "forfait", "prix": "13"}, "debut": _start(60).isoformat()}
    tariff_grid_create(user=user, service=service, data=data)
    with pytest.raises(GridError) as error:
        tariff_grid_create(user=user, service=service, data={**data, "debut": _start(10).isoformat()})
    assert error.value.path == "debut"
    assert service.grids.count() == 2


@pytest.mark.parametrize("persona", ["social", "direction", "accueil"])
def test_only_managers_create_grids(persona: str) -> None:
    service = MunicipalService.objects.get(slug="teleassistance")
    user = make_persona(persona)
    with pytest.raises(PermissionDenied):
        tariff_grid_create(user=user, service=service, data={})
    client = Client()
    client.force_login(user)
    assert client.post(URL, _form()).status_code == 403
