"""Complément familial and ASI: who gets them and how much, against OpenFisca-France's own parameters
(the comparison with its situation format is in ``test_mapping``, which covers these households too)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from guichet.rules.openfisca.assessment import BenefitResult, assess
from guichet.rules.openfisca.staleness import stale_parameter
from guichet.rules.openfisca.system import tax_benefit_system
from tests.rules.openfisca.households import HOUSEHOLDS

CENT = Decimal("0.01")


def parameter(path: str, month: dt.date) -> Decimal:
    node = tax_benefit_system().parameters(month.isoformat())
    for name in path.split("."):
        node = getattr(node, name)
    return Decimal(str(node))


def results(name: str, month: dt.date) -> dict[str, BenefitResult]:
    return {r.key: r for r in assess(HOUSEHOLDS[name], month).results}


def test_complement_familial_at_the_increased_rate(openfisca_month: dt.date) -> None:
    """Three children aged 3+ and modest resources: BMAF × the increased rate, for a family that
    does not receive it yet and for one that already does (its past benefits are resources)."""
    bmaf = parameter("prestations_sociales.prestations_familiales.bmaf.bmaf", openfisca_month)
    rate = parameter(
        "prestations_sociales.prestations_familiales.prestations_generales.cf.cf_cm.complement_familial.taux_cf_majore",
        openfisca_month,
    )
    expected = (bmaf * rate).quantize(CENT, ROUND_HALF_UP)
    for name in ("cf_single_parent", "cf_received"):
        cf = results(name, openfisca_month)["cf"]
        assert cf.eligible and cf.amount == expected, name


def test_complement_familial_conditions(openfisca_month: dt.date) -> None:
    with_baby = results("cf_with_baby", openfisca_month)
    assert not with_baby["cf"].eligible
    assert with_baby["paje_base"].eligible
    assert not results("cf_over_ceiling", openfisca_month)["cf"].eligible


def test_asi_is_the_ceiling_minus_the_invalidity_pension(openfisca_month: dt.date) -> None:
    """Since April 2020 the ASI tops resources up to its ceiling (no separate maximum amount)."""
    path = "prestations_sociales.prestations_etat_de_sante.invalidite.asi.plafond_ressource_seul"
    ceiling = parameter(path, openfisca_month)
    asi = results("asi_single", openfisca_month)["asi"]
    assert asi.eligible
    assert asi.amount == (ceiling / 12 - Decimal(520)).quantize(CENT, ROUND_HALF_UP)


def test_asi_ceiling_lag_is_flagged(openfisca_month: dt.date) -> None:
    """The ASI ceilings of OpenFisca-France 176 stop at April 2025: an assessment more than a year
    later carries the warning, and only then."""
    path = "prestations_sociales.prestations_etat_de_sante.invalidite.asi.plafond_ressource_seul"
    stale = stale_parameter(path, openfisca_month)
    asi = results("asi_single", openfisca_month)["asi"]
    assert bool(asi.warnings) == (stale is not None)
    if stale is not None:
        assert stale.message in asi.warnings
