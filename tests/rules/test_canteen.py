"""The "cantine à 1 €" check, with its reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from guichet.rules.canteen import check_canteen_grid
from guichet.rules.tariffs import grid_from_dict
from tests.rules.conftest import plain

SPRING_2025 = dt.date(2025, 3, 1)


def canteen(*tranches: tuple[Any, Any, Any], **extra: Any) -> dict[str, Any]:
    return {
        "service": "Restauration scolaire",
        "unite": "repas",
        "debut": "2024-09-01",
        "deliberation": "2024-052",
        "regle": {"type": "tranches", "tranches": [{"min": a, "max": b, "prix": p} for a, b, p in tranches]},
        **extra,
    }


# a commune whose quotients are whole euros: "0–622", "623–1,000", "1,001–1,500", "1,501 and more"
GOOD = canteen((0, 623, "1.00"), (623, 1001, "3.30"), (1001, 1501, "3.40"), (1501, None, "3.50"))


def check(data: dict[str, Any], **kwargs: Any) -> Any:
    options = {"population": 4200, "on": SPRING_2025, "dsr_perequation": True, **kwargs}
    return check_canteen_grid(grid_from_dict(data), **options)


def test_conforming_grid_in_a_small_commune_before_the_deadline() -> None:
    result = check(GOOD)
    assert (result.grid_conforms, result.commune_eligible, result.window_open, result.can_apply) == (True,) * 4
    assert plain(result.reasons) == "\n".join(
        [
            "4 tranches de prix différents, au moins 3 exigées : conforme.",
            "Tranche à 1,00 € (QF de 0 € à moins de 623 €), réservée aux QF d'au plus 1 000 € : conforme.",
            "3 tranche(s) au-dessus de 1,00 €, au moins une exigée : conforme.",
            "Grille progressive : conforme.",
            "Fixée par la délibération 2024-052 : conforme.",
            "La commune (4 200 habitants), éligible à la DSR péréquation : éligible.",
            "Nouvelles demandes possibles jusqu'au 25/07/2025.",
            "Aide de l'État : 3,00 € par repas facturé 1 € au plus.",
        ]
    )
    assert result.state_aid_per_meal == D("3.00")


def test_saint_etienne_du_rouvray_is_not_eligible_even_with_a_good_grid() -> None:
    result = check(GOOD, population=28_500, commune="Saint-Étienne-du-Rouvray", dsr_perequation=None)
    assert result.grid_conforms and not result.commune_eligible and not result.can_apply
    assert (
        "Saint-Étienne-du-Rouvray (28 500 habitants) n'est pas éligible : l'aide est réservée aux communes "
        "de moins de 10 000 habitants éligibles à la DSR péréquation" in plain(result.reasons)
    )


@pytest.mark.parametrize(
    ("population", "dsr", "eligible", "says"),
    [
        (9_999, True, True, "éligible à la DSR péréquation : éligible"),
        (9_999, None, True, "(à vérifier)"),
        (9_999, False, False, "ne perçoit pas la fraction péréquation"),
        (10_000, True, False, "moins de 10 000 habitants"),
    ],
)
def test_commune_eligibility(population: int, dsr: bool | None, eligible: bool, says: str) -> None:
    result = check(GOOD, population=population, dsr_perequation=dsr)
    assert result.commune_eligible is eligible
    assert says in plain(result.reasons)


@pytest.mark.parametrize(
    ("on", "renewal", "open_", "says"),
    [
        (dt.date(2025, 7, 25), False, True, "Nouvelles demandes possibles jusqu'au 25/07/2025"),
        (dt.date(2025, 7, 26), False, False, "Nouvelles demandes closes depuis le 26/07/2025"),
        (dt.date(2026, 1, 5), True, True, "Renouvellement de la convention possible jusqu'au 31/12/2027"),
        (dt.date(2027, 12, 31), True, True, "jusqu'au 31/12/2027"),
        (dt.date(2028, 1, 1), True, False, "Renouvellements clos depuis le 01/01/2028"),
    ],
)
def test_application_windows(on: dt.date, renewal: bool, open_: bool, says: str) -> None:
    result = check(GOOD, on=on, already_beneficiary=renewal)
    assert result.window_open is open_ and result.can_apply is open_
    assert says in plain(result.reasons)


@pytest.mark.parametrize(
    ("data", "step", "conforms", "says"),
    [
        # "0 to less than 1,001 €" stops at 1,000 € only when quotients are whole euros
        (canteen((0, 1001, "1.00"), (1001, 1500, "2.50"), (1500, None, "3.50")), D(1), True, "réservée aux QF"),
        (canteen((0, 1001, "1.00"), (1001, 1500, "2.50"), (1500, None, "3.50")), D("0.01"), False, "réservé aux QF"),
        (canteen((0, 1000, "1.00"), (1000, 1500, "2.50"), (1500, None, "3.50")), D("0.01"), True, "réservée aux QF"),
        # the 1 € price reaches families above 1,000 €
        (
            canteen((0, 1200, "0.90"), (1200, 1500, "2.50"), (1500, None, "3.50")),
            D(1),
            False,
            "Tranche à 0,90 € (QF de 0 € à moins de 1 200 €) : le tarif à 1 € au plus est réservé "
            "aux QF d'au plus 1 000 €",
        ),
        # two cheap brackets, both under 1,000 €
        (canteen((0, 500, "0.50"), (500, 900, "1.00"), (900, None, "3.00")), D(1), True, "Tranche à 0,50 €"),
        # only two brackets
        (canteen((0, 800, "1.00"), (800, None, "3.00")), D(1), False, "2 tranches de prix différents, au moins 3"),
        # three brackets but two at the same price
        (
            canteen((0, 800, "1.00"), (800, 1200, "3.00"), (1200, None, "3.00")),
            D(1),
            False,
            "2 tranches de prix différents (3 tranches, certaines au même prix)",
        ),
        # nothing at 1 € or less
        (
            canteen((0, 800, "1.50"), (800, 1200, "2.00"), (1200, None, "3.00")),
            D(1),
            False,
            "Aucune tranche à 1,00 € au plus",
        ),
        # nothing above 1 €
        (canteen((0, 800, "0.50"), (800, 1000, "0.80"), (1000, None, "1.00")), D(1), False, "0 tranche(s) au-dessus"),
        # no deliberation
        ({**GOOD, "deliberation": ""}, D(1), False, "Aucune délibération renseignée"),
        # a decreasing grid, explicitly allowed, is not progressive
        (
            canteen((0, 800, "1.00"), (800, 1200, "3.00"), (1200, None, "2.00"), prix_decroissants_autorises=True),
            D(1),
            False,
            "Grille non progressive",
        ),
        # brackets on resources: the 1,000 € quotient equivalence is for the commune to check
        (
            {**GOOD, "regle": {**GOOD["regle"], "base": "ressources"}},
            D(1),
            True,
            "Tranche à 1,00 € (Ressources mensuelles de 0 € à moins de 623 €) : vérifiez",
        ),
        # not a bracket grid at all
        (
            {**GOOD, "regle": {"type": "taux_effort", "taux": "0.36", "plancher": "0.80", "plafond": "4"}},
            D(1),
            False,
            "La grille n'a pas de tranches",
        ),
    ],
)
def test_grid_conditions(data: dict[str, Any], step: D, conforms: bool, says: str) -> None:
    result = check(data, quotient_step=step)
    assert result.grid_conforms is conforms
    assert result.can_apply is conforms
    assert says in plain(result.reasons)


def test_state_aid_with_egalim_and_before_2021() -> None:
    assert check(GOOD, egalim=True).state_aid_per_meal == D("4.00")
    assert "plus 1,00 € avec les objectifs EgAlim" in plain(check(GOOD, egalim=True).reasons)
    early = check(GOOD, on=dt.date(2020, 6, 1))
    assert early.state_aid_per_meal == D("2.00")
    assert "à vérifier" in plain(early.warnings)
