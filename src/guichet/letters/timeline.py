"""Timeline provider: the letters generated for a household."""

from __future__ import annotations

from collections.abc import Iterable

from guichet.households.models import Household
from guichet.households.timeline import TimelineEvent, pk_url, user_name
from guichet.letters.enums import LetterKind
from guichet.letters.models import Letter

LETTER_READERS = "letters"
"""The audience of a letter's event: ``letters:<kind>``, those who may write letters of that kind."""


def letter_events(household: Household) -> Iterable[TimelineEvent]:
    kinds = dict(LetterKind.choices)
    url = pk_url("letters:download")
    rows = Letter.objects.filter(household=household).values_list(
        "pk", "kind", "title", "created_at", "created_by__first_name", "created_by__last_name", "created_by__username"
    )
    for pk, kind, title, created_at, first_name, last_name, username in rows:
        yield TimelineEvent(
            when=created_at,
            kind="Courrier",
            title=f"{kinds.get(kind, kind)} : {title}",
            url=url(pk),
            actor=user_name(first_name, last_name, username),
            audience=f"{LETTER_READERS}:{kind}",
        )
