"""The public tariff calculator's form: a few figures a resident knows, nothing stored."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from guichet.widgets import parse_ages

SITUATIONS = [("seul", "Seul·e"), ("couple", "En couple")]


def _amount(label: str, help_text: str, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(10_000_000),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class TariffCalculatorForm(forms.Form):
    situation = forms.ChoiceField(label="Situation", choices=SITUATIONS, widget=forms.RadioSelect, initial="seul")
    children_ages = forms.CharField(
        label="Âge des enfants à charge",
        help_text="Séparés par des virgules, par exemple : 3, 7. Laissez vide si vous n'avez pas d'enfant.",
        required=False,
        max_length=100,
    )
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

    def clean_children_ages(self) -> list[int]:
        return parse_ages(self.cleaned_data.get("children_ages") or "")
