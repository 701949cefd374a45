"""Net → gross: OpenFisca-France, given the gross amounts found, computes back the net ones."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from guichet.rules.openfisca.conversion import CSG_CLASSES, TAUX_PLEIN, _evaluate, csg_class, gross_and_taxable

NETS = np.round(np.random.default_rng(4).uniform(1.0, 9000.0, 300), 2)
# Salaries: every contribution is rounded to the cent, so the net moves in cent steps and some
# nets are not reachable at all (it drops by 4.81 € just above the social security ceiling);
# without a correction step the round trip is within 3 cents. Replacement incomes: 0.2 cent.
TOLERANCE = {"salaire": 0.03, "chomage": 0.002, "retraite": 0.002}


@pytest.mark.parametrize("kind", ["salaire", "chomage", "retraite"])
def test_round_trip(kind: str, openfisca_month: dt.date) -> None:
    month = openfisca_month.strftime("%Y-%m")
    classes = [TAUX_PLEIN] if kind == "salaire" else list(CSG_CLASSES)
    blocks = []
    for klass in classes:
        gross, _ = gross_and_taxable(month, kind, NETS, klass)
        blocks.append((kind, klass, gross))
    for (_, klass, _), (net, _) in zip(blocks, _evaluate(month, blocks), strict=True):
        ok = net.max() >= NETS  # beyond what unemployment benefit can be (floors and caps)
        worst = float(np.max(np.abs(net[ok] - NETS[ok])))
        assert worst <= TOLERANCE[kind], (kind, klass, worst)


def test_taxable_amount_is_openfisca_s(openfisca_month: dt.date) -> None:
    month = openfisca_month.strftime("%Y-%m")
    gross, taxable = gross_and_taxable(month, "retraite", NETS, TAUX_PLEIN)
    ((_, expected),) = _evaluate(month, [("retraite", TAUX_PLEIN, gross)])
    assert float(np.max(np.abs(taxable - expected))) <= 0.002


def test_csg_class_follows_openfisca_thresholds(openfisca_month: dt.date) -> None:
    month = openfisca_month.strftime("%Y-%m")
    classes = csg_class(month, np.array([0.0, 1e9, 1e9]), np.array([1.0, 1.0, 1e9]))
    assert classes.tolist() == [0, TAUX_PLEIN, 0]  # many parts raise the thresholds
