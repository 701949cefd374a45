"""Rights assessments of a household: run (stored with its inputs and the OpenFisca-France version),
open, replay. Every call checks ``perms.py`` and is written to the audit log.

OpenFisca runs outside the transaction: the first assessment of a process builds the tax-benefit
system (10–15 s) and must not hold a database transaction open meanwhile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.households.models import Household
from guichet.households.perms import get_household_for_user
from guichet.rights.comparison import Change, changes
from guichet.rights.household_json import household_from_json, household_to_json
from guichet.rights.local_aids import local_aids_evaluate, replay_changes, stored_unchanged
from guichet.rights.mapping import check_assessable, rules_household
from guichet.rights.models import RightsAssessment
from guichet.rights.perms import check_can_assess, get_assessment_for_user
from guichet.rights.results_json import results_from_json, results_to_json
from guichet.rights.scenarios import Scenario, apply_scenario
from guichet.rights.selectors import household_assessments
from guichet.rules.household import Household as RulesHousehold
from guichet.rules.openfisca import Assessment, BenefitResult, assess, assess_chunk, openfisca_france_version
from guichet.rules.openfisca.catalogue import CATALOGUE_VERSION

TARGET = "rights_assessment"
ASSESSMENT_FIELDS = ("people", "resources", "taxable_incomes", "housing", "rent", "caf_quotient", "benefits")


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _assessable(user: Any, household_id: int) -> tuple[Household, RulesHousehold]:
    """The household (permission and policy checked, one applicant) and the rules' view of it."""
    check_can_assess(user)
    household = get_household_for_user(user, household_id)
    check_assessable(household)
    return household, rules_household(Household.objects.select_related("address__quartier").get(pk=household.pk))


def assessment_run(
    *, user: Any, household_id: int, month: dt.date, request: HttpRequest | None = None, channel: str = "web"
) -> RightsAssessment:
    """Assess ``household_id`` for ``month`` from its file as it is now and store the result. When
    the latest stored assessment of that month was computed from the same inputs and versions, it is
    returned (and its reading audited) instead of a duplicate. Raises ``IncompleteHousehold``."""
    household, mapped = _assessable(user, household_id)
    month = first_of_month(month)
    inputs = household_to_json(mapped)
    latest = RightsAssessment.objects.filter(household=household, month=month).first()
    if (
        latest is not None
        and latest.inputs == inputs
        and latest.openfisca_france_version == openfisca_france_version()
        and latest.catalogue_version == CATALOGUE_VERSION
        and stored_unchanged(latest.results)
    ):
        _audit(user, Action.READ, latest, request, channel, "bilan identique déjà calculé")
        return latest
    result = assess(household_from_json(inputs), month)
    local_aids = local_aids_evaluate(household_from_json(inputs), month)
    with transaction.atomic():
        assessment = RightsAssessment.objects.create(
            household=household,
            month=month,
            created_by=user,
            inputs=inputs,
            results=results_to_json(result, local_aids=local_aids),
            openfisca_france_version=result.openfisca_france_version,
            catalogue_version=result.catalogue_version,
        )
        _audit(user, Action.CREATE, assessment, request, channel)
    return assessment


def _audit(
    user: Any, action: Action, assessment: RightsAssessment, request: HttpRequest | None, channel: str, reason: str = ""
) -> None:
    audit_record(
        actor=user,
        action=action,
        target_type=TARGET,
        target_id=assessment.pk,
        fields=ASSESSMENT_FIELDS,
        reason=reason,
        request=request,
        channel=channel,
    )


@transaction.atomic
def assessment_open(
    *, user: Any, assessment_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> RightsAssessment:
    """The stored assessment for ``user`` (policy checked); the read is audited."""
    assessment = get_assessment_for_user(user, assessment_id)
    _audit(user, Action.READ, assessment, request, channel)
    return assessment


@transaction.atomic
def household_assessments_open(
    *, user: Any, household_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> tuple[Household, list[RightsAssessment]]:
    """The household and its stored assessments (newest first) for ``user``; the read is audited."""
    check_can_assess(user)
    household = get_household_for_user(user, household_id)
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="household",
        target_id=household.pk,
        fields=("rights_assessments",),
        reason="bilan de droits",
        request=request,
        channel=channel,
    )
    return household, list(household_assessments(household.pk))


@dataclass(frozen=True)
class Replay:
    assessment: RightsAssessment
    recomputed: Assessment
    changes: list[Change]


def assessment_replay(
    *, user: Any, assessment_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> Replay:
    """Recompute a stored assessment from its stored inputs (nothing is stored) and list what differs."""
    assessment = assessment_open(user=user, assessment_id=assessment_id, request=request, channel=channel)
    recomputed = assess(household_from_json(assessment.inputs), assessment.month)
    found = changes(results_from_json(assessment.results), recomputed.results)
    found += replay_changes(assessment.results, household_from_json(assessment.inputs), assessment.month)
    return Replay(assessment, recomputed, found)


@dataclass(frozen=True)
class ScenarioLine:
    now: BenefitResult
    then: BenefitResult

    @property
    def difference(self) -> Decimal | None:
        if self.now.amount is None or self.then.amount is None:
            return None
        return self.then.amount - self.now.amount


@dataclass(frozen=True)
class ScenarioComparison:
    scenario: Scenario
    month: dt.date
    lines: list[ScenarioLine]


def scenario_compare(
    *, user: Any, household_id: int, month: dt.date, scenario: Scenario, request: HttpRequest | None = None
) -> ScenarioComparison:
    """The household's benefits now and after ``scenario``, side by side, in one simulation; nothing
    is stored, the read of the file is audited. Raises ``IncompleteHousehold``, ``ScenarioError``."""
    household, base = _assessable(user, household_id)
    month = first_of_month(month)
    variant = apply_scenario(base, scenario, month)
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="household",
        target_id=household.pk,
        fields=ASSESSMENT_FIELDS,
        reason=f"simulation « et si » : {scenario.label}",
        request=request,
    )
    now, then = assess_chunk([base, variant], month)
    return ScenarioComparison(
        scenario, month, [ScenarioLine(a, b) for a, b in zip(now.results, then.results, strict=True)]
    )
