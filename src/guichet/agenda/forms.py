"""Forms of the agenda (validation of input only; the writes are in services.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Place
from guichet.widgets import IsoDateInput


class SlotForm(forms.Form):
    """Day, start time, duration and place, in the order an agent types them."""

    day = forms.DateField(label="Jour", widget=IsoDateInput())
    start = forms.TimeField(label="Heure de début", widget=forms.TimeInput(attrs={"type": "time"}))
    duration = forms.TypedChoiceField(
        label="Durée",
        coerce=int,
        choices=[(15, "15 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "1 heure"), (90, "1 h 30")],
        initial=30,
    )
    place = forms.ModelChoiceField(label="Lieu", queryset=Place.objects.all(), empty_label="— Choisir —")

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
