"""The grid editor: a form over the fields of a grid's dict form; the rules core validates it and
its ``GridError`` paths are mapped back to the fields, so nothing typed is lost."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from guichet.pricing.enums import ServiceKind
from guichet.pricing.models import MunicipalService
from guichet.rules.tariffs import GridError
from guichet.widgets import IsoDateInput

BRACKET_ROWS = 8
RULE_CHOICES = [
    ("tranches", "Tranches de quotient"),
    ("taux_effort", "Taux d'effort (avec plancher et plafond)"),
    ("psu", "Barème national CNAF (crèche, PSU)"),
    ("forfait", "Tarif unique"),
]
BASIS_CHOICES = [("quotient", "Quotient familial"), ("ressources", "Ressources mensuelles")]
ROUNDING_CHOICES = [("0.01", "Au centime"), ("0.05", "Aux 5 centimes"), ("0.10", "Aux 10 centimes"), ("1", "À l'euro")]
MODE_CHOICES = [("half_up", "Au plus proche"), ("down", "Inférieur"), ("up", "Supérieur")]
DATE = IsoDateInput()
NUMBER = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
# paths of the grid's dict form -> form fields, for the fields named like the keys
DIRECT = {
    "regle": "type",
    "regle.type": "type",
    "regle.base": "base",
    "regle.taux": "taux",
    "regle.plancher": "plancher",
    "regle.plafond": "plafond",
    "regle.prix": "prix",
    "regle.tranches": "tranche_0_min",
    "debut": "debut",
    "fin": "fin",
    "deliberation_date": "deliberation_date",
    "arrondi": "arrondi",
    "arrondi_mode": "arrondi_mode",
    "prix_decroissants_autorises": "prix_decroissants_autorises",
}
BRACKET_PATH = re.compile(r"^regle\.tranches\[(\d+)\](?:\.(min|max|prix))?$")


def _number(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=20, widget=NUMBER, help_text=help_text)


class GridForm(forms.Form):
    type = forms.ChoiceField(label="Type de règle", choices=RULE_CHOICES)
    base = forms.ChoiceField(label="Base", choices=BASIS_CHOICES, required=False, initial="quotient")
    taux = _number("Taux d'effort (%)", "Prix = base × taux ÷ 100, par exemple 0,36.")
    plancher = _number("Plancher (€)")
    plafond = _number("Plafond (€)")
    prix = _number("Tarif unique (€)")
    fratrie_rang = forms.IntegerField(label="Réduction fratrie à partir du rang", required=False, min_value=2)
    fratrie_pourcentage = _number("Réduction fratrie (%)")
    hors_commune_pourcentage = _number("Majoration hors commune (%)")
    debut = forms.CharField(label="En vigueur à partir du", widget=DATE)
    fin = forms.CharField(label="Jusqu'au (inclus, facultatif)", required=False, widget=DATE)
    deliberation = forms.CharField(label="Référence de la délibération", max_length=200, required=False)
    deliberation_date = forms.CharField(label="Date de la délibération", required=False, widget=DATE)
    arrondi = forms.ChoiceField(label="Arrondi", choices=ROUNDING_CHOICES, initial="0.01")
    arrondi_mode = forms.ChoiceField(label="Sens de l'arrondi", choices=MODE_CHOICES, initial="half_up")
    prix_decroissants_autorises = forms.BooleanField(
        label="Prix décroissants autorisés (si la délibération le prévoit)", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(BRACKET_ROWS):
            self.fields[f"tranche_{index}_min"] = _number(f"Tranche {index + 1} : à partir de (€)")
            self.fields[f"tranche_{index}_prix"] = _number(f"Tranche {index + 1} : prix (€)")

    def bracket_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"tranche_{i}_min"], self[f"tranche_{i}_prix"]) for i in range(BRACKET_ROWS)]

    def _filled_rows(self) -> list[int]:
        data = self.cleaned_data
        return [i for i in range(BRACKET_ROWS) if data.get(f"tranche_{i}_min") or data.get(f"tranche_{i}_prix")]

    def grid_data(self) -> dict[str, Any]:
        """The grid's dict form from the cleaned fields (each bracket ends where the next one starts)."""
        data = self.cleaned_data
        kind = data["type"]
        rule: dict[str, Any] = {"type": kind}
        if kind == "tranches":
            rows = self._filled_rows()
            starts = [data[f"tranche_{i}_min"] for i in rows]
            rule["base"] = data["base"] or "quotient"
            rule["tranches"] = [
                {
                    "min": data[f"tranche_{i}_min"],
                    "max": (starts[n + 1] if n + 1 < len(rows) else None),
                    "prix": data[f"tranche_{i}_prix"],
                }
                for n, i in enumerate(rows)
            ]
        elif kind == "taux_effort":
            rule.update(
                base=data["base"] or "quotient", taux=data["taux"], plancher=data["plancher"], plafond=data["plafond"]
            )
        elif kind == "forfait":
            rule["prix"] = data["prix"]
        modifiers: list[dict[str, Any]] = []
        if data.get("fratrie_rang") is not None or data.get("fratrie_pourcentage"):
            modifiers.append(
                {
                    "type": "fratrie",
                    "a_partir_du_rang": data.get("fratrie_rang"),
                    "pourcentage": data["fratrie_pourcentage"],
                }
            )
        if data.get("hors_commune_pourcentage"):
            modifiers.append({"type": "hors_commune", "pourcentage": data["hors_commune_pourcentage"]})
        return {
            "regle": rule,
            "modulations": modifiers,
            "debut": data["debut"],
            "fin": data["fin"] or None,
            "deliberation": data["deliberation"],
            "deliberation_date": data["deliberation_date"] or None,
            "arrondi": data["arrondi"],
            "arrondi_mode": data["arrondi_mode"],
            "prix_decroissants_autorises": data["prix_decroissants_autorises"],
        }

    def add_grid_errors(self, error: GridError, data: dict[str, Any]) -> None:
        """Put each of the rules core's errors on the field it is about (or on the form)."""
        rows = self._filled_rows()
        modifier_fields = [
            "fratrie_pourcentage" if m["type"] == "fratrie" else "hors_commune_pourcentage" for m in data["modulations"]
        ]
        for item in error.errors:
            self.add_error(self._field_for(item.path, rows, modifier_fields), item.message)

    def _field_for(self, path: str, rows: list[int], modifier_fields: list[str]) -> str | None:
        if path in DIRECT:
            return DIRECT[path]
        match = BRACKET_PATH.match(path)
        if match:
            index, key = int(match.group(1)), match.group(2)
            if key == "max":  # a bracket ends where the next one starts
                index += 1
            if index < len(rows):
                return f"tranche_{rows[index]}_{'prix' if key == 'prix' else 'min'}"
            return None
        modifier = re.match(r"^modulations\[(\d+)\](?:\.(\w+))?$", path)
        if modifier and int(modifier.group(1)) < len(modifier_fields):
            field = modifier_fields[int(modifier.group(1))]
            return "fratrie_rang" if modifier.group(2) == "a_partir_du_rang" else field
        return None


def grid_initial(data: dict[str, Any]) -> dict[str, Any]:
    """Form values from a grid's dict form (to start a new version from the one in force)."""
    rule = data.get("regle") or {}
    initial: dict[str, Any] = {
        "type": rule.get("type", "tranches"),
        "base": rule.get("base", "quotient"),
        "taux": rule.get("taux") or "",
        "plancher": rule.get("plancher") or "",
        "plafond": rule.get("plafond") or "",
        "prix": rule.get("prix") or "",
        "arrondi": data.get("arrondi", "0.01"),
        "arrondi_mode": data.get("arrondi_mode", "half_up"),
        "prix_decroissants_autorises": data.get("prix_decroissants_autorises", False),
    }
    for index, bracket in enumerate(rule.get("tranches", [])[:BRACKET_ROWS]):
        initial[f"tranche_{index}_min"] = bracket["min"]
        initial[f"tranche_{index}_prix"] = bracket["prix"]
    for modifier in data.get("modulations", []):
        if modifier["type"] == "fratrie":
            initial.update(fratrie_rang=modifier["a_partir_du_rang"], fratrie_pourcentage=modifier["pourcentage"])
        else:
            initial["hors_commune_pourcentage"] = modifier["pourcentage"]
    return initial


# --- a service of the catalogue -----------------------------------------------------------------


class ServiceForm(forms.Form):
    """A municipal service's description; the service (``municipal_service_create/update``) checks
    the rest (unique name, ages in order) and its errors come back on the fields."""

    name = forms.CharField(label="Nom du service", max_length=120)
    kind = forms.ChoiceField(label="Nature", choices=ServiceKind.choices)
    unit = forms.CharField(
        label="Unité facturée",
        max_length=40,
        help_text="Repas, heure, journée, mois… Les grilles déjà adoptées gardent leur unité ; "
        "la nouvelle unité vaut pour les prochaines grilles.",
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    min_age = forms.IntegerField(
        label="Âge minimum", required=False, min_value=0, max_value=130, help_text="Vide : pas d'âge minimum."
    )
    max_age = forms.IntegerField(
        label="Âge maximum (inclus)", required=False, min_value=0, max_value=130, help_text="Vide : pas d'âge maximum."
    )
    position = forms.IntegerField(
        label="Ordre d'affichage", min_value=0, max_value=32767, initial=0, help_text="Les plus petits d'abord."
    )
    is_example = forms.BooleanField(
        label="Exemple (démonstration) : ce ne sont pas les tarifs adoptés par la commune",
        required=False,
        label_suffix="",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", "L'âge maximum doit être supérieur ou égal à l'âge minimum.")
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def service_initial(service: MunicipalService) -> dict[str, Any]:
    return {name: getattr(service, name) for name in ServiceForm.base_fields}
