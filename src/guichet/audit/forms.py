"""The audit search form: every filter optional, invalid ones reported and left out."""

from __future__ import annotations

from typing import Any

from django import forms

from guichet.audit.enums import Action


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AuditSearchForm(forms.Form):
    user = forms.CharField(label="Utilisateur", required=False, max_length=150, help_text="Identifiant, même partiel.")
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Toutes les actions"), *Action.choices])
    target_type = forms.CharField(
        label="Type de cible", required=False, max_length=64, help_text="Par exemple household, user, audit."
    )
    target_id = forms.CharField(label="Identifiant de la cible", required=False, max_length=64)
    date_from = forms.DateField(label="Du", required=False, widget=DateInput())
    date_to = forms.DateField(label="Au (inclus)", required=False, widget=DateInput())
    reason = forms.CharField(label="Motif contenant", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("user", "target_type", "target_id", "reason"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "La date de fin doit suivre la date de début.")
        return cleaned
