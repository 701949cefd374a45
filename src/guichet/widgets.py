"""Form widgets and field parsers shared by every app (imports no app)."""

from __future__ import annotations

from typing import Any

from django import forms


class IsoDateInput(forms.DateInput):
    """``<input type=date>`` only reads ISO dates: the French display format would leave it empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
