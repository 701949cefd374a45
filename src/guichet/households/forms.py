from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.models import fields_for_model

from guichet.households.enums import ConsentScope, LinkKind, ResourceKind
from guichet.households.models import Charge, Household, Person
from guichet.households.perms import BREAK_GLASS_MIN_REASON
from guichet.households.services import (
    ADDRESS_FIELDS,
    HOUSEHOLD_CONTACT_FIELDS,
    HOUSEHOLD_SOCIAL_FIELDS,
    PERSON_HEALTH_FIELDS,
    AddressInput,
)
from guichet.territory.models import Address

# The commune's postcode and name prefill new addresses (most households live in the commune).
DEFAULT_POSTCODE = settings.GUICHET_COMMUNE_POSTCODE
DEFAULT_CITY = settings.GUICHET_COMMUNE_NAME


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label="Nom ou prénom", required=False, max_length=120)
    quartier = forms.ChoiceField(label="Quartier", required=False)
    qpv = forms.ChoiceField(
        label="Quartier prioritaire",
        required=False,
        choices=[("", "Tous"), ("oui", "En QPV"), ("non", "Hors QPV")],
    )

    def __init__(self, *args: object, quartiers: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["quartier"].choices = [("", "Tous les quartiers"), *quartiers]  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off", "spellcheck": "false"})


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'accès",
        min_length=BREAK_GLASS_MIN_REASON,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce motif est enregistré dans le journal d'audit et communiqué aux responsables.",
        error_messages={
            "required": "Le motif est obligatoire.",
            "min_length": f"Précisez le motif (au moins {BREAK_GLASS_MIN_REASON} caractères).",
        },
    )


# --- Writing the file ------------------------------------------------------------------------------

DATE_FORMATS = ["%d/%m/%Y", "%d%m%Y", "%Y-%m-%d"]


def _date_field(field: forms.Field) -> forms.DateField:
    return forms.DateField(
        label=field.label,
        required=field.required,
        input_formats=DATE_FORMATS,
        help_text="jj/mm/aaaa",
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "jj/mm/aaaa"}
        ),
        error_messages={"invalid": "Date attendue au format jj/mm/aaaa.", "required": "Ce champ est obligatoire."},
    )


class ModelFieldsForm(forms.Form):
    """A plain form whose fields come from a model (labels, choices, lengths), without touching an instance:
    the services do the writing."""

    model: type[models.Model]
    field_names: tuple[str, ...] = ()

    def __init__(self, *args: Any, field_names: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = tuple(field_names) if field_names is not None else self.field_names
        for name, field in fields_for_model(self.model, fields=names).items():
            if isinstance(field, forms.DateField):
                field = _date_field(field)
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})
            self.fields[name] = field
        self.order_fields(names)

    def changed_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class PersonForm(ModelFieldsForm):
    model = Person
    field_names = (
        "first_name",
        "last_name",
        "birth_name",
        "birth_date",
        "sex",
        "household_role",
        "occupation",
        "phone",
        "email",
        "disability_rate",
        "has_rqth",
        "has_disability_card",
        "is_pregnant",
    )

    def __init__(self, *args: Any, autofocus: bool = True, health: bool = True, **kwargs: Any) -> None:
        """``health``: with the disability and pregnancy fields (for those who follow households)."""
        names = kwargs.pop("field_names", self.field_names)
        if not health:
            names = tuple(name for name in names if name not in PERSON_HEALTH_FIELDS)
        super().__init__(*args, field_names=names, **kwargs)
        if autofocus:
            self.fields["first_name"].widget.attrs["autofocus"] = True
        for name in ("first_name", "last_name", "birth_name"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        if "disability_rate" in self.fields:
            self.fields["disability_rate"].validators.append(MaxValueValidator(100))
        self.fields["phone"].widget.attrs.update({"type": "tel", "inputmode": "tel"})


class AddressForm(forms.Form):
    number = forms.CharField(label="Numéro", max_length=16, required=False)
    street_name = forms.CharField(label="Voie", max_length=200, required=False, help_text="Ex. : rue de Paris")
    complement = forms.CharField(label="Complément", max_length=200, required=False)
    postcode = forms.CharField(label="Code postal", max_length=5, required=False, initial=DEFAULT_POSTCODE)
    city = forms.CharField(label="Commune", max_length=120, required=False, initial=DEFAULT_CITY)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("street_name") and not (data.get("postcode") and data.get("city")):
            raise forms.ValidationError("Indiquez le code postal et la commune de l'adresse.")
        return data

    def address(self) -> AddressInput | None:
        data = self.cleaned_data
        if not data.get("street_name"):
            return None
        return AddressInput(
            number=data["number"],
            street_name=data["street_name"],
            complement=data["complement"],
            postcode=data["postcode"],
            city=data["city"],
        )

    @staticmethod
    def initial_for(address: Address | None) -> dict[str, str]:
        if address is None:
            return {}
        return {name: getattr(address, name) for name in ADDRESS_FIELDS}


class HouseholdForm(ModelFieldsForm):
    """Contact fields for everyone who edits; the social situation only for those who follow households."""

    model = Household

    def __init__(self, *args: Any, social: bool, **kwargs: Any) -> None:
        names = HOUSEHOLD_CONTACT_FIELDS + (HOUSEHOLD_SOCIAL_FIELDS if social else ())
        super().__init__(*args, field_names=names, **kwargs)
        self.fields["phone"].widget.attrs.update({"type": "tel", "inputmode": "tel"})


class ResourceForm(forms.Form):
    person = forms.ModelChoiceField(label="Bénéficiaire", queryset=Person.objects.none(), required=False)
    kind = forms.ChoiceField(label="Nature", choices=ResourceKind.choices)
    month = forms.DateField(
        label="Mois",
        input_formats=["%m/%Y", "%Y-%m"],
        help_text="mm/aaaa",
        widget=forms.DateInput(format="%m/%Y", attrs={"inputmode": "numeric", "placeholder": "mm/aaaa"}),
        error_messages={"invalid": "Mois attendu au format mm/aaaa."},
    )
    amount = forms.DecimalField(label="Montant net mensuel (€)", min_value=0, max_digits=9, decimal_places=2)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = household.people.all()  # type: ignore[attr-defined]
        field.empty_label = "Le ménage (prestation familiale ou logement)"  # type: ignore[attr-defined]


class ChargeForm(ModelFieldsForm):
    model = Charge
    field_names = ("kind", "label", "amount")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].validators.append(MinValueValidator(0))


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label="Objet du consentement", choices=ConsentScope.choices)
    given_on = forms.DateField(
        label="Recueilli le",
        input_formats=DATE_FORMATS,
        help_text="jj/mm/aaaa ; laisser vide pour aujourd'hui",
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "jj/mm/aaaa"}),
    )


class PersonLinkForm(forms.Form):
    from_person = forms.ModelChoiceField(label="Personne", queryset=Person.objects.none())
    kind = forms.ChoiceField(label="Lien", choices=LinkKind.choices)
    to_person = forms.ModelChoiceField(label="de", queryset=Person.objects.none())

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_person", "to_person"):
            self.fields[name].queryset = household.people.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_person") and data.get("from_person") == data.get("to_person"):
            raise forms.ValidationError("Choisissez deux personnes différentes.")
        return data


class MergeChoiceForm(forms.Form):
    source = forms.CharField(
        label="Référence du dossier à fusionner dans celui-ci",
        max_length=20,
        help_text="Ce dossier sera supprimé après avoir transféré tout son contenu.",
    )

    def clean_source(self) -> Household:
        reference = self.cleaned_data["source"].strip().upper()
        household = Household.objects.filter(reference__iexact=reference).first()
        if household is None:
            raise forms.ValidationError("Aucun dossier ne porte cette référence.")
        return household
