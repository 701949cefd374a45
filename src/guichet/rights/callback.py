"""« Être rappelé·e par le CCAS », at the end of the public simulation.

Only when the person ticks the explicit consent is anything stored: a request of the guichet (channel
« en ligne », theme « accès aux droits », unassigned, « nouvelle ») holding the contact details, the
simulation's answers and its estimate (recomputed here, never taken from the page). Without the
consent, or with any other error, nothing is written anywhere: the form comes back with the answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from guichet.accounts.access import public_view
from guichet.desk.enums import THEMES, Theme
from guichet.desk.models import Request
from guichet.desk.public_contact import CONTACT_TIMES, CONTACT_WHEN, over_rate_limit
from guichet.desk.services import request_create_public
from guichet.rights.actions import euros
from guichet.rights.public import simulator_household
from guichet.rights.public_forms import (
    ADULTS,
    CALLBACK_CONSENT,
    HOUSING,
    INCOME_KINDS,
    CallbackForm,
    SimulatorForm,
)
from guichet.rules.openfisca.assessment import BenefitResult, assess
from guichet.widgets import SITUATIONS

PREFIX = "rappel"
CALLBACK_RATE_LIMIT = 5  # callbacks per address and hour: each one is a request in an agent's queue
SUMMARY_MAX_LENGTH = 500  # desk ``Request.summary``
TEMPLATE = "rights/public/callback.html"
DONE_TEMPLATE = "rights/public/callback_done.html"


def answer_lines(answers: Mapping[str, Any]) -> list[str]:
    """The simulation's answers, in the questionnaire's words."""
    ages = sorted(answers["children_ages"], reverse=True)
    housing = dict(HOUSING)[answers["housing_status"]]
    if answers.get("rent"):
        housing += f", loyer {euros(answers['rent'])} par mois"
    lines = [
        f"Situation : {dict(SITUATIONS)[answers['situation']].lower()}",
        "Enfants à charge : " + (", ".join(f"{age} ans" for age in ages) if ages else "aucun"),
        f"Logement : {housing}",
        f"Code postal : {answers['postcode']}",
    ]
    adults = ADULTS if answers["situation"] == "couple" else ADULTS[:1]
    for adult, whose in zip(adults, ("vous", "votre conjoint·e"), strict=False):
        incomes = [
            f"{label.lower()} {euros(answers[f'{adult}_{kind}'])}"
            for kind, label in INCOME_KINDS.items()
            if answers.get(f"{adult}_{kind}")
        ]
        lines.append(f"Revenus nets par mois ({whose}) : " + ("; ".join(incomes) if incomes else "aucun"))
    return lines


def estimate_text(result: BenefitResult) -> str:
    if result.amount is None:
        return f"{result.label} : droit probable"
    period = {"mensuel": " par mois", "annuel": " par an"}.get(result.period, "")
    cost = "participation de " if result.is_cost else ""
    return f"{result.label} : {cost}{euros(result.amount)}{period}"


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def callback_summary(contact: Mapping[str, Any], eligible: Iterable[BenefitResult]) -> str:
    """The request's summary (what the queue shows): who, how to reach them, when, what was found."""
    reach = ", ".join(
        part for part in (f"tél. {contact['phone']}" if contact["phone"] else "", contact["email"] or "") if part
    )
    found = "; ".join(estimate_text(r) for r in eligible) or "aucune aide estimée"
    precision = f" ({contact['precision']})" if contact.get("precision") else ""
    text = (
        f"Rappel demandé en ligne par {contact['name']} ({reach}), "
        f"{CONTACT_WHEN[contact['preferred_time']]}{precision}. "
        f"Simulation : {found}."
    )
    return _truncate(text, SUMMARY_MAX_LENGTH)


def callback_details(
    contact: Mapping[str, Any], answers: Mapping[str, Any], results: Iterable[BenefitResult], month: dt.date
) -> str:
    """Everything given and found, for the first line of the request's history."""
    results = list(results)
    now = timezone.localtime()
    lines = [
        f"Demande de rappel faite sur le simulateur public le {now:%d/%m/%Y à %H:%M}, "
        f"avec l'accord de la personne (« {CALLBACK_CONSENT} »).",
        f"Nom : {contact['name']}",
        f"Téléphone : {contact['phone'] or '—'}",
        f"Courriel : {contact['email'] or '—'}",
        f"Moment préféré : {dict(CONTACT_TIMES)[contact['preferred_time']]}"
        + (f" ; {contact['precision']}" if contact.get("precision") else ""),
        f"Réponses à la simulation ({date_format(month, 'F Y')}) :",
        *(f"- {line}" for line in answer_lines(answers)),
        "Estimation indicative :",
        *(f"- {estimate_text(r)}" for r in results if r.eligible),
    ]
    if not any(r.eligible for r in results):
        lines.append("- aucune aide estimée")
    studied = [r.label for r in results if not r.eligible]
    if studied:
        lines.append("Aides étudiées sans droit estimé : " + ", ".join(studied) + ".")
    return "\n".join(lines)


def callback_request_create(
    *, answers: Mapping[str, Any], contact: Mapping[str, Any], month: dt.date, request: HttpRequest | None = None
) -> Request:
    """The request for the CCAS, from validated answers and contact (consent given). The estimate is
    computed again from the answers (OpenFisca runs before the transaction of the desk service)."""
    results = assess(simulator_household(dict(answers), month), month).results
    return request_create_public(
        theme=Theme.RIGHTS,
        summary=callback_summary(contact, [r for r in results if r.eligible]),
        details=callback_details(contact, answers, results, month),
        phone=contact["phone"],
        email=contact["email"],
        request=request,
    )


@public_view
@require_POST
def callback_view(request: HttpRequest) -> HttpResponse:
    """The offer's form, posted with the simulation's answers: the request and the confirmation
    page, or the form again with what is missing (nothing stored)."""
    month = timezone.localdate().replace(day=1)
    simulation = SimulatorForm(request.POST)
    form = CallbackForm(request.POST, prefix=PREFIX)
    context: dict[str, Any] = {"answers_form": simulation, "callback_form": form, "month": month}
    if not simulation.is_valid():
        context["answers_invalid"] = True
        return render(request, TEMPLATE, context, status=400)
    if not form.is_valid():
        return render(request, TEMPLATE, context)
    if over_rate_limit(request, scope="callback", limit=CALLBACK_RATE_LIMIT):
        context["rate_limited"] = True
        return render(request, TEMPLATE, context, status=429)
    callback_request_create(answers=simulation.cleaned_data, contact=form.cleaned_data, month=month, request=request)
    return redirect("rights:public_callback_done")


@public_view
def callback_done_view(request: HttpRequest) -> HttpResponse:
    """The confirmation (it shows nothing of what was given: anyone may open it)."""
    return render(request, DONE_TEMPLATE, {"delay_days": THEMES[Theme.RIGHTS].target_days})
