import pytest

from guichet.households.merge import merge_hooks
from guichet.households.timeline import household_timeline
from guichet.rights.models import RightsAssessment
from guichet.rights.services import assessment_run
from tests.factories import HouseholdFactory
from tests.rights.factories import MONTH, single_parent_file

pytestmark = pytest.mark.django_db


def test_assessments_appear_in_the_timeline_of_followers_only(social, accueil, fake_assess) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    assessment = assessment_run(user=social, household_id=row.pk, month=MONTH)
    events = [e for e in household_timeline(social, row) if e.kind == "Bilan de droits"]
    assert [(e.title, e.url) for e in events] == [("Bilan de droits de 11/2026", f"/droits/bilans/{assessment.pk}/")]
    assert not [e for e in household_timeline(accueil, row) if e.kind == "Bilan de droits"]


def test_merge_moves_the_assessments(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    source, target = single_parent_file(), HouseholdFactory()
    assessment_run(user=social, household_id=source.pk, month=MONTH)
    assert merge_hooks()["rights.assessments"](source, target) == 1
    assert RightsAssessment.objects.get().household == target
