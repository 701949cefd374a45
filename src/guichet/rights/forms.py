"""The « et si… » form of the rights page."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from guichet.households.enums import HousingStatus
from guichet.rights.scenarios import SCENARIO_LABELS, SMIC_NET_MONTHLY, Scenario


class ScenarioForm(forms.Form):
    kind = forms.ChoiceField(label="Changement", choices=list(SCENARIO_LABELS.items()), widget=forms.RadioSelect)
    salary = forms.DecimalField(
        label="Salaire net mensuel (emploi)",
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        initial=SMIC_NET_MONTHLY,
        required=False,
        help_text="Par défaut, le SMIC net à temps plein.",
    )
    rent = forms.DecimalField(
        label="Nouveau loyer mensuel (déménagement)",
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        required=False,
    )
    housing_status = forms.ChoiceField(
        label="Nouveau logement (déménagement)",
        choices=[("", "Inchangé"), *HousingStatus.choices],
        required=False,
    )

    def scenario(self) -> Scenario:
        data = self.cleaned_data
        return Scenario(
            kind=data["kind"],
            salary=data["salary"] if data["salary"] is not None else SMIC_NET_MONTHLY,
            rent=data["rent"],
            housing_status=data["housing_status"],
        )
