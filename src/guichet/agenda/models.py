"""Places where agents receive households, and the appointments in their calendars."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.agenda.enums import AppointmentStatus, PlaceKind, Weekday
from guichet.desk.models import Request
from guichet.households.models import Household


class Place(models.Model):
    """A place of reception. ``is_example``: seeded for the demo commune, to be checked locally."""

    name = models.CharField("nom", max_length=120)
    kind = models.CharField("type", max_length=20, choices=PlaceKind.choices)
    address = models.CharField("adresse", max_length=200, blank=True)
    is_example = models.BooleanField("exemple", default=False)
    # A place is never deleted once it has appointments: it is deactivated (no new booking there).
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "lieu"

    def __str__(self) -> str:
        return self.name


class Appointment(models.Model):
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments", verbose_name="agent"
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="appointments", verbose_name="ménage"
    )
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments", verbose_name="demande"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="appointments", verbose_name="lieu")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    status = models.CharField(
        "statut", max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.PLANNED
    )
    reason = models.CharField("motif", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        indexes = [models.Index(fields=["agent", "starts_at"])]

    def __str__(self) -> str:
        return f"Rendez-vous n° {self.pk}"


class Availability(models.Model):
    """An agent's weekly opening slot at a place (``weekday``: 0 = Monday), optionally dated."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availabilities", verbose_name="agent"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="availabilities", verbose_name="lieu")
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    start_time = models.TimeField("début")
    end_time = models.TimeField("fin")
    valid_from = models.DateField("à partir du", null=True, blank=True)
    valid_until = models.DateField("jusqu'au", null=True, blank=True)

    class Meta:
        ordering = ["agent", "weekday", "start_time"]
        verbose_name = "créneau d'ouverture"
        verbose_name_plural = "créneaux d'ouverture"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="availability_end_after_start",
                violation_error_message="La fin du créneau doit être après son début.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class SmsMessage(models.Model):
    """An SMS as handed to the SMS backend. The default backend only records it here (nothing is sent)."""

    to = models.CharField("destinataire", max_length=32)
    body = models.CharField("texte", max_length=480)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "SMS"
        verbose_name_plural = "SMS"

    def __str__(self) -> str:
        return f"SMS à {self.to}"


class CalendarToken(models.Model):
    """The secret of an agent's iCalendar feed: only its SHA-256 is stored (the URL is shown once)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Flux iCalendar de {self.user}"
