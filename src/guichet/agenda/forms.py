"""Forms of the agenda (validation of input only; the writes are in services.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from guichet.agenda.enums import AppointmentStatus, Weekday
from guichet.agenda.models import Availability, Place
from guichet.widgets import IsoDateInput

DURATION_CHOICES = [(15, "15 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "1 heure"), (90, "1 h 30")]


def offered_places(keep: int | None = None) -> QuerySet[Place]:
    """The active places; ``keep`` (the place already chosen) stays valid even if it has closed since."""
    places = Place.objects.filter(is_active=True)
    if keep is not None:
        places = Place.objects.filter(pk=keep) | places
    return places


class SlotForm(forms.Form):
    """Day, start time, duration and place, in the order an agent types them."""

    day = forms.DateField(label="Jour", widget=IsoDateInput())
    start = forms.TimeField(label="Heure de début", widget=forms.TimeInput(attrs={"type": "time"}))
    duration = forms.TypedChoiceField(
        label="Durée",
        coerce=int,
        choices=DURATION_CHOICES,
        initial=30,
    )
    place = forms.ModelChoiceField(label="Lieu", queryset=Place.objects.all(), empty_label="— Choisir —")

    def __init__(self, *args: Any, keep_place: int | None = None, **kwargs: Any) -> None:
        """Only active places are offered; ``keep_place`` (the appointment's current place) stays valid."""
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = offered_places(keep_place)  # type: ignore[attr-defined]

    def slot(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["start"]))
        return starts_at, starts_at + dt.timedelta(minutes=data["duration"])


class BookForm(SlotForm):
    agent = forms.TypedChoiceField(label="Agent", coerce=int)
    reason = forms.CharField(label="Motif", max_length=200, required=False)

    field_order = ["agent", "day", "start", "duration", "place", "reason"]

    def __init__(self, *args: Any, agents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = agents  # type: ignore[attr-defined]


class MarkForm(forms.Form):
    status = forms.ChoiceField(choices=[(AppointmentStatus.HONOURED, "Honoré"), (AppointmentStatus.NO_SHOW, "Absent")])


class FreeSlotsForm(forms.Form):
    """Whose free slots to propose on the booking form, and for how long (a GET form)."""

    agent = forms.TypedChoiceField(label="Créneaux libres de", coerce=int)
    duree = forms.TypedChoiceField(label="Durée", coerce=int, choices=DURATION_CHOICES, initial=30)

    def __init__(self, *args: Any, agents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = agents  # type: ignore[attr-defined]


class AgentWeekForm(forms.Form):
    """Whose week to show (users who book for colleagues)."""

    agent = forms.TypedChoiceField(label="Agenda de", coerce=int)

    def __init__(self, *args: Any, agents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = agents  # type: ignore[attr-defined]


class PlaceForm(forms.ModelForm):  # type: ignore[type-arg]  # ModelForm is generic only in the stubs
    class Meta:
        model = Place
        fields = ["name", "kind", "address", "is_active"]
        help_texts = {"is_active": "Un lieu inactif garde ses rendez-vous passés mais n'en reçoit plus de nouveaux."}


class AvailabilityForm(forms.ModelForm):  # type: ignore[type-arg]  # ModelForm is generic only in the stubs
    agent_id = forms.TypedChoiceField(label="Agent", coerce=int)

    class Meta:
        model = Availability
        fields = ["place", "weekday", "start_time", "end_time", "valid_from", "valid_until"]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
            "valid_from": IsoDateInput(),
            "valid_until": IsoDateInput(),
        }
        help_texts = {"valid_from": "Laisser vide : sans date de début.", "valid_until": "Laisser vide : sans fin."}

    field_order = ["agent_id", "weekday", "start_time", "end_time", "place", "valid_from", "valid_until"]

    def __init__(self, *args: Any, agents: list[tuple[int, str]], **kwargs: Any) -> None:
        """``agents``: whom the user may give slots to (only themselves unless responsable)."""
        super().__init__(*args, **kwargs)
        self.fields["agent_id"].choices = agents  # type: ignore[attr-defined]
        keep = self.instance.place_id if self.instance.pk is not None else None
        self.fields["place"].queryset = offered_places(keep)  # type: ignore[attr-defined]
        self.fields["place"].empty_label = "— Choisir —"  # type: ignore[attr-defined]
        self.fields["weekday"].choices = [("", "— Choisir —"), *Weekday.choices]  # type: ignore[attr-defined]
        if len(agents) == 1:
            self.fields["agent_id"].widget = forms.HiddenInput()
        if self.instance.pk is not None:
            self.initial.setdefault("agent_id", self.instance.agent_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "La fin du créneau doit être après son début.")
        since, until = data.get("valid_from"), data.get("valid_until")
        if since and until and until < since:
            self.add_error("valid_until", "La date de fin de validité doit être après la date de début.")
        return data
