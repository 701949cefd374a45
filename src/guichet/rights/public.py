"""The public rights simulator (no login): a short questionnaire -> an indicative estimate per benefit.

Nothing is stored: the answers build a rules household in memory, assessed by OpenFisca; only an
anonymous counter of simulations is kept in the cache. The person may then ask to be called back,
with an explicit consent (``callback``): only then is a request created.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guichet.accounts.access import public_view
from guichet.desk.public_contact import over_rate_limit
from guichet.rights.local_aids import public_local_aids
from guichet.rights.public_forms import ADULTS, INCOME_KINDS, CallbackForm, SimulatorForm
from guichet.rules import household as rules
from guichet.rules.openfisca.assessment import assess

ADULT_AGE = 40  # no adult age is asked: an adult of working age
SIMULATION_COUNTER = "rights:public_simulations"
RATE_LIMIT = 30  # simulations per address and hour: each one costs seconds of CPU
RATE_WINDOW = 3600
TEMPLATE = "rights/public/simulator.html"
TEMPLATE_PART = "rights/public/simulator_part.html"  # what htmx swaps into ``#resultat``
OCCUPATION_BY_KIND = {  # the first kind with an amount gives the adult's occupation
    "salaire": "salarie",
    "chomage": "demandeur_emploi",
    "retraite": "retraite",
    "pension_invalidite": "inapte",
    "aah": "inapte",
}


def _birth_date(age: int, on: dt.date) -> dt.date:
    return dt.date(on.year - age, on.month, 1)


def _adult(role: str, answers: dict[str, Any], prefix: str, month: dt.date) -> rules.Person:
    amounts = {kind: answers.get(f"{prefix}_{kind}") or Decimal(0) for kind in INCOME_KINDS}
    occupation = next((OCCUPATION_BY_KIND[kind] for kind, amount in amounts.items() if amount), "autre")
    return rules.Person(
        id=prefix,
        role=role,
        birth_date=_birth_date(ADULT_AGE, month),
        occupation=occupation,
        resources={kind: {month: amount} for kind, amount in amounts.items() if amount},
    )


def simulator_household(answers: dict[str, Any], month: dt.date) -> rules.Household:
    """The rules household described by the questionnaire (resources of the simulated month,
    supposed constant before it)."""
    roles = ("demandeur", "conjoint") if answers["situation"] == "couple" else ("demandeur",)
    people = [_adult(role, answers, prefix, month) for role, prefix in zip(roles, ADULTS, strict=False)]
    people += [
        rules.Person(
            id=f"enfant-{rank}",
            role="enfant",
            birth_date=_birth_date(age, month),
            occupation="scolaire" if age >= 3 else "enfant",
        )
        for rank, age in enumerate(sorted(answers["children_ages"], reverse=True), start=1)
    ]
    tenant = str(answers["housing_status"]).startswith("locataire")
    return rules.Household(
        id="simulation",
        people=tuple(people),
        housing_status=answers["housing_status"],
        rent=answers.get("rent") if tenant else None,
        postcode=answers["postcode"],
    )


def _count_simulation() -> None:
    try:
        cache.incr(SIMULATION_COUNTER)
    except ValueError:
        cache.set(SIMULATION_COUNTER, 1, timeout=None)


def _over_rate_limit(request: HttpRequest) -> bool:
    """Count one simulation for the caller's address; True once it passed ``RATE_LIMIT`` this hour."""
    return over_rate_limit(request, scope="simulation", limit=RATE_LIMIT, window=RATE_WINDOW)


@public_view
def simulator_view(request: HttpRequest) -> HttpResponse:
    """GET: the questionnaire; POST: the estimate (for htmx, only the results or the errors)."""
    month = timezone.localdate().replace(day=1)
    form = SimulatorForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {"form": form, "month": month, "adults": ADULTS}
    status = 200
    if form.is_bound and form.is_valid() and _over_rate_limit(request):
        context["rate_limited"] = True
        status = 429
    elif form.is_bound and form.is_valid():
        household = simulator_household(form.cleaned_data, month)
        assessment = assess(household, month)
        context["local_aids"] = public_local_aids(household, month)
        _count_simulation()
        context["results"] = [r for r in assessment.results if r.eligible]
        context["not_eligible"] = [r for r in assessment.results if not r.eligible]
        context["callback_form"] = CallbackForm(prefix="rappel")  # the offer to be called back
    partial = request.headers.get("HX-Request") == "true" and request.method == "POST"
    if partial:  # htmx swaps only 2xx answers: the refusal message must still be shown
        return render(request, TEMPLATE_PART, context)
    return render(request, TEMPLATE, context, status=status)
