"""The household timeline: every app that holds something about a household registers a provider
here (this lower app imports none of them), and the household page shows all events in date order.

A file followed for years has hundreds of events, and the household page is the busiest page of the
desk. Asking every provider on each page view cost one query per app and the building of every event
in Python (three quarters of the page's time for 200 events), so the timeline is stored:

- a provider gives *all* the events of a household, each with its ``audience`` (who may see it);
- the events are stored in ``TimelineEntry`` rows, in timeline order, when the household page is
  first opened after a change (``rebuild``); reading them back is one indexed query;
- a change to what a provider reads marks the household's stored timeline as out of date, in the
  transaction of the change (``timeline_changed``): providers name their source models, whose saves
  and deletions do it through signals; services that write in bulk (``QuerySet.update``,
  ``bulk_create``) call ``timeline_changed`` themselves;
- who sees what is decided when reading, by the check registered for each audience.

The stored rows are a derived copy: ``guichet timeline rebuild`` (or any change) rebuilds them from
the records, which stay the reference."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from html import escape
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from guichet.accounts.models import User
from guichet.households.models import Consent, Household, TimelineEntry, TimelineState
from guichet.households.perms import can_view_households


class TimelineEvent(NamedTuple):
    when: dt.datetime  # timezone-aware
    kind: str  # short French label of the kind: "Demande", "Orientation", "Pièce", "Note"…
    title: str
    detail: str = ""
    url: str = ""
    actor: str = ""
    audience: str = ""  # "" or "<audience>" or "<audience>:<argument>" (see register_timeline_audience)


TimelineProvider = Callable[[Household], Iterable[TimelineEvent]]
"""``provider(household)``: every event of the household, each with the audience that may see it."""

AudienceCheck = Callable[[Any, str], bool]
"""``check(user, argument)``: whether ``user`` may see the events of that audience."""

HouseholdsOf = Callable[[Any], Iterable[int | None]]
"""The ids of the households whose timeline shows something of this saved or deleted instance."""

_providers: dict[str, TimelineProvider] = {}
_audiences: dict[str, AudienceCheck] = {}


def register_timeline_provider(
    name: str, provider: TimelineProvider, *, sources: dict[type[Model], HouseholdsOf] | None = None
) -> None:
    """Called from an app's ``AppConfig.ready()``; registering the same name again replaces it.
    ``sources``: the models the provider reads, with the households an instance concerns; saving or
    deleting one marks their timelines out of date."""
    _providers[name] = provider
    for model, households_of in (sources or {}).items():
        _watch(model, households_of)


def register_timeline_audience(name: str, check: AudienceCheck) -> None:
    """Who may see the events whose audience is ``name`` or ``name:<argument>``."""
    _audiences[name] = check


def _watch(model: type[Model], households_of: HouseholdsOf) -> None:
    def changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw:  # fixtures loaded as they are
            timeline_changed(households_of(instance))

    uid = f"timeline:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def timeline_changed(household_ids: Iterable[int | None]) -> None:
    """Mark the stored timelines of these households out of date (in the current transaction)."""
    ids = sorted({pk for pk in household_ids if pk is not None})  # one lock order for every writer
    if ids:
        TimelineState.objects.filter(household_id__in=ids).update(version=F("version") + 1)


def timeline_changed_everywhere() -> None:
    """Mark every stored timeline out of date (a change seen on many files: an agent's name…)."""
    TimelineState.objects.update(version=F("version") + 1)


# --- Reading ---------------------------------------------------------------------------------------

_COLUMNS = ("at", "kind", "title", "detail", "url", "actor", "audience")


def household_timeline(user: Any, household: Household) -> list[TimelineEvent]:
    """Every event ``user`` may see, most recent first."""
    events = _stored(household, current_only=True)
    if not events:  # out of date or never built: a household always has at least its opening event
        events = rebuild(household)
    allowed: dict[str, bool] = {}
    visible = []
    for event in events:
        if (may := allowed.get(event.audience)) is None:
            may = allowed[event.audience] = _may_see(user, event.audience)
        if may:
            visible.append(event)
    return visible


def _stored(household: Household, *, current_only: bool = False) -> list[TimelineEvent]:
    rows = TimelineEntry.objects.filter(timeline_id=household.pk)
    if current_only:
        rows = rows.filter(timeline__built_version=F("timeline__version"))
    return [TimelineEvent._make(row) for row in rows.order_by("rank").values_list(*_COLUMNS)]


def _may_see(user: Any, audience: str) -> bool:
    if not audience:
        return True
    name, _, argument = audience.partition(":")
    check = _audiences.get(name)
    return check is not None and check(user, argument)


def created(sender: Any, instance: Household, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    """A new household gets its timeline state with it, for the changes that follow to mark it."""
    if created and not raw:
        TimelineState.objects.create(household=instance)


def rebuild(household: Household) -> list[TimelineEvent]:
    """Ask every provider for the household's events and store them; the events, most recent first."""
    # A household without a state (made in bulk, never opened) gets one first, in its own transaction,
    # so that the changes written while we rebuild find it and mark it.
    TimelineState.objects.get_or_create(household_id=household.pk)
    with transaction.atomic():
        state = TimelineState.objects.select_for_update().get(household_id=household.pk)
        if state.built_version == state.version:  # another reader rebuilt it while we waited for the lock
            return _stored(household)
        version = state.version  # read before the records: a change committed after it leaves us out of date
        events = computed_timeline(household)
        TimelineEntry.objects.filter(timeline_id=household.pk).delete()
        TimelineEntry.objects.bulk_create(
            TimelineEntry(timeline_id=household.pk, rank=rank, **dict(zip(_COLUMNS, event, strict=True)))
            for rank, event in enumerate(events)
        )
        TimelineState.objects.filter(pk=household.pk, version=version).update(built_version=version)
    return events


def computed_timeline(household: Household) -> list[TimelineEvent]:
    """Every event of every provider, most recent first (what the stored timeline must hold)."""
    events = [event for provider in _providers.values() for event in provider(household)]
    events.sort(key=lambda event: event.when, reverse=True)
    return events


def rebuild_all(household_ids: Iterable[int]) -> Iterable[int]:
    """Rebuild the stored timelines of these households; yields each id when done (for progress)."""
    for household in Household.objects.filter(pk__in=list(household_ids)).iterator(chunk_size=500):
        rebuild(household)
        yield household.pk


# --- Building and showing events --------------------------------------------------------------------

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


# --- This app's own events and audiences -----------------------------------------------------------

HOUSEHOLD_VIEWERS = "households"
"""The audience of events shown to whoever may open households at all (not only the page's viewer:
the timeline is also read by the history page and may be by others)."""


def household_events(household: Household) -> Iterable[TimelineEvent]:
    """The file's own events: its creation and the consents given or withdrawn."""
    yield TimelineEvent(when=household.created_at, kind="Dossier", title="Ouverture du dossier")
    for consent in Consent.objects.filter(household_id=household.pk).order_by("scope", "given_at"):
        yield TimelineEvent(
            when=consent.given_at, kind="Consentement", title=f"Recueilli : {consent.get_scope_display()}"
        )
        if consent.withdrawn_at:
            yield TimelineEvent(
                when=consent.withdrawn_at, kind="Consentement", title=f"Retiré : {consent.get_scope_display()}"
            )


_NAME_FIELDS = ("first_name", "last_name", "username")


def _names_before(sender: Any, instance: User, raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    """Events carry their author's name: a renamed agent makes every stored timeline out of date
    (marked after the save, in its transaction)."""
    if raw or instance.pk is None or (update_fields is not None and not set(update_fields) & set(_NAME_FIELDS)):
        return
    before = User.objects.filter(pk=instance.pk).values_list(*_NAME_FIELDS).first()
    if before is not None and before != tuple(getattr(instance, name) for name in _NAME_FIELDS):
        instance._timeline_renamed = True  # type: ignore[attr-defined]


def _names_after(sender: Any, instance: User, **kwargs: Any) -> None:
    if instance.__dict__.pop("_timeline_renamed", False):
        timeline_changed_everywhere()


def connect() -> None:
    """This app's provider, audience and watchers (from ``HouseholdsConfig.ready``)."""
    register_timeline_provider(
        "households",
        household_events,
        sources={Consent: lambda consent: [consent.household_id]},
    )
    post_save.connect(created, sender=Household, dispatch_uid="timeline:new-household")
    register_timeline_audience(HOUSEHOLD_VIEWERS, lambda user, _argument: can_view_households(user))
    pre_save.connect(_names_before, sender=User, dispatch_uid="timeline:agent-names")
    post_save.connect(_names_after, sender=User, dispatch_uid="timeline:agent-names")
