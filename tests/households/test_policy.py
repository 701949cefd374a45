"""The household access policy for every persona, including confidential files and break the glass."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.households.models import BreakGlassGrant
from guichet.households.perms import BreakGlassRequired, get_household_for_user
from guichet.households.services import household_break_glass, household_open
from tests.conftest import make_persona
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

REASON = "Appel du 115 : mise à l'abri urgente ce soir"


@pytest.mark.parametrize(
    ("persona_name", "allowed"),
    [
        ("accueil", True),
        ("social", True),
        ("responsable", True),
        ("direction", False),
        ("admin", False),
        ("outsider", False),
    ],
)
def test_ordinary_household_is_open_to_agents_only(persona_name: str, allowed: bool) -> None:
    household = HouseholdFactory()
    user = make_persona(persona_name)
    if allowed:
        assert get_household_for_user(user, household.pk) == household
    else:
        with pytest.raises(PermissionDenied):
            get_household_for_user(user, household.pk)


def test_missing_household_is_404() -> None:
    with pytest.raises(Http404):
        get_household_for_user(make_persona("social"), 999_999)


@pytest.mark.parametrize(
    ("persona_name", "outcome"),
    [
        ("accueil", "break_glass"),
        ("social", "break_glass"),
        ("responsable", "open"),
        ("direction", "denied"),
        ("admin", "denied"),
        ("outsider", "denied"),
    ],
)
def test_confidential_household(persona_name: str, outcome: str) -> None:
    household = HouseholdFactory(confidential=True)
    user = make_persona(persona_name)
    if outcome == "open":
        assert get_household_for_user(user, household.pk) == household
    elif outcome == "break_glass":
        with pytest.raises(BreakGlassRequired):
            get_household_for_user(user, household.pk)
    else:
        with pytest.raises(PermissionDenied) as error:
            get_household_for_user(user, household.pk)
        assert not isinstance(error.value, BreakGlassRequired)


def test_referent_opens_confidential_household_without_reason() -> None:
    household = HouseholdFactory(confidential=True)
    social = make_persona("social")
    household.referents.add(social)
    assert get_household_for_user(social, household.pk) == household


def test_break_glass_is_audited_and_grants_temporary_access() -> None:
    household = HouseholdFactory(confidential=True)
    accueil = make_persona("accueil")
    grant = household_break_glass(user=accueil, household=household, reason=REASON)
    assert get_household_for_user(accueil, household.pk) == household
    entry = AuditEntry.objects.get(action=Action.BREAK_GLASS)
    assert (entry.actor, entry.target_id, entry.reason) == (accueil, str(household.pk), REASON)
    # Once the grant has expired, the reason must be given again.
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(BreakGlassRequired):
        get_household_for_user(accueil, household.pk)


def test_break_glass_needs_a_real_reason() -> None:
    household = HouseholdFactory(confidential=True)
    with pytest.raises(ValidationError):
        household_break_glass(user=make_persona("social"), household=household, reason="   urgence    ")
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.BREAK_GLASS).exists()


def test_direction_cannot_break_the_glass() -> None:
    household = HouseholdFactory(confidential=True)
    with pytest.raises(PermissionDenied):
        household_break_glass(user=make_persona("direction"), household=household, reason=REASON)


def test_opening_a_file_is_audited_with_the_fields_seen() -> None:
    household = HouseholdFactory()
    household_open(user=make_persona("accueil"), pk=household.pk)
    household_open(user=make_persona("social"), pk=household.pk)
    entries = list(AuditEntry.objects.filter(action=Action.READ, target_type="household").order_by("id"))
    assert [e.target_id for e in entries] == [str(household.pk)] * 2
    assert "resources" not in entries[0].fields
    assert "resources" in entries[1].fields
