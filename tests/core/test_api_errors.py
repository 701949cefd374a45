"""Validation errors of the API are French sentences, whatever the library that found them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError, field_validator

from guichet.core.api_errors import FRENCH_VALIDATION_MESSAGES, french_message


class Sample(BaseModel):
    nombre: int
    montant: Decimal = Field(max_digits=6, decimal_places=2, default=Decimal(0))
    age: int = Field(ge=0, le=120, default=30)
    jour: dt.date = dt.date(2026, 1, 1)
    nature: Literal["loyer", "energie"] = "loyer"
    texte: str = Field(max_length=5, default="")

    @field_validator("texte")
    @classmethod
    def no_x(cls, value: str) -> str:
        if "x" in value:
            raise ValueError("Pas de x ici.")
        return value


def errors_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    return {str(err["loc"][0]): french_message(dict(err)) for err in caught.value.errors()}


def test_library_errors_are_said_in_french() -> None:
    assert errors_of({}) == {"nombre": "Champ obligatoire."}
    assert errors_of({"nombre": "douze"}) == {"nombre": "Nombre entier attendu."}
    assert errors_of({"nombre": 1, "age": -1}) == {"age": "Valeur supérieure ou égale à 0 attendue."}
    assert errors_of({"nombre": 1, "age": 121}) == {"age": "Valeur inférieure ou égale à 120 attendue."}
    assert errors_of({"nombre": 1, "jour": "29/11/2026"}) == {"jour": "Date attendue au format AAAA-MM-JJ."}
    assert errors_of({"nombre": 1, "nature": "eau"}) == {"nature": "Valeur attendue parmi : loyer ou energie."}
    assert errors_of({"nombre": 1, "texte": "abcdef"}) == {"texte": "Au plus 5 caractère(s)."}
    assert errors_of({"nombre": 1, "montant": "12.345"}) == {"montant": "Pas plus de 2 décimales."}
    assert errors_of({"nombre": 1, "montant": "douze"}) == {"montant": "Montant attendu, par exemple 123.45."}


def test_our_own_messages_are_kept() -> None:
    assert errors_of({"nombre": 1, "texte": "x"}) == {"texte": "Pas de x ici."}
    assert french_message({"type": "required", "msg": "Ce champ est obligatoire."}) == "Ce champ est obligatoire."
    assert french_message({"type": "inconnu", "msg": ""}) == "Valeur invalide."


@given(kind=st.sampled_from(sorted(FRENCH_VALIDATION_MESSAGES)), context=st.dictionaries(st.text(), st.integers()))
def test_every_known_kind_gives_a_sentence_without_placeholders(kind: str, context: dict[str, int]) -> None:
    message = french_message({"type": kind, "msg": "English", "ctx": context})
    assert message and "{" not in message and "English" not in message
