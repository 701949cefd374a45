"""The household timeline gets the stored rights assessments (to those who may see them), and a
merge of two files moves the assessments of the merged file (their inputs keep its old people)."""

from __future__ import annotations

from collections.abc import Iterable

from guichet.households.models import Household
from guichet.households.timeline import TimelineEvent, pk_url, user_name
from guichet.rights.models import RightsAssessment

ASSESSORS = "rights"
"""The audience of the assessments' events: those who may assess rights (``rights.perms.can_assess``)."""


def assessment_events(household: Household) -> Iterable[TimelineEvent]:
    """Titles only: the stored inputs and results (large JSON) are not read."""
    url = pk_url("rights:assessment", "assessment_id")
    rows = RightsAssessment.objects.filter(household=household).values_list(
        "pk", "month", "created_at", "openfisca_france_version",
        "created_by__first_name", "created_by__last_name", "created_by__username",
    )  # fmt: skip
    for pk, month, created_at, version, first_name, last_name, username in rows:
        yield TimelineEvent(
            when=created_at,
            kind="Bilan de droits",
            title=f"Bilan de droits de {month:%m/%Y}",
            detail=f"OpenFisca-France {version}",
            url=url(pk),
            actor=user_name(first_name, last_name, username),
            audience=ASSESSORS,
        )


def move_assessments(source: Household, target: Household) -> int:
    return RightsAssessment.objects.filter(household=source).update(household=target)
