from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from guichet.households.models import Household, Person
from guichet.records.enums import DocumentType
from guichet.records.services import NOTE_MAX_LENGTH
from guichet.records.uploads import ACCEPTED_LABEL, format_size
from guichet.widgets import IsoDateInput


class DocumentUploadForm(forms.Form):
    type = forms.ChoiceField(label="Type de pièce", choices=[("", "— Choisir —"), *DocumentType.choices])
    person = forms.ModelChoiceField(
        label="Personne concernée", queryset=Person.objects.none(), required=False, empty_label="Le ménage"
    )
    expires_on = forms.DateField(
        label="Date d'expiration",
        required=False,
        widget=IsoDateInput(),
        help_text="Facultative ; une alerte s'affiche 30 jours avant.",
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )
    file = forms.FileField(
        label="Fichier",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={"required": "Choisissez un fichier.", "empty": "Le fichier est vide."},
    )

    def __init__(self, *args: Any, household: Household, upload_too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        max_size = format_size(settings.GUICHET_DOCUMENT_MAX_BYTES)
        if upload_too_large:  # the handler stopped reading it: the field is empty, say why
            self.fields["file"].error_messages["required"] = f"Le fichier dépasse la taille maximale de {max_size}."
        self.fields["person"].queryset = household.people.all()  # type: ignore[attr-defined]
        self.fields["type"].error_messages["required"] = "Choisissez le type de pièce."
        self.fields["file"].help_text = f"{ACCEPTED_LABEL}, {max_size} au plus."


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "La note est vide."},
    )
    is_sensitive = forms.BooleanField(
        label="Note sensible (visible seulement par vous et les responsables)", required=False
    )
