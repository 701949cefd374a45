"""Reads of stored assessments (callers check the permission and audit the read)."""

from __future__ import annotations

from django.db.models import QuerySet

from guichet.rights.models import RightsAssessment


def household_assessments(household_id: int) -> QuerySet[RightsAssessment]:
    """A household's stored assessments, newest first, with their agent."""
    return RightsAssessment.objects.filter(household_id=household_id).select_related("created_by")
