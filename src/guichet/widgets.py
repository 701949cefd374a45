"""Form widgets, fields and parsers shared by every app (imports no app)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms


class IsoDateInput(forms.DateInput):
    """``<input type=date>`` only reads ISO dates: the French display format would leave it empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def iso_day(value: str | None, default: dt.date) -> dt.date:
    """A day given in a URL (``?du=2026-11-30``), or ``default`` when it is missing, unreadable or
    out of the years a person could mean (1900–2999)."""
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return default
    return day if 1900 <= day.year <= 2999 else default


MAX_CHILD_AGE = 25


def parse_ages(raw: str, max_age: int = MAX_CHILD_AGE) -> list[int]:
    """Ages typed as « 4, 7 » (commas or semicolons); a French ValidationError names a wrong one."""
    ages = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not (part.isascii() and part.isdigit()) or int(part) > max_age:
            raise forms.ValidationError(
                f"« {part} » n'est pas un âge valide : indiquez des nombres entiers de 0 à {max_age}, "
                "séparés par des virgules."
            )
        ages.append(int(part))
    return ages


# The household situation asked by the public calculators (tariffs, rights).
SITUATIONS = [("seul", "Seul·e"), ("couple", "En couple")]


# Spaces between thousands, as written in French (« 24 000 »), plain or pasted from a document
# (no-break, narrow no-break, thin).
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


class EuroField(forms.DecimalField):
    """An amount in euros typed as text: « 24 000,50 », « 24000.50 », « 1 234 € » and « 12€50 » all read
    as numbers (Django's own field refuses the spaces, which every French writer puts there)."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # django-stubs: int
        if isinstance(value, str):
            head, euro, cents = value.translate(_SPACES).partition("€")
            if not euro or not cents:
                value = head  # « 1 234 € »
            elif not any(separator in head + cents for separator in ",."):
                value = f"{head},{cents}"  # « 12€50 »
            # otherwise the euro sign stays, and the amount is refused as not a number
        return super().to_python(value)


def euro_field(
    label: str, *, help_text: str = "", required: bool = False, max_value: int = 1_000_000, max_digits: int = 10
) -> EuroField:
    """An amount in euros typed by a resident: French decimals (« 1 234,50 »), 0 to ``max_value``."""
    return EuroField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(max_value),
        max_digits=max_digits,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ChildrenAgesField(forms.CharField):
    """The ages of the dependent children typed as « 3, 7 », cleaned to a list of ints (``parse_ages``)."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", "Séparés par des virgules, par exemple : 3, 7. Laissez vide si vous n'avez pas d'enfant."
        )
        super().__init__(label=label, required=False, max_length=100, **kwargs)

    def clean(self, value: Any) -> list[int]:
        return parse_ages(super().clean(value) or "")
