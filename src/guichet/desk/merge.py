"""Moves a household's requests (and so their referrals) when two household files are merged."""

from __future__ import annotations

from guichet.desk.models import Request
from guichet.households.models import Household


def move_requests(source: Household, target: Household) -> int:
    return Request.objects.filter(household=source).update(household=target)
