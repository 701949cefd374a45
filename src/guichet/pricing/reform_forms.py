"""Forms of the reform simulator: a new simulation, and a service's draft (the grid editor's
``GridForm`` reused as is, plus the attendance assumptions)."""

from __future__ import annotations

from django import forms

from guichet.pricing.models import MunicipalService, ReformPopulation

NUMBER = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class SimulationForm(forms.Form):
    title = forms.CharField(label="Intitulé de la simulation", max_length=200)
    population = forms.ChoiceField(
        label="Population",
        choices=ReformPopulation.choices,
        initial=ReformPopulation.FILE,
        widget=forms.RadioSelect,
        help_text="La commune synthétique est une population fictive de démonstration.",
    )


class AddServiceForm(forms.Form):
    service = forms.ModelChoiceField(
        label="Service à réformer", queryset=MunicipalService.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args: object, exclude: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = MunicipalService.objects.exclude(slug__in=exclude or []).filter(grids__isnull=False).distinct()


class AssumptionsForm(forms.Form):
    unites_par_mois = forms.CharField(
        label="Unités par mois pour une personne qui fréquente le service",
        max_length=10,
        widget=NUMBER,
        help_text="Par exemple 16 repas, 40 heures, 4 journées.",
    )
    frequentation = forms.CharField(
        label="Part des personnes concernées qui fréquentent le service (%)",
        max_length=10,
        widget=NUMBER,
        help_text="Par exemple 70 : sept enfants sur dix de l'âge du service y déjeunent.",
    )
