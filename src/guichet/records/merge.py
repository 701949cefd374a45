"""Moves a household's documents and social notes when two household files are merged, and a
person's documents when two records of one person are merged."""

from __future__ import annotations

from guichet.households.models import Household, Person
from guichet.records.models import Document, Note


def move_records(source: Household, target: Household) -> int:
    moved = Document.objects.filter(household=source).update(household=target)
    return moved + Note.objects.filter(household=source).update(household=target)


def move_person_documents(drop: Person, keep: Person) -> int:
    return Document.objects.filter(person=drop).update(person=keep)
