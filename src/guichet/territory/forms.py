"""Forms of the territory screens: a street row and the CSV import of street rows."""

from __future__ import annotations

from django import forms

from guichet.territory.models import Quartier

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class StreetQuartierForm(forms.Form):
    street_name = forms.CharField(
        label="Nom de la voie",
        max_length=200,
        help_text="Sans numéro, par exemple « rue Jean-Jaurès ». Les accents, majuscules et abréviations "
        "courantes (av., bd, pl.) sont ignorés pour le rapprochement des adresses.",
    )
    quartier = forms.ModelChoiceField(label="Quartier", queryset=Quartier.objects.order_by("name"), empty_label=None)


class StreetImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Une ligne d'en-tête avec les colonnes « voie » et « quartier », séparées par des "
        "points-virgules ou des virgules, encodage UTF-8. Les voies déjà présentes sont mises à jour.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("Fichier trop volumineux (2 Mo au plus).")
        return upload
