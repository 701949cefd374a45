"""The public tariff calculator's form: a few figures a resident knows, nothing stored."""

from __future__ import annotations

from django import forms

from guichet.widgets import SITUATIONS, ChildrenAgesField, euro_field


def _amount(label: str, help_text: str) -> forms.DecimalField:
    return euro_field(label, help_text=help_text, max_value=10_000_000, max_digits=12)


class TariffCalculatorForm(forms.Form):
    situation = forms.ChoiceField(label="Situation", choices=SITUATIONS, widget=forms.RadioSelect, initial="seul")
    children_ages = ChildrenAgesField(label="Âge des enfants à charge")
    annual_income = _amount(
        "Revenus annuels du foyer il y a deux ans (N-2)",
        "Total des revenus avant abattements, en euros, tel qu'il figure sur l'avis d'imposition.",
    )
    family_benefits = _amount(
        "Prestations familiales par mois",
        "Allocations familiales, complément familial, allocation de soutien familial… en euros par mois.",
    )
    caf_quotient = _amount(
        "Ou directement votre quotient familial CAF",
        "Si vous avez une attestation de quotient familial de la CAF ou de la MSA : il remplace le calcul.",
    )
    is_resident = forms.BooleanField(label="J'habite Saint-Étienne-du-Rouvray", required=False, initial=True)
