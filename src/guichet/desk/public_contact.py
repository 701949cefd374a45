"""What the public pages that ask to be contacted share (the online request here, the rights
simulator's callback above): the contact fields and their checks, and a per-address rate limit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest

from guichet.audit.services import client_ip

CONTACT_TIMES = [
    ("matin", "Le matin (9 h – 12 h)"),
    ("apres_midi", "L'après-midi (14 h – 17 h)"),
    ("indifferent", "Peu importe"),
]
CONTACT_WHEN = {"matin": "le matin", "apres_midi": "l'après-midi", "indifferent": "à tout moment"}  # in a sentence
PHONE_CHARACTERS = set("0123456789 +.-()")


class ContactForm(forms.Form):
    """A telephone number or an e-mail address (at least one), checked the same way everywhere."""

    phone = forms.CharField(
        label="Téléphone",
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="Courriel",
        required=False,
        help_text="Un téléphone ou un courriel suffit.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Indiquez une adresse de courriel complète, par exemple nom@exemple.fr."},
    )

    def clean_phone(self) -> str:
        phone = " ".join(str(self.cleaned_data.get("phone") or "").split())
        digits = sum(ch.isdigit() for ch in phone)
        if phone and (set(phone) - PHONE_CHARACTERS or not 10 <= digits <= 15):
            raise forms.ValidationError("Indiquez un numéro de téléphone de 10 chiffres, par exemple 06 12 34 56 78.")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email") and not {"phone", "email"} & set(self.errors):
            self.add_error("phone", "Indiquez un téléphone ou un courriel pour que le CCAS puisse vous joindre.")
        return data


def over_rate_limit(request: HttpRequest, *, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one use of ``scope`` by the caller's address; True once it passed ``limit`` in ``window``
    seconds (the counter lives in the cache: Redis, shared by every worker, in production)."""
    key = f"public:{scope}:{client_ip(request) or 'inconnu'}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        return int(cache.incr(key)) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
