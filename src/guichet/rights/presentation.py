"""What a stored assessment shows: the benefit table (could receive beside receives, « que faire »,
total not claimed, warnings) built from the stored inputs and results only."""

from __future__ import annotations

from dataclasses import dataclass

from guichet.rights.comparison import BenefitTable, benefit_table
from guichet.rights.household_json import household_from_json
from guichet.rights.models import RightsAssessment
from guichet.rights.results_json import results_from_json


@dataclass(frozen=True)
class AssessmentView(BenefitTable):
    assessment: RightsAssessment | None = None
    summary: tuple[str, ...] = ()


def assessment_view(assessment: RightsAssessment) -> AssessmentView:
    household = household_from_json(assessment.inputs)
    table = benefit_table(results_from_json(assessment.results), household, assessment.month)
    return AssessmentView(table.rows, assessment, tuple(assessment.results.get("inputs_summary", [])))
