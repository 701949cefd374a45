"""What a stored assessment shows: benefit rows (could receive beside receives), the « que faire »
list, the total not claimed, the warnings, from the stored inputs and results only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from guichet.rights.comparison import BenefitRow, benefit_rows
from guichet.rights.household_json import household_from_json
from guichet.rights.models import RightsAssessment
from guichet.rights.results_json import results_from_json


@dataclass(frozen=True)
class AssessmentView:
    assessment: RightsAssessment
    rows: list[BenefitRow]
    summary: list[str]

    @property
    def to_do(self) -> list[BenefitRow]:
        return [row for row in self.rows if row.to_do]

    @property
    def monthly_unclaimed(self) -> Decimal:
        """Monthly amounts of the benefits to claim, plus the gaps on those received too low."""
        total = Decimal(0)
        for row in self.rows:
            if row.result.period != "mensuel" or row.result.amount is None or row.result.is_cost:
                continue
            if row.status == "a_demander":
                total += row.result.amount
            elif row.status == "ecart" and row.difference is not None:
                total += row.difference
        return total

    @property
    def warnings(self) -> list[str]:
        return list(dict.fromkeys(w for row in self.rows if row.result.eligible for w in row.result.warnings))


def assessment_view(assessment: RightsAssessment) -> AssessmentView:
    household = household_from_json(assessment.inputs)
    rows = benefit_rows(results_from_json(assessment.results), household, assessment.month)
    return AssessmentView(assessment, rows, list(assessment.results.get("inputs_summary", [])))
