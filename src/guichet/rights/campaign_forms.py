"""Forms of the non-take-up campaign pages: new campaign, list filters, bulk assignment, outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from guichet.rights.campaigns import BENEFIT_LABELS, TargetFilters
from guichet.rights.models import CampaignGroup, CampaignScope, TargetOutcome
from guichet.widgets import IsoDateInput

EMPTY = [("", "Tous")]
GAP_CHOICES = [("non_percue", "Non perçue"), ("ecart", "Perçue trop bas (écart)")]


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    """The current month, the two before and the three after."""
    months = []
    for offset in range(-2, 4):
        year, month = divmod(today.month - 1 + offset, 12)
        day = dt.date(today.year + year, month + 1, 1)
        months.append((f"{day:%Y-%m}", f"{day:%m/%Y}"))
    return months


class CampaignForm(forms.Form):
    name = forms.CharField(label="Nom de la campagne", max_length=200)
    month = forms.ChoiceField(label="Mois simulé")
    scope = forms.ChoiceField(
        label="Ménages concernés", choices=CampaignScope.choices, initial=CampaignScope.ALL, widget=forms.RadioSelect
    )
    quartier = forms.TypedChoiceField(label="Quartier", coerce=int, required=False, empty_value=None)
    group = forms.ChoiceField(label="Public cible", choices=[("", "—"), *CampaignGroup.choices], required=False)

    def __init__(self, *args: Any, quartiers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["month"].choices = month_choices(today)  # type: ignore[attr-defined]
        self.fields["month"].initial = f"{today:%Y-%m}"
        self.fields["quartier"].choices = [("", "—"), *quartiers]  # type: ignore[attr-defined]
        self.fields["name"].widget.attrs["autofocus"] = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == CampaignScope.QUARTIER and not data.get("quartier"):
            self.add_error("quartier", "Choisissez le quartier.")
        if data.get("scope") == CampaignScope.GROUP and not data.get("group"):
            self.add_error("group", "Choisissez le public cible.")
        return data

    def month_date(self) -> dt.date:
        return dt.date.fromisoformat(f"{self.cleaned_data['month']}-01")


class TargetFilterForm(forms.Form):
    prestation = forms.ChoiceField(label="Prestation", required=False)
    quartier = forms.ChoiceField(label="Quartier", required=False)
    agent = forms.TypedChoiceField(label="Agent", coerce=int, required=False, empty_value=None)
    suite = forms.ChoiceField(label="Suite du contact", choices=EMPTY + TargetOutcome.choices, required=False)
    type = forms.ChoiceField(label="Type", choices=[*EMPTY, *GAP_CHOICES], required=False)

    def __init__(
        self, *args: Any, quartiers: list[tuple[str, str]], agents: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prestation"].choices = EMPTY + list(BENEFIT_LABELS.items())  # type: ignore[attr-defined]
        self.fields["quartier"].choices = [*EMPTY, *quartiers, ("-", "Sans quartier")]  # type: ignore[attr-defined]
        self.fields["agent"].choices = [*EMPTY, (0, "Non attribué"), *agents]  # type: ignore[attr-defined]

    def filters(self) -> TargetFilters:
        if not self.is_valid():
            return TargetFilters()
        data = self.cleaned_data
        return TargetFilters(
            benefit=data["prestation"] or "",
            quartier=data["quartier"] or "",
            agent=data["agent"],
            outcome=data["suite"],
            gap={"ecart": True, "non_percue": False}.get(data["type"]),
        )


class AssignForm(forms.Form):
    agent = forms.TypedChoiceField(label="Attribuer les ménages cochés à", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, agents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [("", "— Personne (retirer l'attribution) —"), *agents]  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Suite du contact", choices=TargetOutcome.choices)
    contacted_on = forms.DateField(
        label="Date du contact",
        required=False,
        widget=IsoDateInput(),
        help_text="Par défaut, aujourd'hui.",
    )
    claimed_monthly = forms.DecimalField(
        label="Montant mensuel obtenu (€)",
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        required=False,
        help_text="Seulement pour une demande faite, quand la décision est connue.",
    )
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
