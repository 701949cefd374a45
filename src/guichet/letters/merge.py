"""Moves a household's letters when two household files are merged (they would be deleted otherwise)."""

from __future__ import annotations

from guichet.households.models import Household
from guichet.letters.models import Letter


def move_letters(source: Household, target: Household) -> int:
    return Letter.objects.filter(household=source).update(household=target)
