"""Assessment: single == batch, parameter staleness, recorded version, documented behaviours."""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import replace
from decimal import Decimal

from guichet.rules.openfisca.assessment import assess, assess_chunk, assess_many
from guichet.rules.openfisca.system import openfisca_france_version
from tests.rules.openfisca.households import HOUSEHOLDS


def test_batch_equals_single(openfisca_month: dt.date) -> None:
    households = list(HOUSEHOLDS.values())
    batch = list(assess_many(households, openfisca_month, chunk_size=4))
    assert [a.household_id for a in batch] == [h.id for h in households]
    for household, assessment in zip(households, batch, strict=True):
        assert assessment == assess(household, openfisca_month)


def test_chunk_function_is_picklable_for_worker_processes() -> None:
    assert pickle.loads(pickle.dumps(assess_chunk)) is assess_chunk  # noqa: S301 (our own bytes)
    pickle.dumps(list(HOUSEHOLDS.values()))


def test_css_ceiling_lag_is_flagged(openfisca_month: dt.date) -> None:
    assessment = assess(HOUSEHOLDS["single_no_income"], openfisca_month)
    (warning,) = assessment.result("css_gratuite").warnings
    assert "cs.cmu.plafond_base" in warning and "01/04/2024" in warning
    assert assessment.result("rsa").warnings == ()  # revalued on 1 April 2026
    assert assessment.openfisca_france_version == openfisca_france_version()
    assert assessment.result("rsa").amount == Decimal("573.49")


def test_asf_needs_the_alimony_received(openfisca_month: dt.date) -> None:
    """Documented: ASF comes out for a parent alone unless the alimony received is recorded."""
    with_alimony = assess(HOUSEHOLDS["single_parent_alimony"], openfisca_month).result("asf")
    without = assess(HOUSEHOLDS["single_parent_no_alimony"], openfisca_month).result("asf")
    assert without.eligible and without.amount == Decimal("201.78")
    # two children: 2 × 201.78 € less the 180 € received
    assert with_alimony.amount == Decimal("223.57")


def test_aah_needs_the_disability_inputs(openfisca_month: dt.date) -> None:
    disabled = HOUSEHOLDS["disabled_adult"]
    assert assess(disabled, openfisca_month).result("aah").amount == Decimal("1041.59")
    (adult,) = disabled.people
    plain = replace(disabled, people=(replace(adult, disability_rate=None),))
    assert assess(plain, openfisca_month).result("aah").amount == Decimal("0.00")
