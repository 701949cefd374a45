"""The « paramètres des tarifs » page: the dated parameters the pricing uses, as loaded (shipped
values with the commune's corrections of GUICHET_PARAMETERS_DIR), read-only, for managers."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from guichet.pricing.selectors import parameter_value_text, parameters_overview
from guichet.rules.parameters import packaged_parameters, use_parameters_dir
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db

CORRECTION = """[psu_floor]
source = "CNAF — plancher corrigé par la commune"
values = [{ from = 2020-01-01, value = "812.50" }]
"""


def _client(persona: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona))
    return client


def _page(persona: str = "responsable") -> str:
    response = _client(persona).get(reverse("pricing:parameters"))
    assert response.status_code == 200
    text = html_lib.unescape(response.content.decode())
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture
def corrections(tmp_path: Path) -> Iterator[Path]:
    """A commune's override directory, in use and configured, as at start-up."""
    (tmp_path / "psu.toml").write_text(CORRECTION, encoding="utf-8")
    use_parameters_dir(tmp_path)
    with override_settings(GUICHET_PARAMETERS_DIR=str(tmp_path)):
        yield tmp_path
    use_parameters_dir(None)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("responsable", 200), ("admin", 200), ("social", 403), ("accueil", 403), ("direction", 403), ("outsider", 403)],
)
def test_access(persona: str, status: int) -> None:
    assert _client(persona).get(reverse("pricing:parameters")).status_code == status


def test_lists_every_parameter_with_its_value_dates_and_source() -> None:
    text = _page()
    today = timezone.localdate()
    for label in (
        "Quotient familial CAF : parts et règles de calcul",
        "Barème national des crèches (CNAF, PSU)",
        "Cantine à 1 € : conditions de l'aide de l'État",
    ):
        assert f">{label}</h2>" in text
    for name in ("parts_couple", "parts_third_child", "psu_rates_collective", "psu_floor", "low_price_quotient_max"):
        assert f"<code>{name}</code>" in text
    overview = parameters_overview(today)
    for file in overview.files:
        for row in file.rows:
            assert row.source in text
            for period in row.periods:
                assert re.sub(r"\s+", " ", period.value.replace("\u00a0", " ").replace("\u202f", " ")) in text
    assert "du 01/09/2025 : 8 500" in text  # PSU ceiling, with its date
    assert "1 : 0,0619 ; 2 : 0,0516 ; 3 : 0,0413" in text  # PSU rates by number of children
    assert "du 01/01/2000 : attestation_caf, api_particulier, attestation_msa" in text
    assert "À vérifier" in text
    assert "Aucune correction : ce sont les paramètres livrés avec Guichet." in text
    assert "GUICHET_PARAMETERS_DIR" in text


STALE_CORRECTION = """[psu_floor]
source = "CNAF — plancher valable jusqu'au 31/12/2021"
values = [{ from = 2020-01-01, to = 2021-12-31, value = "812.50" }]
"""


def _floor_row(text: str) -> str:
    """The table row of ``psu_floor`` on the page."""
    return text.split("<code>psu_floor</code>", 1)[1].split("</tr>", 1)[0]


def test_a_stale_value_is_flagged_in_its_row(tmp_path: Path) -> None:
    (tmp_path / "psu.toml").write_text(STALE_CORRECTION, encoding="utf-8")
    use_parameters_dir(tmp_path)
    try:
        with override_settings(GUICHET_PARAMETERS_DIR=str(tmp_path)):
            stale_row = _floor_row(_page())
    finally:
        use_parameters_dir(None)
    assert "Périmé" in stale_row and "31/12/2021" in stale_row  # the badge and its warning, in that row


def test_a_current_value_is_not_flagged(corrections: Path) -> None:
    assert "Périmé" not in _floor_row(_page())  # the correction has no end date


def test_values_are_written_in_french() -> None:
    assert [
        parameter_value_text(value)
        for value in (
            packaged_parameters("cantine_1_euro")["renewals_until"].at(dt.date(2026, 1, 1)),
            packaged_parameters("quotient_caf")["family_benefit_yearly_kinds"].at(dt.date(2026, 1, 1)),
            packaged_parameters("quotient_caf")["parts_per_child_first_two"].at(dt.date(2026, 1, 1)),
            True,
        )
    ] == ["31/12/2027", "(aucun)", "0,5", "oui"]


def test_commune_corrections_are_shown(corrections: Path) -> None:
    text = _page("admin")
    assert f"Les fichiers du dossier <code>{corrections}</code>" in text
    assert f"corrigé par <code>{corrections / 'psu.toml'}</code>" in text
    row = text[text.index("<code>psu_floor</code>") :]
    assert row.index("Corrigé par la commune") < row.index("</tr>")
    assert "812,5" in row[: row.index("</tr>")] and "CNAF — plancher corrigé par la commune" in row
    ceiling = text[text.index("<code>psu_ceiling</code>") :]
    assert "Corrigé par la commune" not in ceiling[: ceiling.index("</tr>")]


def test_files_broken_since_start_up_are_reported_with_file_and_line(corrections: Path) -> None:
    (corrections / "psu.toml").write_text(CORRECTION + "\n[psu_plafond]\nvalues = []\n", encoding="utf-8")
    text = _page()
    assert "Les fichiers de corrections ne sont plus valables" in text
    assert f"{corrections / 'psu.toml'}, ligne 5 : paramètre inconnu « psu_plafond »" in text
    assert "812,5" in text  # the values read at start-up stay in use


def test_catalogue_links_to_the_page_for_managers_only() -> None:
    url = reverse("pricing:parameters")
    assert url in _client("responsable").get(reverse("pricing:catalogue")).content.decode()
    assert url not in _client("direction").get(reverse("pricing:catalogue")).content.decode()
