"""A colleague's week for those who book for others, and the « Rédiger la convocation » link."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from guichet.agenda.enums import AppointmentStatus
from guichet.audit.models import AuditEntry
from tests.agenda.factories import AppointmentFactory
from tests.desk.factories import RequestFactory
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_colleague_week_is_shown_audited_and_masks_closed_confidential_files(accueil, social):
    visible = AppointmentFactory(agent=social, reason="Dossier énergie")
    secret = HouseholdFactory(confidential=True)
    AppointmentFactory(
        agent=social,
        household=secret,
        starts_at=visible.ends_at,
        ends_at=visible.ends_at + (visible.ends_at - visible.starts_at),
        reason="Motif sensible",
    )
    week = visible.starts_at.date().isoformat()
    response = _client(accueil).get(reverse("agenda:mine"), {"semaine": week, "agent": social.pk})
    content = response.content.decode()
    assert response.status_code == 200 and "Agenda de" in content
    assert visible.household.reference in content and "Dossier énergie" in content
    assert secret.reference not in content and "Motif sensible" not in content and "Dossier confidentiel" in content
    assert f"agent={social.pk}" in content  # week navigation keeps the colleague
    entry = AuditEntry.objects.get(target_type="agenda")
    assert entry.actor == accueil and entry.target_id == str(social.pk) and entry.action == "read"
    # one's own week is not audited as a colleague's
    _client(accueil).get(reverse("agenda:mine"), {"semaine": week})
    assert AuditEntry.objects.filter(target_type="agenda").count() == 1


def test_referent_sees_the_confidential_reference_in_a_colleague_week(social, accueil):
    secret = HouseholdFactory(confidential=True)
    secret.referents.add(social)
    appointment = AppointmentFactory(agent=accueil, household=secret)
    content = (
        _client(social)
        .get(reverse("agenda:mine"), {"semaine": appointment.starts_at.date().isoformat(), "agent": accueil.pk})
        .content.decode()
    )
    assert secret.reference in content


def test_unknown_agent_leaves_own_week(accueil, direction):
    response = _client(accueil).get(reverse("agenda:mine"), {"agent": direction.pk})
    assert response.status_code == 200 and "Mon agenda" in response.content.decode()
    assert not AuditEntry.objects.filter(target_type="agenda").exists()


def test_colleague_week_refused_without_booking_right(persona, social):
    reader = persona("outsider")
    reader.user_permissions.add(*_household_view_permission())
    client = _client(reader)
    assert client.get(reverse("agenda:mine")).status_code == 200
    assert client.get(reverse("agenda:mine"), {"agent": social.pk}).status_code == 403


def _household_view_permission():
    return Permission.objects.filter(codename="household_view", content_type__app_label="accounts")


def test_convocation_link_on_a_planned_appointment(accueil):
    demand = RequestFactory()
    appointment = AppointmentFactory(agent=accueil, household=demand.household, request=demand)
    page = _client(accueil).get(reverse("agenda:detail", args=[appointment.pk])).content.decode()
    url = reverse("letters:new", args=[demand.household_id])
    assert f"{url}?type=convocation&amp;demande={demand.pk}&amp;rendez_vous={appointment.pk}" in page
    assert "Rédiger la convocation" in page


def test_convocation_link_without_request_and_not_once_done(accueil):
    appointment = AppointmentFactory(agent=accueil)
    client = _client(accueil)
    page = client.get(reverse("agenda:detail", args=[appointment.pk])).content.decode()
    assert f"?type=convocation&amp;rendez_vous={appointment.pk}" in page
    appointment.status = AppointmentStatus.HONOURED
    appointment.save()
    assert "Rédiger la convocation" not in client.get(reverse("agenda:detail", args=[appointment.pk])).content.decode()
