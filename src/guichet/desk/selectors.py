"""Reads of the guichet unique: work queues, request detail, exports, partners, request and referral
statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from guichet.accounts.enums import Perm
from guichet.accounts.selectors import agents_holding
from guichet.desk.enums import (
    OPEN_STATUSES,
    THEMES,
    Axis,
    Concern,
    ReferralOutcome,
    RequestStatus,
    Theme,
    themes_of_axis,
    themes_with_concern,
)
from guichet.desk.models import Partner, Referral, Request
from guichet.households.perms import confidential_ids_open_to

QUEUES = {
    "miennes": "Mes demandes",
    "a_attribuer": "Nouvelles à attribuer",
    "aujourdhui": "À traiter aujourd'hui",
    "en_retard": "En retard",
    "toutes": "Toutes",
}


@dataclass(frozen=True)
class RequestFilters:
    queue: str = "miennes"
    theme: str = ""
    axis: str = ""  # axis of the projet social: requests whose theme belongs to it
    concern: str = ""  # cross-cutting concern: requests whose theme touches it
    quartier: str = ""  # quartier slug
    status: str = ""
    agent: int | None = None
    household: int | None = None


def requests_for(user: Any, filters: RequestFilters) -> QuerySet[Request]:
    """Requests of the queue and filters, most pressing first (open requests by due date)."""
    today = timezone.localdate()
    requests = Request.objects.all()
    if filters.queue == "miennes":
        requests = requests.filter(assigned_to=user, status__in=OPEN_STATUSES)
    elif filters.queue == "a_attribuer":
        # Where requests made online (the public simulator's callback) wait for an agent.
        requests = requests.filter(assigned_to__isnull=True, status=RequestStatus.NEW)
    elif filters.queue == "aujourdhui":
        requests = requests.filter(due_on=today, status__in=OPEN_STATUSES)
    elif filters.queue == "en_retard":
        requests = requests.filter(due_on__lt=today, status__in=OPEN_STATUSES)
    if filters.theme:
        requests = requests.filter(theme=filters.theme)
    if filters.axis:
        requests = requests.filter(theme__in=themes_of_axis(filters.axis))
    if filters.concern:
        requests = requests.filter(theme__in=themes_with_concern(filters.concern))
    if filters.quartier:
        requests = requests.filter(household__address__quartier__slug=filters.quartier)
    if filters.status:
        requests = requests.filter(status=filters.status)
    if filters.agent:
        requests = requests.filter(assigned_to_id=filters.agent)
    if filters.household:
        requests = requests.filter(household_id=filters.household)
    return (
        requests.select_related("household__address__quartier", "assigned_to")
        # Neighbourhood outlines are large GeoJSON documents that lists never show.
        .defer("household__address__quartier__boundary")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class RequestRow:
    """One line of a queue; ``is_masked``: confidential household closed to the user (no summary)."""

    request: Request
    is_masked: bool
    is_overdue: bool

    @property
    def quartier(self) -> str:
        address = self.request.household.address
        return address.quartier.name if address and address.quartier else ""

    @property
    def axis(self) -> str:
        return theme_axis_label(self.request.theme)


def request_rows(user: Any, requests: Iterable[Request]) -> list[RequestRow]:
    requests = list(requests)
    confidential = [r.household_id for r in requests if r.household.is_confidential]
    open_ids = confidential_ids_open_to(user, confidential) if confidential else set()
    today = timezone.localdate()
    return [
        RequestRow(
            request=r,
            is_masked=r.household.is_confidential and r.household_id not in open_ids,
            is_overdue=r.is_open and r.due_on < today,
        )
        for r in requests
    ]


def queue_counts(user: Any) -> dict[str, int]:
    today = timezone.localdate()
    open_requests = Request.objects.filter(status__in=OPEN_STATUSES)
    counts = open_requests.aggregate(
        miennes=Count("pk", filter=Q(assigned_to=user)),
        a_attribuer=Count("pk", filter=Q(assigned_to__isnull=True, status=RequestStatus.NEW)),
        aujourdhui=Count("pk", filter=Q(due_on=today)),
        en_retard=Count("pk", filter=Q(due_on__lt=today)),
    )
    counts["toutes"] = Request.objects.count()
    return counts


def agent_choices() -> list[tuple[int, str]]:
    """Active agents who may handle requests (holders of ``HOUSEHOLD_EDIT`` through a role)."""
    return agents_holding(Perm.HOUSEHOLD_EDIT)


EXPORT_HEADER = [
    "N°",
    "Ménage",
    "Quartier",
    "Thème",
    "Canal",
    "Urgence",
    "Objet",
    "Statut",
    "Issue",
    "Agent",
    "Créée le",
    "Échéance",
    "Clôturée le",
    # Derived from the theme; last so that the columns of earlier exports keep their place.
    "Axe du projet social",
    "Préoccupations transversales",
]


def theme_axis_label(theme: str) -> str:
    return THEMES[Theme(theme)].axis.label


def theme_concern_labels(theme: str) -> str:
    return ", ".join(concern.label for concern in THEMES[Theme(theme)].concerns)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Typed text that a spreadsheet would run as a formula (CSV/formula injection) is quoted."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def export_rows(user: Any, requests: Iterable[Request]) -> list[list[str]]:
    """Rows of an export; the summary of a confidential household closed to the user is left out, and
    no cell can be read as a formula."""
    rows = []
    for row in request_rows(user, requests):
        r = row.request
        rows.append(
            [
                str(r.pk),
                r.household.reference,
                row.quartier,
                r.get_theme_display(),
                r.get_channel_display(),
                r.get_urgency_display(),
                "Dossier confidentiel" if row.is_masked else spreadsheet_safe(r.summary),
                r.get_status_display(),
                r.get_outcome_display(),
                spreadsheet_safe(r.assigned_to.get_full_name() or r.assigned_to.get_username())
                if r.assigned_to
                else "",
                timezone.localtime(r.created_at).strftime("%d/%m/%Y %H:%M"),
                r.due_on.strftime("%d/%m/%Y"),
                timezone.localtime(r.closed_at).strftime("%d/%m/%Y %H:%M") if r.closed_at else "",
                theme_axis_label(r.theme),
                theme_concern_labels(r.theme),
            ]
        )
    return rows


def partners_for(*, kind: str = "", theme: str = "", q: str = "", active_only: bool = True) -> list[Partner]:
    partners = Partner.objects.all()
    if active_only:
        partners = partners.filter(is_active=True)
    if kind:
        partners = partners.filter(kind=kind)
    if q.strip():
        partners = partners.filter(
            Q(organisation__icontains=q.strip()) | Q(service__icontains=q.strip()) | Q(territory__icontains=q.strip())
        )
    # JSON containment differs between SQLite and PostgreSQL: the theme filter runs in Python (small table).
    return [p for p in partners if not theme or theme in p.themes]


@dataclass(frozen=True)
class StatLine:
    label: str
    total: int
    by_outcome: dict[str, int]


@dataclass(frozen=True)
class ReferralStats:
    total: int
    by_partner: list[StatLine]
    by_theme: list[StatLine]
    by_outcome: list[tuple[str, int]]

    @property
    def largest(self) -> int:
        return max((line.total for line in self.by_partner + self.by_theme), default=0)


def referral_stats() -> ReferralStats:
    """Referrals counted by partner, by theme of the request and by outcome (no personal data)."""
    rows = list(
        Referral.objects.values("partner__organisation", "partner__service", "request__theme", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    partner_counts: dict[str, Counter[str]] = {}
    theme_counts: dict[str, Counter[str]] = {}
    outcomes: Counter[str] = Counter()
    for row in rows:
        partner = row["partner__organisation"] + (f" — {row['partner__service']}" if row["partner__service"] else "")
        theme = Theme(row["request__theme"]).label
        partner_counts.setdefault(partner, Counter())[row["outcome"]] += row["n"]
        theme_counts.setdefault(theme, Counter())[row["outcome"]] += row["n"]
        outcomes[row["outcome"]] += row["n"]

    def lines(counts: dict[str, Counter[str]]) -> list[StatLine]:
        result = [
            StatLine(label, sum(c.values()), {o.label: c.get(o.value, 0) for o in ReferralOutcome})
            for label, c in counts.items()
        ]
        return sorted(result, key=lambda line: (-line.total, line.label))

    return ReferralStats(
        total=sum(outcomes.values()),
        by_partner=lines(partner_counts),
        by_theme=lines(theme_counts),
        by_outcome=[(o.label, outcomes.get(o.value, 0)) for o in ReferralOutcome],
    )


@dataclass(frozen=True)
class RequestStats:
    """Requests counted by axis of the projet social and by cross-cutting concern, each split by status.

    A request counts once for its axis but once for each concern of its theme, so the concern totals may add
    up to more than ``total``. Without any request both lists are empty."""

    total: int
    by_axis: list[StatLine]
    by_concern: list[StatLine]

    @property
    def largest(self) -> int:
        return max((line.total for line in self.by_axis + self.by_concern), default=0)


def request_stats() -> RequestStats:
    """Counts of requests by axis and by concern (through the theme), by status; no personal data."""
    by_theme: dict[Theme, Counter[str]] = {}
    for row in Request.objects.values("theme", "status").annotate(n=Count("pk")).order_by():
        by_theme.setdefault(Theme(row["theme"]), Counter())[row["status"]] += row["n"]

    def count_line(label: str, themes: Iterable[Theme]) -> StatLine:
        counts: Counter[str] = Counter()
        for theme in themes:
            counts.update(by_theme.get(theme, Counter()))
        return StatLine(label, sum(counts.values()), {s.label: counts.get(s.value, 0) for s in RequestStatus})

    total = sum(sum(counts.values()) for counts in by_theme.values())
    if not total:
        return RequestStats(total=0, by_axis=[], by_concern=[])
    by_concern = [count_line(concern.label, themes_with_concern(concern)) for concern in Concern]
    return RequestStats(
        total=total,
        # The four axes keep the order of the projet social; concerns come by decreasing count.
        by_axis=[count_line(axis.label, themes_of_axis(axis)) for axis in Axis],
        by_concern=sorted(by_concern, key=lambda line: (-line.total, line.label)),
    )


def referrals_to_chase(user: Any) -> list[tuple[Referral, bool]]:
    """Referrals still without answer past their reminder date, oldest first, with whether the household is
    confidential and closed to ``user`` (then only the partner and dates are shown)."""
    referrals = list(
        Referral.objects.filter(
            outcome=ReferralOutcome.PENDING, answered_on__isnull=True, reminder_due_on__lt=timezone.localdate()
        )
        .select_related("partner", "request__household", "request__assigned_to")
        .order_by("reminder_due_on", "pk")
    )
    confidential = [r.request.household_id for r in referrals if r.request.household.is_confidential]
    open_ids = confidential_ids_open_to(user, confidential) if confidential else set()
    return [(r, r.request.household.is_confidential and r.request.household_id not in open_ids) for r in referrals]
