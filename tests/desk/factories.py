"""Factories of the guichet unique (requests, partners, referrals)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from guichet.desk.enums import Channel, PartnerKind, RequestStatus, SharedData, Theme, Urgency
from guichet.desk.models import Partner, Referral, Request
from tests.factories import HouseholdFactory


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request

    household = factory.SubFactory(HouseholdFactory)
    theme = Theme.FOOD_AID
    channel = Channel.DESK
    urgency = Urgency.NORMAL
    summary = factory.Sequence(lambda n: f"Demande de colis alimentaire {n}")
    status = RequestStatus.NEW
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=2))

    class Params:
        overdue = factory.Trait(due_on=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3)))
        due_today = factory.Trait(due_on=factory.LazyFunction(timezone.localdate))
        closed = factory.Trait(
            status=RequestStatus.CLOSED, outcome="reponse_apportee", closed_at=factory.LazyFunction(timezone.now)
        )


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organisation = factory.Sequence(lambda n: f"Association test {n}")
    service = "Accueil"
    kind = PartnerKind.ASSOCIATION
    themes = factory.LazyFunction(lambda: [Theme.FOOD_AID.value])
    reminder_days = 10


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    request = factory.SubFactory(RequestFactory)
    partner = factory.SubFactory(PartnerFactory)
    shared_data = factory.LazyFunction(lambda: [SharedData.IDENTITY.value])
    sent_on = factory.LazyFunction(timezone.localdate)
    reminder_due_on = factory.LazyAttribute(lambda r: r.sent_on + dt.timedelta(days=r.partner.reminder_days))
