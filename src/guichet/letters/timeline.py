"""Timeline provider: the letters generated for a household."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from guichet.households.models import Household
from guichet.households.timeline import TimelineEvent
from guichet.letters.models import Letter
from guichet.letters.services import can_write_kind


def letter_events(user: Any, household: Household) -> Iterable[TimelineEvent]:
    for letter in Letter.objects.filter(household=household).select_related("created_by").defer("pdf", "text"):
        if not can_write_kind(user, letter.kind):
            continue
        author = letter.created_by
        yield TimelineEvent(
            when=letter.created_at,
            kind="Courrier",
            title=f"{letter.get_kind_display()} : {letter.title}",
            url=reverse("letters:download", args=[letter.pk]),
            actor=(author.get_full_name() or author.get_username()) if author else "",
        )
