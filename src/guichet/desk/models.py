"""Requests (demandes) with their history, the partners directory, referrals (orientations)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.desk.enums import (
    Channel,
    PartnerKind,
    ReferralOutcome,
    RequestOutcome,
    RequestStatus,
    Theme,
    Urgency,
)
from guichet.households.models import Household, Person


class Request(models.Model):
    """A request made by (or for) a household, handled until it is closed with an outcome."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="requests")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests", verbose_name="personne"
    )
    theme = models.CharField("thème", max_length=32, choices=Theme.choices)
    channel = models.CharField("canal", max_length=32, choices=Channel.choices, default=Channel.DESK)
    urgency = models.CharField("urgence", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    summary = models.CharField("objet", max_length=500)
    status = models.CharField(
        "statut", max_length=16, choices=RequestStatus.choices, default=RequestStatus.NEW, db_index=True
    )
    outcome = models.CharField("issue", max_length=32, choices=RequestOutcome.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
        verbose_name="agent chargé",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="créée par"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    due_on = models.DateField("échéance", db_index=True)
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "demande"
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["assigned_to", "status"])]

    def __str__(self) -> str:
        return f"Demande n° {self.pk} — {self.get_theme_display()}"

    @property
    def is_open(self) -> bool:
        return self.status != RequestStatus.CLOSED


class RequestEvent(models.Model):
    """One change of a request: creation, assignment, status, a corrected field (``from_value`` → ``to_value``)."""

    class Kind(models.TextChoices):
        CREATED = "creation", "Création"
        ASSIGNED = "attribution", "Attribution"
        STATUS = "statut", "Changement de statut"
        REFERRAL = "orientation", "Orientation"
        UPDATED = "modification", "Modification"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "événement de demande"

    def __str__(self) -> str:
        return f"{self.request_id} {self.get_kind_display()} {self.from_value} → {self.to_value}"


# What an agent edits on a partner of the directory (form, API, audit of changes).
PARTNER_FIELDS = (
    "organisation",
    "service",
    "kind",
    "themes",
    "territory",
    "address",
    "phone",
    "email",
    "agreement",
    "reminder_days",
    "is_demo",
    "is_active",
)


class Partner(models.Model):
    """An organisation (or internal service) households are referred to. ``is_demo``: contact details
    are demonstration data, to be checked and replaced before real use."""

    organisation = models.CharField("organisme", max_length=200)
    service = models.CharField("service", max_length=200, blank=True)
    kind = models.CharField("type", max_length=32, choices=PartnerKind.choices)
    themes = models.JSONField("thèmes", default=list, blank=True)
    territory = models.CharField("territoire", max_length=200, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    phone = models.CharField("téléphone", max_length=32, blank=True)
    email = models.EmailField("courriel", blank=True)
    agreement = models.TextField("convention avec le CCAS", blank=True)
    reminder_days = models.PositiveSmallIntegerField("délai de relance (jours)", default=15)
    is_demo = models.BooleanField("coordonnées de démonstration", default=False)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        ordering = ["organisation", "service"]
        verbose_name = "partenaire"

    def __str__(self) -> str:
        return f"{self.organisation} — {self.service}" if self.service else self.organisation

    def theme_labels(self) -> list[str]:
        return [Theme(value).label for value in self.themes if value in Theme.values]


class Referral(models.Model):
    """A request referred to a partner, with what the household agreed to share and the partner's answer."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name="partenaire")
    shared_data = models.JSONField("données partagées avec l'accord du ménage", default=list)
    sent_on = models.DateField("envoyée le")
    acknowledged_on = models.DateField("accusé de réception le", null=True, blank=True)
    answer = models.TextField("réponse du partenaire", blank=True)
    answered_on = models.DateField("réponse reçue le", null=True, blank=True)
    outcome = models.CharField(
        "issue", max_length=16, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING, db_index=True
    )
    reminder_due_on = models.DateField("relance prévue le", db_index=True)
    reminder_sent_at = models.DateTimeField("relance signalée le", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = "orientation"

    def __str__(self) -> str:
        return f"Orientation de la demande {self.request_id} vers {self.partner}"

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None or self.outcome != ReferralOutcome.PENDING
