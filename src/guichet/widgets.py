"""Form widgets and field parsers shared by every app (imports no app)."""

from __future__ import annotations

import datetime as dt
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
