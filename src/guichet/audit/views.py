"""The audit search screen (live-updated with htmx) and its CSV export; both are themselves audited."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.audit.enums import Action
from guichet.audit.forms import AuditSearchForm
from guichet.audit.models import AuditEntry
from guichet.audit.selectors import AuditFilters, audit_entries, recent_break_glass_entries
from guichet.audit.services import audit_record

PAGE_SIZE = 50
EXPORT_CHUNK_SIZE = 2000
CSV_HEADER = ["N°", "Date", "Utilisateur", "Action", "Type de cible", "Cible", "Champs", "Motif", "Adresse IP", "Canal"]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _search(request: HttpRequest) -> tuple[AuditSearchForm, AuditFilters]:
    form = AuditSearchForm(request.GET or None)
    if not form.is_bound:
        return form, AuditFilters()
    form.is_valid()  # errors are shown; the valid filters still apply
    return form, AuditFilters.from_cleaned(form.cleaned_data)


@require_perm(Perm.AUDIT_VIEW)
def search(request: HttpRequest) -> HttpResponse:
    form, filters = _search(request)
    page = Paginator(audit_entries(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    audit_record(
        actor=request.user,
        action=Action.READ,
        target_type="audit",
        fields=[*filters.described(), f"page={page.number}"],
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "entries": entries, "query_string": query.urlencode()}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "audit/_results.html", context)
    context["break_glass"] = recent_break_glass_entries()
    return render(request, "audit/search.html", context)


def _safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _csv_row(entry: AuditEntry) -> list[str]:
    return [
        _safe_cell(value)
        for value in (
            entry.pk,
            timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M:%S"),
            entry.actor_username,
            entry.get_action_display(),
            entry.target_type,
            entry.target_id,
            ", ".join(entry.fields),
            entry.reason,
            entry.ip_address,
            entry.channel,
        )
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(entries: Iterator[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(CSV_HEADER)  # the BOM makes spreadsheets read UTF-8
    for entry in entries:
        yield writer.writerow(_csv_row(entry))


@require_perm(Perm.AUDIT_VIEW)
def export(request: HttpRequest) -> StreamingHttpResponse:
    _, filters = _search(request)
    audit_record(
        actor=request.user, action=Action.EXPORT, target_type="audit", fields=filters.described(), request=request
    )
    entries = audit_entries(filters).iterator(chunk_size=EXPORT_CHUNK_SIZE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_csv_lines(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="journal-audit-{stamp}.csv"'
    return response
