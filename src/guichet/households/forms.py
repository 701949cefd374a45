from __future__ import annotations

from django import forms

from guichet.households.perms import BREAK_GLASS_MIN_REASON


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
