"""Partners directory (seed, list, edit), referrals (per persona), reminders task, statistics, timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.desk.enums import ReferralOutcome, RequestStatus, SharedData, Theme
from guichet.desk.models import Partner, Referral
from guichet.desk.services import DeskError, referral_create, referral_record_answer, request_create
from guichet.desk.tasks import referral_reminders_task
from guichet.households.timeline import household_timeline
from tests.desk.factories import PartnerFactory, ReferralFactory, RequestFactory
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_seeded_partners_are_demo_data() -> None:
    partners = Partner.objects.all()
    names = {p.organisation for p in partners}
    assert {
        "CAF de la Seine-Maritime",
        "CPAM Rouen-Elbeuf-Dieppe",
        "France Travail",
        "CIDFF de la Seine-Maritime",
    } <= names
    assert any("UTAS" in p.service for p in partners)
    assert partners.count() >= 12 and all(p.is_demo for p in partners)
    assert all(p.phone.startswith("02 61 91") and p.email.endswith(".example") for p in partners)


def test_directory_list_with_filters_and_demo_badge(client, accueil) -> None:
    client.force_login(accueil)
    response = client.get(reverse("desk:partners"), {"theme": Theme.VIOLENCE})
    html = response.content.decode()
    assert "CIDFF" in html and "coordonnées de démonstration" in html and "CAF de la Seine-Maritime" not in html
    assert "Modifier" not in html
    assert client.get(reverse("desk:partners"), {"kind": "caf"}).context["partners"][0].organisation.startswith("CAF")


def test_partner_edit_for_settings_manage_only(client, accueil, responsable) -> None:
    partner = PartnerFactory()
    client.force_login(accueil)
    assert client.get(reverse("desk:partner_edit", args=[partner.pk])).status_code == 403
    client.force_login(responsable)
    response = client.post(
        reverse("desk:partner_edit", args=[partner.pk]),
        {
            "organisation": "Épicerie solidaire",
            "service": "",
            "kind": "association",
            "themes": ["aide_alimentaire"],
            "reminder_days": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.organisation, partner.reminder_days, partner.is_demo) == ("Épicerie solidaire", 5, False)
    entry = AuditEntry.objects.get(action=Action.UPDATE, target_type="partner")
    assert "organisation" in entry.fields and "reminder_days" in entry.fields


def test_social_refers_a_request(social) -> None:
    demand = RequestFactory()
    partner = PartnerFactory(reminder_days=10)
    referral = referral_create(
        user=social, demand=demand, partner=partner, shared_data=[SharedData.REQUEST, SharedData.IDENTITY]
    )
    assert referral.shared_data == ["demande", "identite"] or sorted(referral.shared_data) == ["demande", "identite"]
    assert referral.reminder_due_on == timezone.localdate() + dt.timedelta(days=10)
    demand.refresh_from_db()
    assert demand.status == RequestStatus.REFERRED
    assert AuditEntry.objects.filter(action=Action.CREATE, target_type="referral", target_id=str(referral.pk)).exists()


def test_accueil_cannot_refer(accueil, client) -> None:
    demand = RequestFactory()
    with pytest.raises(PermissionDenied):
        referral_create(user=accueil, demand=demand, partner=PartnerFactory(), shared_data=[SharedData.IDENTITY])
    client.force_login(accueil)
    assert client.get(reverse("desk:referral_new", args=[demand.pk])).status_code == 403


def test_referral_needs_the_household_agreement(social) -> None:
    with pytest.raises(DeskError, match="accepte de partager"):
        referral_create(user=social, demand=RequestFactory(), partner=PartnerFactory(), shared_data=[])


def test_referral_page_keeps_input_on_error_and_creates(client, social) -> None:
    demand = RequestFactory()
    partner = PartnerFactory()
    client.force_login(social)
    url = reverse("desk:referral_new", args=[demand.pk])
    response = client.post(url, {"partner": partner.pk, "sent_on": "2026-11-20", "comment": "Urgent à voir"})
    assert response.status_code == 200 and 'value="Urgent à voir"' in response.content.decode()
    response = client.post(url, {"partner": partner.pk, "shared_data": ["identite"], "sent_on": "2026-11-20"})
    assert response.status_code == 302
    assert Referral.objects.get().sent_on == dt.date(2026, 11, 20)


def test_recording_the_answer(social) -> None:
    referral = ReferralFactory()
    referral_record_answer(
        user=social,
        referral=referral,
        acknowledged_on=None,
        answer="Dossier accepté",
        answered_on=None,
        outcome=ReferralOutcome.ACCEPTED,
    )
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.ACCEPTED and referral.answered_on == timezone.localdate()
    with pytest.raises(DeskError, match="précéder"):
        referral_record_answer(
            user=social,
            referral=referral,
            acknowledged_on=referral.sent_on - dt.timedelta(days=1),
            answer="",
            answered_on=None,
            outcome=ReferralOutcome.DONE,
        )


def test_reminders_task_flags_overdue_referrals_once_and_emails_the_agent(social) -> None:
    social.email = "agent@ccas.example"
    social.save()
    sent = timezone.localdate() - dt.timedelta(days=20)
    overdue = ReferralFactory(request__assigned_to=social, sent_on=sent, reminder_due_on=sent + dt.timedelta(days=10))
    ReferralFactory(sent_on=sent, reminder_due_on=sent + dt.timedelta(days=30))  # not yet due
    ReferralFactory(sent_on=sent, reminder_due_on=sent, outcome=ReferralOutcome.ACCEPTED)  # answered
    assert referral_reminders_task.delay().get() == 1
    assert referral_reminders_task() == 0  # idempotent
    overdue.refresh_from_db()
    assert overdue.reminder_sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["agent@ccas.example"]
    assert AuditEntry.objects.filter(target_type="referral", channel="task").count() == 1


def test_statistics_page(client, social, direction, accueil) -> None:
    ReferralFactory(partner__organisation="CAF test", outcome=ReferralOutcome.ACCEPTED)
    ReferralFactory(partner__organisation="CAF test", outcome=ReferralOutcome.REFUSED)
    for user in (social, direction):
        client.force_login(user)
        response = client.get(reverse("desk:referral_stats"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<svg" in html and "CAF test" in html
        stats = response.context["stats"]
        assert stats.total == 2 and stats.by_partner[0].total == 2
        assert dict(stats.by_outcome)["Acceptée"] == 1
    client.force_login(accueil)
    assert client.get(reverse("desk:referral_stats")).status_code == 403


def test_timeline_shows_requests_and_referrals(social, direction) -> None:
    household = HouseholdFactory()
    demand = request_create(user=social, household=household, theme=Theme.FOOD_AID, summary="Colis")
    referral_create(
        user=social,
        demand=demand,
        partner=PartnerFactory(organisation="Banque alimentaire"),
        shared_data=[SharedData.IDENTITY],
    )
    titles = [event.title for event in household_timeline(social, household)]
    assert any("créée" in title for title in titles)
    assert any("orientée vers Banque alimentaire" in title for title in titles)
    assert any(event.url == reverse("desk:detail", args=[demand.pk]) for event in household_timeline(social, household))
    assert not [e for e in household_timeline(direction, household) if e.kind in ("Demande", "Orientation")]


def test_referrals_to_chase_page(client, social, accueil) -> None:
    sent = timezone.localdate() - dt.timedelta(days=30)
    late = ReferralFactory(sent_on=sent, reminder_due_on=sent + dt.timedelta(days=10), partner__organisation="Lente")
    ReferralFactory(partner__organisation="Rapide")  # not due yet
    hidden = ReferralFactory(sent_on=sent, reminder_due_on=sent, request__household=HouseholdFactory(confidential=True))
    client.force_login(social)
    response = client.get(reverse("desk:referrals_to_chase"))
    html = response.content.decode()
    assert [(r.pk, masked) for r, masked in response.context["rows"]] == [(hidden.pk, True), (late.pk, False)]
    assert "Lente" in html and "Rapide" not in html
    assert reverse("desk:detail", args=[hidden.request_id]) not in html
    client.force_login(accueil)
    assert client.get(reverse("desk:referrals_to_chase")).status_code == 403
