"""Household pages: list and search, detail (audited), break the glass for confidential files; intake
of a new household, editing the household and its people, links, resources and charges, consents, merge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.households.duplicates import DuplicateCandidate
from guichet.households.forms import (
    AddressForm,
    BreakGlassForm,
    ChargeForm,
    ConsentForm,
    HouseholdForm,
    HouseholdSearchForm,
    MergeChoiceForm,
    PersonForm,
    PersonLinkForm,
    ResourceForm,
)
from guichet.households.models import Charge, Consent, Household, Person, PersonLink, Resource
from guichet.households.perms import (
    BREAK_GLASS_DURATION,
    BreakGlassRequired,
    can_see_social_situation,
    check_household_access,
)
from guichet.households.selectors import (
    HouseholdFilters,
    household_detail,
    household_ids_for,
    household_resources,
    household_rows,
    quartier_choices,
    recent_months_start,
)
from guichet.households.services import (
    MERGE_WITH_PEOPLE_REFUSED,
    PossibleDuplicates,
    charge_delete,
    charge_set,
    consent_record,
    consent_withdraw,
    household_break_glass,
    household_create,
    household_merge,
    household_open,
    household_update,
    may_merge,
    person_add,
    person_link_set,
    person_remove,
    person_update,
    resource_delete,
    resource_set,
)
from guichet.households.timeline import household_timeline_items, join_items

PAGE_SIZE = 25
TIMELINE_SHOWN = 200  # events on the household page; the history page shows them all
HISTORY_PAGE_SIZE = 100


@require_perm(Perm.HOUSEHOLD_VIEW)
def household_list(request: HttpRequest) -> HttpResponse:
    form = HouseholdSearchForm(request.GET or None, quartiers=quartier_choices())
    filters = HouseholdFilters()
    if form.is_valid():
        qpv = form.cleaned_data["qpv"]
        filters = HouseholdFilters(
            q=form.cleaned_data["q"],
            quartier=form.cleaned_data["quartier"],
            qpv={"oui": True, "non": False}.get(qpv),
        )
    page = Paginator(household_ids_for(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": household_rows(request.user, page.object_list),
        "query_string": query.urlencode(),
        "can_create": request.user.has_perm(Perm.HOUSEHOLD_EDIT.full),
    }
    template = "households/_results.html" if request.htmx else "households/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_perm(Perm.HOUSEHOLD_VIEW)
def household_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        household = household_open(user=request.user, pk=pk, request=request)
    except BreakGlassRequired:
        return redirect("households:break_glass", pk=pk)
    user = request.user
    detail = household_detail(user, household)
    timeline = household_timeline_items(user, household)
    context = {
        "detail": detail,
        "timeline": timeline,
        "timeline_items": join_items(timeline[:TIMELINE_SHOWN]),
        "timeline_hidden": max(0, len(timeline) - TIMELINE_SHOWN),
        "can_edit": user.has_perm(Perm.HOUSEHOLD_EDIT.full),
        "can_merge": user.has_perm(Perm.HOUSEHOLD_MERGE.full),
    }
    return render(request, "households/detail.html", context)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.BREAK_GLASS)
def household_break_glass_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    try:
        check_household_access(request.user, household)
    except BreakGlassRequired:
        pass
    else:
        return redirect("households:detail", pk=pk)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household_break_glass(
                user=request.user, household=household, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            return redirect("households:detail", pk=pk)
    minutes = int(BREAK_GLASS_DURATION.total_seconds() // 60)
    return render(request, "households/break_glass.html", {"household": household, "form": form, "minutes": minutes})


# --- Writing the file ------------------------------------------------------------------------------

HouseholdView = Callable[..., HttpResponse]
Created = TypeVar("Created")
APPLICANT_FIELDS = tuple(name for name in PersonForm.field_names if name != "household_role")
RESOURCE_MONTHS_SHOWN = 12


def with_household(view: HouseholdView) -> HouseholdView:
    """Open the household ``pk`` (policy-checked, audited read) or send to the break the glass form."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            household = household_open(user=request.user, pk=pk, request=request)
        except BreakGlassRequired:
            return redirect("households:break_glass", pk=pk)
        return view(request, household, *args, **kwargs)

    return wrapped


@require_perm(Perm.HOUSEHOLD_VIEW)
@with_household
def household_history_view(request: HttpRequest, household: Household) -> HttpResponse:
    """The whole history of a file, page by page, optionally one kind of event only."""
    events = household_timeline_items(request.user, household)
    kinds = sorted({event.kind for event in events})
    kind = request.GET.get("type", "")
    if kind in kinds:
        events = [event for event in events if event.kind == kind]
    else:
        kind = ""
    page = Paginator(events, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "household": household,
        "page": page,
        "items": join_items(page.object_list),
        "kinds": kinds,
        "kind": kind,
        "query_string": urlencode({"type": kind}) if kind else "",
    }
    return render(request, "households/history.html", context)


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (on the field when the form has it)."""
    if hasattr(error, "error_dict"):
        for name, field_errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _create_unless_duplicates(
    request: HttpRequest, form: Form, create: Callable[[bool], Created]
) -> tuple[Created | None, list[DuplicateCandidate]]:
    """Run ``create`` (confirmed when the user chose « Créer quand même »): the created object, or the
    possible duplicates to show, or ``None`` with the service's errors put on ``form``."""
    try:
        return create(request.POST.get("forcer") == "1"), []
    except PossibleDuplicates as duplicates:
        return None, duplicates.candidates
    except ValidationError as error:
        add_service_errors(form, error)
        return None, []


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def household_create_view(request: HttpRequest) -> HttpResponse:
    """« Nouveau ménage »: the applicant first, then the address and the household, in one page."""
    data = _posted(request)
    social = can_see_social_situation(request.user)
    person_form = PersonForm(data, prefix="demandeur", field_names=APPLICANT_FIELDS, health=social)
    address_form = AddressForm(data, prefix="adresse")
    household_form = HouseholdForm(data, prefix="menage", social=social)
    candidates: list[DuplicateCandidate] = []
    if data is not None and all(f.is_valid() for f in (person_form, address_form, household_form)):
        household, candidates = _create_unless_duplicates(
            request,
            person_form,
            lambda confirmed: household_create(
                user=request.user,
                household=household_form.changed_values(),
                address=address_form.address(),
                applicant=person_form.changed_values(),
                confirm_duplicates=confirmed,
                request=request,
            ),
        )
        if household is not None:
            messages.success(request, f"Le ménage {household.reference} a été créé.")
            return redirect("households:detail", pk=household.pk)
    sections = [("Demandeur", person_form), ("Adresse", address_form), ("Ménage", household_form)]
    context = {"sections": sections, "candidates": candidates, "title": "Nouveau ménage", "submit": "Créer le ménage"}
    return render(request, "households/household_form.html", context)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@with_household
def household_edit_view(request: HttpRequest, household: Household) -> HttpResponse:
    data = _posted(request)
    household_form = HouseholdForm(
        data,
        prefix="menage",
        social=can_see_social_situation(request.user),
        initial=model_to_dict(household),
    )
    address_form = AddressForm(data, prefix="adresse", initial=AddressForm.initial_for(household.address))
    if data is not None and household_form.is_valid() and address_form.is_valid():
        try:
            household_update(
                user=request.user,
                household=household,
                values=household_form.changed_values(),
                address=address_form.address(),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(household_form, error)
        else:
            messages.success(request, "Le ménage a été modifié.")
            return redirect("households:detail", pk=household.pk)
    context = {
        "household": household,
        "sections": [("Adresse", address_form), ("Ménage", household_form)],
        "title": f"Modifier le ménage {household.reference}",
        "submit": "Enregistrer",
    }
    return render(request, "households/household_form.html", context)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@with_household
def person_add_view(request: HttpRequest, household: Household) -> HttpResponse:
    form = PersonForm(
        _posted(request),
        initial={"last_name": _applicant_last_name(household)},
        health=can_see_social_situation(request.user),
    )
    candidates: list[DuplicateCandidate] = []
    if form.is_bound and form.is_valid():
        person, candidates = _create_unless_duplicates(
            request,
            form,
            lambda confirmed: person_add(
                user=request.user,
                household=household,
                values=form.changed_values(),
                confirm_duplicates=confirmed,
                request=request,
            ),
        )
        if person is not None:
            messages.success(request, f"{person} a été ajouté(e) au ménage.")
            return redirect("households:detail", pk=household.pk)
    context = {
        "household": household,
        "sections": [("Personne", form)],
        "candidates": candidates,
        "title": f"Ajouter une personne au ménage {household.reference}",
        "submit": "Ajouter la personne",
    }
    return render(request, "households/household_form.html", context)


def _applicant_last_name(household: Household) -> str:
    applicant = household.people.order_by("household_role", "pk").first()
    return applicant.last_name if applicant else ""


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@with_household
def person_edit_view(request: HttpRequest, household: Household, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id, household=household)
    form = PersonForm(_posted(request), initial=model_to_dict(person), health=can_see_social_situation(request.user))
    if form.is_bound and form.is_valid():
        try:
            person_update(user=request.user, person=person, values=form.changed_values(), request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La personne a été modifiée.")
            return redirect("households:detail", pk=household.pk)
    context = {
        "household": household,
        "person": person,
        "sections": [("Personne", form)],
        "title": f"Modifier {person}",
        "submit": "Enregistrer",
    }
    return render(request, "households/household_form.html", context)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@with_household
def person_remove_view(request: HttpRequest, household: Household, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id, household=household)
    error = ""
    if request.method == "POST":
        try:
            person_remove(user=request.user, person=person, request=request)
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            messages.success(request, f"{person} a été retiré(e) du ménage.")
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/person_remove.html", {"household": household, "person": person, "error": error})


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@with_household
def person_links_view(request: HttpRequest, household: Household) -> HttpResponse:
    form = PersonLinkForm(household=household)
    if request.method == "POST":
        remove = request.POST.get("retirer")
        if remove:
            link = get_object_or_404(PersonLink, pk=remove, from_person__household=household)
            person_link_set(
                user=request.user, from_person=link.from_person, to_person=link.to_person, kind=None, request=request
            )
            messages.success(request, "Le lien a été retiré.")
            return redirect("households:links", pk=household.pk)
        form = PersonLinkForm(request.POST, household=household)
        if form.is_valid():
            try:
                person_link_set(
                    user=request.user,
                    from_person=form.cleaned_data["from_person"],
                    to_person=form.cleaned_data["to_person"],
                    kind=form.cleaned_data["kind"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Le lien a été enregistré.")
                return redirect("households:links", pk=household.pk)
    links = PersonLink.objects.filter(from_person__household=household).select_related("from_person", "to_person")
    return render(request, "households/links.html", {"household": household, "links": links, "form": form})


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
@with_household
def resources_view(request: HttpRequest, household: Household) -> HttpResponse:
    """Monthly resources and charges of the household (social situation: HOUSEHOLD_FOLLOW)."""
    action = request.POST.get("action") if request.method == "POST" else None
    resource_form = ResourceForm(
        request.POST if action == "ressource" else None,
        household=household,
        prefix="ressource",
        initial={"month": timezone.localdate().replace(day=1)},
    )
    charge_form = ChargeForm(request.POST if action == "charge" else None, prefix="charge")
    if action == "ressource" and resource_form.is_valid():
        data = resource_form.cleaned_data
        try:
            resource_set(
                user=request.user,
                household=household,
                person=data["person"],
                kind=data["kind"],
                month=data["month"],
                amount=data["amount"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(resource_form, error)
        else:
            messages.success(request, "La ressource a été enregistrée.")
            return redirect("households:resources", pk=household.pk)
    elif action == "charge" and charge_form.is_valid():
        try:
            charge_set(user=request.user, household=household, **charge_form.cleaned_data, request=request)
        except ValidationError as error:
            add_service_errors(charge_form, error)
        else:
            messages.success(request, "La charge a été enregistrée.")
            return redirect("households:resources", pk=household.pk)
    elif action == "supprimer-ressource":
        resource = get_object_or_404(Resource, pk=request.POST.get("id"), household=household)
        resource_delete(user=request.user, resource=resource, request=request)
        messages.success(request, "La ressource a été supprimée.")
        return redirect("households:resources", pk=household.pk)
    elif action == "supprimer-charge":
        charge = get_object_or_404(Charge, pk=request.POST.get("id"), household=household)
        charge_delete(user=request.user, charge=charge, request=request)
        messages.success(request, "La charge a été supprimée.")
        return redirect("households:resources", pk=household.pk)
    since = recent_months_start(RESOURCE_MONTHS_SHOWN)
    context = {
        "household": household,
        "resources": household_resources(household, since).order_by("-month", "kind"),
        "charges": household.charges.all(),
        "resource_form": resource_form,
        "charge_form": charge_form,
        "months_shown": RESOURCE_MONTHS_SHOWN,
    }
    return render(request, "households/resources.html", context)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
@with_household
def charge_edit_view(request: HttpRequest, household: Household, charge_id: int) -> HttpResponse:
    charge = get_object_or_404(Charge, pk=charge_id, household=household)
    form = ChargeForm(_posted(request), initial=model_to_dict(charge))
    if form.is_bound and form.is_valid():
        try:
            charge_set(user=request.user, household=household, charge=charge, **form.cleaned_data, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La charge a été modifiée.")
            return redirect("households:resources", pk=household.pk)
    context = {
        "household": household,
        "sections": [("Charge", form)],
        "title": f"Modifier une charge du ménage {household.reference}",
        "submit": "Enregistrer",
        "back_url_name": "households:resources",
    }
    return render(request, "households/household_form.html", context)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@with_household
def consents_view(request: HttpRequest, household: Household) -> HttpResponse:
    form = ConsentForm()
    if request.method == "POST":
        withdraw = request.POST.get("retirer")
        if withdraw:
            consent = get_object_or_404(Consent, pk=withdraw, household=household)
            try:
                consent_withdraw(user=request.user, consent=consent, request=request)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Le consentement a été retiré.")
            return redirect("households:consents", pk=household.pk)
        form = ConsentForm(request.POST)
        if form.is_valid():
            given_on = form.cleaned_data["given_on"]
            given_at = timezone.make_aware(dt.datetime.combine(given_on, dt.time(12))) if given_on is not None else None
            consent_record(
                user=request.user,
                household=household,
                scope=form.cleaned_data["scope"],
                given_at=given_at,
                request=request,
            )
            messages.success(request, "Le consentement a été enregistré.")
            return redirect("households:consents", pk=household.pk)
    consents = household.consents.select_related("recorded_by").order_by("-given_at")
    return render(request, "households/consents.html", {"household": household, "consents": consents, "form": form})


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@with_household
def household_merge_view(request: HttpRequest, household: Household) -> HttpResponse:
    """Merge another file into this one: choose it, check both side by side, confirm (responsables;
    those who edit households, for a file without any person: a request made online)."""
    form = MergeChoiceForm(_posted(request))
    responsable = request.user.has_perm(Perm.HOUSEHOLD_MERGE.full)
    choosing = {"household": household, "form": form, "responsable": responsable}
    if not (form.is_bound and form.is_valid()):
        return render(request, "households/merge.html", choosing)
    source: Household = form.cleaned_data["source"]
    if source.pk == household.pk:
        form.add_error("source", "Choisissez un autre dossier que celui-ci.")
        return render(request, "households/merge.html", choosing)
    try:
        check_household_access(request.user, source)  # a file one may not open says nothing of itself
        if not may_merge(request.user, source):
            form.add_error("source", MERGE_WITH_PEOPLE_REFUSED)
            return render(request, "households/merge.html", choosing)
        source = household_open(user=request.user, pk=source.pk, request=request)
    except BreakGlassRequired:
        return redirect("households:break_glass", pk=source.pk)
    error = ""
    if request.POST.get("confirmer") == "1":
        reference = source.reference
        try:
            moved = household_merge(user=request.user, source=source, target=household, request=request)
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            count = sum(moved.values())
            messages.success(
                request, f"Le dossier {reference} a été fusionné dans celui-ci ({count} éléments transférés)."
            )
            return redirect("households:detail", pk=household.pk)
    context = {
        "household": household,
        "form": form,
        "target": household_detail(request.user, household),
        "source": household_detail(request.user, source),
        "error": error,
        "responsable": responsable,
    }
    return render(request, "households/merge.html", context)
