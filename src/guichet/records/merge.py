"""Moves a household's documents and social notes when two household files are merged."""

from __future__ import annotations

from guichet.households.models import Household
from guichet.records.models import Document, Note


def move_records(source: Household, target: Household) -> int:
    moved = Document.objects.filter(household=source).update(household=target)
    return moved + Note.objects.filter(household=source).update(household=target)
