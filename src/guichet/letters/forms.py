from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Appointment
from guichet.desk.models import Referral, Request
from guichet.households.models import Household
from guichet.letters.enums import LetterKind
from guichet.letters.models import LetterTemplate
from guichet.letters.rendering import LetterTemplateError, check_template
from guichet.letters.services import can_write_kind


def _referral_label(referral: Referral) -> str:
    return f"{referral.partner.organisation} (envoyée le {referral.sent_on:%d/%m/%Y})"


def _appointment_label(appointment: Appointment) -> str:
    return f"{timezone.localtime(appointment.starts_at):%d/%m/%Y à %H:%M} — {appointment.place.name}"


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label="Type de courrier")
    request = forms.ModelChoiceField(
        label="Demande concernée", queryset=Request.objects.none(), required=False, empty_label="— Aucune —"
    )
    referral = forms.ModelChoiceField(
        label="Orientation concernée", queryset=Referral.objects.none(), required=False, empty_label="— Aucune —"
    )
    appointment = forms.ModelChoiceField(
        label="Rendez-vous concerné",
        queryset=Appointment.objects.none(),
        required=False,
        empty_label="— Aucun —",
        help_text="Pour une convocation : sa date et son lieu figurent dans le courrier.",
    )

    def __init__(self, *args: Any, household: Household, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(k.value, k.label) for k in LetterKind if can_write_kind(user, k.value)]
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds
        demands = cast("forms.ModelChoiceField[Any]", self.fields["request"])
        demands.queryset = Request.objects.filter(household=household).order_by("-created_at")
        referrals = cast("forms.ModelChoiceField[Any]", self.fields["referral"])
        referrals.queryset = (
            Referral.objects.filter(request__household=household).select_related("partner").order_by("-sent_on")
        )
        referrals.label_from_instance = _referral_label  # type: ignore[method-assign,assignment]
        appointments = cast("forms.ModelChoiceField[Any]", self.fields["appointment"])
        appointments.queryset = (
            Appointment.objects.filter(household=household, status=AppointmentStatus.PLANNED)
            .select_related("place")
            .order_by("starts_at")
        )
        appointments.label_from_instance = _appointment_label  # type: ignore[method-assign,assignment]


class LetterTemplateForm(forms.ModelForm):  # type: ignore[type-arg]  # generic only in the stubs
    class Meta:
        model = LetterTemplate
        fields = ["title", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    def _checked(self, name: str) -> str:
        value: str = self.cleaned_data[name]
        try:
            check_template(value)
        except LetterTemplateError as error:
            raise forms.ValidationError(str(error)) from error
        return value

    def clean_title(self) -> str:
        return self._checked("title")

    def clean_body(self) -> str:
        return self._checked("body")
