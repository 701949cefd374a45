"""Moves a household's requests (and so their referrals) when two household files are merged, and a
person's requests when two records of one person are merged."""

from __future__ import annotations

from guichet.desk.models import Request
from guichet.households.models import Household, Person


def move_requests(source: Household, target: Household) -> int:
    return Request.objects.filter(household=source).update(household=target)


def move_person_requests(drop: Person, keep: Person) -> int:
    return Request.objects.filter(person=drop).update(person=keep)
