"""The household timeline gets the stored rights assessments (to those who may see them), and a
merge of two files moves the assessments of the merged file (their inputs keep its old people)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from guichet.households.models import Household
from guichet.households.timeline import TimelineEvent
from guichet.rights.models import RightsAssessment
from guichet.rights.perms import can_assess


def assessment_events(user: Any, household: Household) -> Iterable[TimelineEvent]:
    if not can_assess(user):
        return
    for assessment in RightsAssessment.objects.filter(household=household).select_related("created_by"):
        author = assessment.created_by
        yield TimelineEvent(
            when=assessment.created_at,
            kind="Bilan de droits",
            title=f"Bilan de droits de {assessment.month:%m/%Y}",
            detail=f"OpenFisca-France {assessment.openfisca_france_version}",
            url=reverse("rights:assessment", kwargs={"assessment_id": assessment.pk}),
            actor=str(author.get_full_name() or author.get_username()) if author else "",
        )


def move_assessments(source: Household, target: Household) -> int:
    return RightsAssessment.objects.filter(household=source).update(household=target)
