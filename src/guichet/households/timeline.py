"""The household timeline: every app that holds something about a household registers a provider
here (this lower app imports none of them), and the household page shows all events in date order.

A file followed for years has hundreds of events, and the household page is the busiest page of the
desk. Asking every provider on each page view cost one query per app and the building of every event
in Python (three quarters of the page's time for 200 events), so the timeline is stored:

- a provider gives *all* the events of a household, each with its ``audience`` (who may see it);
- the events are stored in ``TimelineEntry`` rows when the household page is first opened after a
  change (``rebuild``); reading them back, in timeline order, is one indexed query;
- a change to what a provider reads marks that provider's stored events of the household as out of
  date, in the transaction of the change (``timeline_changed``): providers name their source models,
  whose saves and deletions do it through signals; services that write in bulk (``QuerySet.update``,
  ``bulk_create``) call ``timeline_changed`` themselves; the next reader asks only the providers
  whose events are out of date (a new note: the notes provider alone);
- who sees what is decided when reading, by the check registered for each audience.

The stored rows are a derived copy: ``guichet historique`` (or any change) rebuilds them from the
records, which stay the reference."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable
from functools import reduce
from html import escape
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Exists, F, Model, OuterRef, Q
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


class TimelineItem(NamedTuple):
    """An event as the pages show it: its kind (for the filters) and its ``<li>``, rendered when stored."""

    kind: str
    html: str


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
    deleting one marks the provider's stored events of those households out of date."""
    _providers[name] = provider
    for model, households_of in (sources or {}).items():
        _watch(model, households_of, name)


def register_timeline_audience(name: str, check: AudienceCheck) -> None:
    """Who may see the events whose audience is ``name`` or ``name:<argument>``."""
    _audiences[name] = check


def _watch(model: type[Model], households_of: HouseholdsOf, provider: str) -> None:
    def changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw:  # fixtures loaded as they are
            timeline_changed(households_of(instance), provider=provider)

    uid = f"timeline:{provider}:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def timeline_changed(household_ids: Iterable[int | None], *, provider: str | None = None) -> None:
    """Mark the stored events of ``provider`` (of every provider by default) of these households out
    of date, in the current transaction."""
    ids = sorted({pk for pk in household_ids if pk is not None})
    if not ids:
        return
    states = TimelineState.objects.filter(household_id__in=ids)
    if provider is not None:
        states = states.filter(provider=provider)
    states.update(version=F("version") + 1)


def timeline_changed_everywhere() -> None:
    """Mark every stored timeline out of date (a change seen on many files: an agent's name…)."""
    TimelineState.objects.update(version=F("version") + 1)


# --- Reading ---------------------------------------------------------------------------------------

_COLUMNS = ("at", "kind", "title", "detail", "url", "actor", "audience")
_ORDER = ("-at", "position", "seq")  # the stable sort of ``computed_timeline``


def household_timeline(user: Any, household: Household) -> list[TimelineEvent]:
    """Every event ``user`` may see, most recent first."""
    return [TimelineEvent._make(row) for row in _visible_rows(user, household, _COLUMNS)]


def household_timeline_items(user: Any, household: Household) -> list[TimelineItem]:
    """The same events as rendered lines (what the pages show: no event is built again)."""
    return [TimelineItem._make(row) for row in _visible_rows(user, household, ("kind", "html"))]


def join_items(items: Iterable[TimelineItem]) -> SafeString:
    """The ``<li>`` lines of ``items``, for an ``<ol class="timeline">``."""
    return mark_safe("\n".join(item.html for item in items))  # noqa: S308 - each line escaped by render_line


def _visible_rows(user: Any, household: Household, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The stored rows (``columns``) of the events ``user`` may see, rebuilt first when out of date."""
    rows = _stored(household, (*columns, "audience"), current_only=True)
    if not rows:  # out of date or never built: a household always has at least its opening event
        rebuild(household)
        rows = _stored(household, (*columns, "audience"))
    allowed: dict[str, bool] = {}
    visible = []
    for row in rows:
        audience = row[-1]
        if (may := allowed.get(audience)) is None:
            may = allowed[audience] = _may_see(user, audience)
        if may:
            visible.append(row[:-1])
    return visible


def _stored(household: Household, columns: tuple[str, ...], *, current_only: bool = False) -> list[tuple[Any, ...]]:
    """The stored rows (none when ``current_only`` and some provider's are out of date)."""
    rows = TimelineEntry.objects.filter(household_id=household.pk)
    if current_only:
        stale = TimelineState.objects.filter(household_id=OuterRef("household_id")).exclude(built_version=F("version"))
        rows = rows.filter(~Exists(stale))
    return list(rows.order_by(*_ORDER).values_list(*columns))


def _may_see(user: Any, audience: str) -> bool:
    if not audience:
        return True
    name, _, argument = audience.partition(":")
    check = _audiences.get(name)
    return check is not None and check(user, argument)


def _new_household_states(
    sender: Any, instance: Household, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """A new household gets its timeline states with it, for the changes that follow to mark them."""
    if created and not raw:
        TimelineState.objects.bulk_create(TimelineState(household=instance, provider=name) for name in _providers)


def rebuild(household: Household) -> int:
    """Store again the events of the providers whose stored events of ``household`` are out of date
    (only theirs: a new note asks the notes provider alone); how many providers were asked."""
    # States missing (households made in bulk or before the stored timeline, a provider added since)
    # are added first, in their own transaction, so that the changes written meanwhile find and mark them.
    TimelineState.objects.bulk_create(
        [TimelineState(household_id=household.pk, provider=name) for name in _providers], ignore_conflicts=True
    )
    positions = {name: position for position, name in enumerate(_providers)}
    with transaction.atomic():
        states = TimelineState.objects.select_for_update().filter(household_id=household.pk).order_by("provider")
        # Out of date, unless another reader rebuilt them while we waited for the lock; the version is
        # read before the records, so a change committed after it leaves the provider out of date.
        stale = [state for state in states if state.built_version != state.version and state.provider in positions]
        if not stale:
            return 0
        TimelineEntry.objects.filter(
            household_id=household.pk, provider__in=[state.provider for state in stale]
        ).delete()
        TimelineEntry.objects.bulk_create(
            TimelineEntry(
                household_id=household.pk,
                provider=state.provider,
                position=positions[state.provider],
                seq=seq,
                html=render_line(event),
                **dict(zip(_COLUMNS, event, strict=True)),
            )
            for state in stale
            for seq, event in enumerate(_providers[state.provider](household))
        )
        read = reduce(operator.or_, (Q(pk=state.pk, version=state.version) for state in stale))
        TimelineState.objects.filter(read).update(built_version=F("version"))  # those still at the version read
    return len(stale)


def computed_timeline(household: Household) -> list[TimelineEvent]:
    """Every event of every provider, most recent first (what the stored timeline must hold)."""
    events = [event for provider in _providers.values() for event in provider(household)]
    events.sort(key=lambda event: event.when, reverse=True)
    return events


def rebuild_all(household_ids: Iterable[int]) -> Iterable[int]:
    """Rebuild the stored timelines of these households from scratch; yields each id when done."""
    for household in Household.objects.filter(pk__in=list(household_ids)).iterator(chunk_size=500):
        TimelineState.objects.filter(household=household).update(built_version=None)
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


def render_line(event: TimelineEvent) -> str:
    """The event's ``<li>`` in the timeline (every value escaped), rendered once, when it is stored."""
    when = event.when.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y %H:%M")
    title = escape(event.title)
    if event.url:
        title = f'<a href="{escape(event.url)}">{title}</a>'
    actor = f' <span class="muted">— {escape(event.actor)}</span>' if event.actor else ""
    detail = f'<br><span class="small">{escape(event.detail)}</span>' if event.detail else ""
    badge = f'<span class="badge">{escape(event.kind)}</span>'
    return f'<li><span class="muted nowrap">{when}</span> {badge} {title}{actor}{detail}</li>'


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
    post_save.connect(_new_household_states, sender=Household, dispatch_uid="timeline:new-household")
    register_timeline_audience(HOUSEHOLD_VIEWERS, lambda user, _argument: can_view_households(user))
    pre_save.connect(_names_before, sender=User, dispatch_uid="timeline:agent-names")
    post_save.connect(_names_after, sender=User, dispatch_uid="timeline:agent-names")
