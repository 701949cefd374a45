import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from guichet.audit.models import AuditEntry
from guichet.households.perms import BreakGlassRequired
from guichet.rights.household_json import household_from_json
from guichet.rights.mapping import IncompleteHousehold
from guichet.rights.models import RightsAssessment
from guichet.rights.services import assessment_open, assessment_run, household_assessments_open
from tests.factories import HouseholdFactory
from tests.rights.factories import MONTH, single_parent_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["social", "responsable"])
def test_followers_run_an_assessment_stored_with_inputs_and_audited(persona, fake_assess, name) -> None:  # type: ignore[no-untyped-def]
    user = persona(name)
    row = single_parent_file()
    assessment = assessment_run(user=user, household_id=row.pk, month=MONTH.replace(day=17))
    assert assessment.month == MONTH
    assert assessment.created_by == user
    assert assessment.openfisca_france_version == "0.0.test"
    assert household_from_json(assessment.inputs) == fake_assess[0]
    assert {b["key"]: b["amount"] for b in assessment.results["benefits"]}["rsa"] == "412.30"
    entry = AuditEntry.objects.get(target_type="rights_assessment", target_id=str(assessment.pk))
    assert (entry.action, entry.actor_id) == ("create", user.pk)


@pytest.mark.parametrize("name", ["accueil", "direction", "admin", "outsider"])
def test_others_may_not_assess(persona, fake_assess, name) -> None:  # type: ignore[no-untyped-def]
    row, user = single_parent_file(), persona(name)
    with pytest.raises(PermissionDenied):
        assessment_run(user=user, household_id=row.pk, month=MONTH)
    with pytest.raises(PermissionDenied):
        household_assessments_open(user=user, household_id=row.pk)
    assert not RightsAssessment.objects.exists()
    assert fake_assess == []


def test_same_inputs_reuse_the_stored_assessment_and_a_change_makes_a_new_one(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    first = assessment_run(user=social, household_id=row.pk, month=MONTH)
    assert assessment_run(user=social, household_id=row.pk, month=MONTH) == first
    assert len(fake_assess) == 1
    assert AuditEntry.objects.filter(target_type="rights_assessment", action="read").count() == 1
    row.rent = 600
    row.save()
    assert assessment_run(user=social, household_id=row.pk, month=MONTH) != first
    assert RightsAssessment.objects.count() == 2


def test_confidential_household_needs_the_glass_broken(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file(is_confidential=True)
    with pytest.raises(BreakGlassRequired):
        assessment_run(user=social, household_id=row.pk, month=MONTH)


def test_missing_household_and_missing_applicant(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Http404):
        assessment_run(user=social, household_id=999999, month=MONTH)
    with pytest.raises(IncompleteHousehold):
        assessment_run(user=social, household_id=HouseholdFactory().pk, month=MONTH)
    assert fake_assess == []


def test_opening_a_stored_assessment_is_audited_and_checked(social, accueil, fake_assess) -> None:  # type: ignore[no-untyped-def]
    assessment = assessment_run(user=social, household_id=single_parent_file().pk, month=MONTH)
    assert assessment_open(user=social, assessment_id=assessment.pk) == assessment
    assert AuditEntry.objects.filter(target_type="rights_assessment", action="read", actor=social).exists()
    with pytest.raises(PermissionDenied):
        assessment_open(user=accueil, assessment_id=assessment.pk)
    with pytest.raises(Http404):
        assessment_open(user=social, assessment_id=assessment.pk + 1)
