"""The household timeline: every app that holds something about a household registers a provider
here (this lower app imports none of them), and the household page shows all events in date order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from guichet.households.models import Household


@dataclass(frozen=True)
class TimelineEvent:
    when: dt.datetime  # timezone-aware
    kind: str  # short French label of the kind: "Demande", "Orientation", "Pièce", "Note"…
    title: str
    detail: str = ""
    url: str = ""
    actor: str = ""


TimelineProvider = Callable[[Any, Household], Iterable[TimelineEvent]]
"""``provider(user, household)``: the events ``user`` may see (providers apply their own rules)."""

_providers: dict[str, TimelineProvider] = {}


def register_timeline_provider(name: str, provider: TimelineProvider) -> None:
    """Called from an app's ``AppConfig.ready()``; registering the same name again replaces it."""
    _providers[name] = provider


def household_timeline(user: Any, household: Household, *, limit: int = 200) -> list[TimelineEvent]:
    events = [event for provider in _providers.values() for event in provider(user, household)]
    return sorted(events, key=lambda event: event.when, reverse=True)[:limit]


def _household_events(user: Any, household: Household) -> Iterable[TimelineEvent]:
    """The file's own events: its creation and the consents given or withdrawn."""
    yield TimelineEvent(when=household.created_at, kind="Dossier", title="Ouverture du dossier")
    for consent in household.consents.all():
        yield TimelineEvent(
            when=consent.given_at, kind="Consentement", title=f"Recueilli : {consent.get_scope_display()}"
        )
        if consent.withdrawn_at:
            yield TimelineEvent(
                when=consent.withdrawn_at, kind="Consentement", title=f"Retiré : {consent.get_scope_display()}"
            )
