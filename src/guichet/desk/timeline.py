"""Timeline provider: the requests of a household, their status changes and their referrals."""

from __future__ import annotations

from collections.abc import Iterable

from guichet.desk.enums import Theme
from guichet.desk.models import Request, RequestEvent
from guichet.households.models import Household
from guichet.households.timeline import HOUSEHOLD_VIEWERS, TimelineEvent, pk_url, user_name


def request_events(household: Household) -> Iterable[TimelineEvent]:
    """Shown to whoever may open households (the household page has already checked the file)."""
    themes = dict(Theme.choices)
    url = pk_url("desk:detail")
    rows = RequestEvent.objects.filter(request__household=household).values_list(
        "at", "kind", "from_value", "to_value", "comment", "request_id", "request__theme",
        "actor__first_name", "actor__last_name", "actor__username",
    )  # fmt: skip
    for at, kind, from_value, to_value, comment, request_id, theme, first_name, last_name, username in rows:
        title = f"Demande n° {request_id} ({themes.get(theme, theme)}) : "
        if kind == RequestEvent.Kind.CREATED:
            title += "créée"
        elif kind == RequestEvent.Kind.REFERRAL:
            # Creation: to_value is the partner; answer: from_value is the partner, to_value the outcome.
            if from_value:
                title += f"orientation vers {from_value} : {to_value}"
            else:
                title += f"orientée vers {to_value}"
        elif kind == RequestEvent.Kind.ASSIGNED:
            title += f"attribuée à {to_value}"
        else:
            title += f"{from_value} → {to_value}"
        yield TimelineEvent(
            when=at,
            kind="Orientation" if kind == RequestEvent.Kind.REFERRAL else "Demande",
            title=title,
            detail=comment,
            url=url(request_id),
            actor=user_name(first_name, last_name, username),
            audience=HOUSEHOLD_VIEWERS,
        )


def event_households(event: RequestEvent) -> list[int]:
    """The household of a request event (its request, unless already deleted)."""
    if RequestEvent.request.is_cached(event):
        return [event.request.household_id]
    return list(Request.objects.filter(pk=event.request_id).values_list("household_id", flat=True))
