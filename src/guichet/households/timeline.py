"""The household timeline: every app that holds something about a household registers a provider
here (this lower app imports none of them), and the household page shows all events in date order.

A file followed for years has hundreds of events, and the household page is the busiest page of the
desk: providers read flat rows (``values_list``, one query each, only the columns shown) and build
their links with ``pk_url`` (one ``reverse`` per provider, not one per event); the list itself is
rendered by ``render_timeline`` (a template loop costs several times more for 200 lines)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

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


def household_timeline(user: Any, household: Household, *, limit: int | None = None) -> list[TimelineEvent]:
    """Every event ``user`` may see, most recent first (the first ``limit`` when given)."""
    events = [event for provider in _providers.values() for event in provider(user, household)]
    events.sort(key=lambda event: event.when, reverse=True)
    return events if limit is None else events[:limit]


_PK_MARKER = 918273645  # an id no row has: replaced by the real one in the reversed URL


def pk_url(viewname: str, kwarg: str | None = None) -> Callable[[int], str]:
    """The URL of ``viewname`` for an object id (its single argument, positional or ``kwarg``),
    reversed once: for the links of a list of events."""
    url = reverse(viewname, kwargs={kwarg: _PK_MARKER}) if kwarg else reverse(viewname, args=[_PK_MARKER])
    head, marker, tail = url.partition(str(_PK_MARKER))
    if not marker:
        raise ValueError(f"{viewname}: the id is not in its URL")
    return lambda pk: f"{head}{pk}{tail}"


def user_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """``user.get_full_name() or user.get_username()`` from the columns of a flat row (all None when
    the row has no user)."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


def render_timeline(events: Iterable[TimelineEvent]) -> SafeString:
    """The ``<li>`` items of the timeline (every value escaped), most recent first as given."""
    zone = timezone.get_current_timezone()
    # Kinds, authors and links repeat from line to line: each distinct value is escaped once.
    escaped: dict[str, str] = {}

    def once(value: str) -> str:
        if (text := escaped.get(value)) is None:
            text = escaped[value] = escape(value)
        return text

    items = []
    for event in events:
        when = event.when.astimezone(zone).strftime("%d/%m/%Y %H:%M")
        title = escape(event.title)
        if event.url:
            title = f'<a href="{once(event.url)}">{title}</a>'
        actor = f' <span class="muted">— {once(event.actor)}</span>' if event.actor else ""
        detail = f'<br><span class="small">{escape(event.detail)}</span>' if event.detail else ""
        items.append(
            f'<li><span class="muted nowrap">{when}</span> <span class="badge">{once(event.kind)}</span> '
            f"{title}{actor}{detail}</li>"
        )
    return mark_safe("\n".join(items))  # noqa: S308 - built from escaped values only


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
