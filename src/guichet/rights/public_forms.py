"""The public rights simulator's questionnaire: plain French, one column, nothing stored."""

from __future__ import annotations

from django import forms

from guichet.desk.public_contact import CONTACT_TIMES, ContactForm
from guichet.households.enums import HousingStatus
from guichet.widgets import SITUATIONS, ChildrenAgesField, euro_field

HOUSING = [
    (HousingStatus.SOCIAL_TENANT.value, "Locataire d'un logement social (HLM)"),
    (HousingStatus.PRIVATE_TENANT.value, "Locataire d'un logement privé"),
    (HousingStatus.OWNER.value, "Propriétaire"),
    (HousingStatus.HOSTED.value, "Hébergé·e gratuitement"),
]
# resource kind -> label of its field, in the order of the questionnaire
INCOME_KINDS = {
    "salaire": "Salaire net",
    "chomage": "Allocation chômage",
    "retraite": "Retraite",
    "pension_invalidite": "Pension d'invalidité",
    "aah": "AAH déjà perçue",
}
ADULTS = ("adulte1", "adulte2")


class SimulatorForm(forms.Form):
    situation = forms.ChoiceField(label="Vous vivez", choices=SITUATIONS, widget=forms.RadioSelect, initial="seul")
    children_ages = ChildrenAgesField(label="Âge de chaque enfant à charge")
    housing_status = forms.ChoiceField(label="Votre logement", choices=HOUSING, widget=forms.RadioSelect)
    rent = euro_field("Loyer mensuel, charges comprises (si vous êtes locataire)")
    postcode = forms.RegexField(
        label="Code postal",
        regex=r"^\d{5}$",
        initial="76800",
        error_messages={"invalid": "Indiquez un code postal de 5 chiffres."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for adult in ADULTS:
            for kind, label in INCOME_KINDS.items():
                self.fields[f"{adult}_{kind}"] = euro_field(f"{label} par mois")

    def adult_fields(self, adult: str) -> list[forms.BoundField]:
        return [self[f"{adult}_{kind}"] for kind in INCOME_KINDS]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        tenant = data.get("housing_status") in (HousingStatus.SOCIAL_TENANT, HousingStatus.PRIVATE_TENANT)
        if tenant and not data.get("rent"):
            self.add_error("rent", "Indiquez votre loyer mensuel : il compte pour l'aide au logement.")
        return data


CALLBACK_CONSENT = "J'accepte que le CCAS conserve ces informations pour me rappeler"


class CallbackForm(ContactForm):
    """« Être rappelé·e par le CCAS », at the end of a simulation: posted with the simulation's answers
    (prefix ``rappel``). Only a ticked consent lets anything be stored."""

    field_order = ("name", "phone", "email", "preferred_time")

    name = forms.CharField(
        label="Votre nom et prénom", max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    preferred_time = forms.ChoiceField(
        label="Quand préférez-vous être appelé·e ?",
        choices=CONTACT_TIMES,
        widget=forms.RadioSelect,
        initial="indifferent",
    )
    precision = forms.CharField(
        label="Précision (facultatif)",
        required=False,
        max_length=200,
        help_text="Par exemple : pas le mercredi, ou une langue parlée.",
    )
    consent = forms.BooleanField(
        label=CALLBACK_CONSENT,
        error_messages={
            "required": (
                "Cochez cette case pour que le CCAS puisse vous rappeler. Sans votre accord, rien n'est enregistré."
            )
        },
    )
