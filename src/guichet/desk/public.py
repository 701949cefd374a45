"""« Faire une demande en ligne »: the public intake form of the guichet unique (no login).

Only when the person ticks the explicit consent is anything stored: a request of the guichet (channel
« en ligne », the theme chosen, unassigned, « nouvelle ») through ``request_create_public``. Without the
consent, or with any other error, nothing is written anywhere: the form comes back with every answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from guichet.accounts.access import public_view
from guichet.desk.enums import THEMES, Axis, Theme, themes_of_axis
from guichet.desk.models import Request
from guichet.desk.public_contact import CONTACT_TIMES, CONTACT_WHEN, ContactForm, over_rate_limit
from guichet.desk.services import request_create_public

TEMPLATE = "desk/public_request.html"
DONE_TEMPLATE = "desk/public_request_done.html"
SESSION_KEY = "desk_public_request_done"  # what the confirmation shows, kept in the person's own session
# Same allowance and window as the simulator's callback: each request lands in an agent's queue.
RATE_LIMIT = 5  # requests per address and hour
RATE_WINDOW = 3600
MESSAGE_MAX_LENGTH = 2000
SUMMARY_MAX_LENGTH = 500  # desk ``Request.summary``
SUMMARY_MESSAGE_LENGTH = 200  # the part of the message the queue shows
OTHER = "autre"  # « je ne sais pas »: handled as an access-to-rights request, the broadest desk theme
OTHER_THEME = Theme.RIGHTS

# Desk themes in the words of a resident, grouped by the axes of the projet social (plain titles).
AXIS_LABELS: dict[Axis, str] = {
    Axis.SOCIAL_TIES: "Vie sociale, famille, autonomie",
    Axis.HOUSING_MOBILITY: "Logement et déplacements",
    Axis.SOCIO_ECONOMIC: "Argent, droits, santé, emploi",
    Axis.LIVING_ENVIRONMENT: "Énergie, numérique, cadre de vie",
}
THEME_LABELS: dict[Theme, str] = {
    Theme.ISOLATION: "Je me sens seul·e, je cherche du lien",
    Theme.SENIOR_SUPPORT: "Rester chez soi malgré l'âge ou la perte d'autonomie",
    Theme.VIOLENCE: "Violences dans le couple ou la famille",
    Theme.HOUSING_ACCESS: "Trouver un logement",
    Theme.RENT_ARREARS: "Difficultés à payer le loyer, menace d'expulsion",
    Theme.MOBILITY: "Se déplacer (transports, permis, véhicule)",
    Theme.FOOD_AID: "Aide pour se nourrir (colis, épicerie sociale)",
    Theme.FINANCIAL_AID: "Aide financière, difficultés de budget",
    Theme.RIGHTS: "Connaître mes droits, faire mes démarches administratives",
    Theme.HEALTH: "Santé, accès aux soins",
    Theme.DISABILITY: "Handicap",
    Theme.EMPLOYMENT: "Emploi, formation",
    Theme.ENERGY: "Factures d'énergie ou d'eau",
    Theme.DIGITAL: "Aide avec internet, un ordinateur ou un téléphone",
    Theme.LIVING_ENVIRONMENT: "Logement en mauvais état, problèmes de voisinage",
}
CONSENT = "J'accepte que le CCAS conserve ces informations pour traiter ma demande"


def theme_choices() -> list[tuple[str, Any]]:
    """The select's options: an empty first choice, the themes under their axis, then « autre »."""
    groups: list[tuple[str, Any]] = [("", "Choisissez un thème")]
    for axis, title in AXIS_LABELS.items():
        themes = [(theme.value, THEME_LABELS[theme]) for theme in themes_of_axis(axis)]
        groups.append((title, themes))
    groups.append(("Autre", [(OTHER, "Autre demande, ou je ne sais pas")]))
    return groups


class PublicRequestForm(ContactForm):
    """What a resident gives to be contacted by the CCAS; only a ticked consent lets anything be stored."""

    field_order = ("first_name", "last_name", "phone", "email", "preferred_time")

    first_name = forms.CharField(
        label="Votre prénom", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Votre nom", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    preferred_time = forms.ChoiceField(
        label="Quand préférez-vous être contacté·e ?",
        choices=CONTACT_TIMES,
        widget=forms.RadioSelect,
        initial="indifferent",
    )
    theme = forms.ChoiceField(
        label="Votre demande concerne",
        choices=theme_choices,
        error_messages={"required": "Choisissez le thème de votre demande."},
    )
    message = forms.CharField(
        label="Votre message",
        max_length=MESSAGE_MAX_LENGTH,
        help_text=f"Expliquez en quelques lignes votre situation et ce que vous attendez ({MESSAGE_MAX_LENGTH} "
        "caractères au plus). Ne donnez pas de numéro de sécurité sociale ni de coordonnées bancaires.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Décrivez votre demande en quelques mots."},
    )
    address = forms.CharField(
        label="Quartier ou adresse (facultatif)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    consent = forms.BooleanField(
        label=CONSENT,
        error_messages={
            "required": (
                "Cochez cette case pour que le CCAS puisse traiter votre demande. "
                "Sans votre accord, rien n'est enregistré."
            )
        },
    )

    def clean_message(self) -> str:
        message = str(self.cleaned_data.get("message") or "").strip()
        if not message:
            raise forms.ValidationError("Décrivez votre demande en quelques mots.")
        return message

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("first_name", "last_name", "phone", "email", "preferred_time")]


def _truncate(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _theme(data: Mapping[str, Any]) -> Theme:
    return OTHER_THEME if data["theme"] == OTHER else Theme(data["theme"])


def _theme_label(data: Mapping[str, Any]) -> str:
    return "Autre demande, ou je ne sais pas" if data["theme"] == OTHER else THEME_LABELS[Theme(data["theme"])]


def public_request_summary(data: Mapping[str, Any]) -> str:
    """The request's summary (what the queue shows): who, how to reach them, when, the start of the message."""
    reach = ", ".join(part for part in (f"tél. {data['phone']}" if data["phone"] else "", data["email"]) if part)
    text = (
        f"Demande en ligne de {data['first_name']} {data['last_name']} ({reach}), "
        f"à contacter {CONTACT_WHEN[data['preferred_time']]} : {_truncate(data['message'], SUMMARY_MESSAGE_LENGTH)}"
    )
    return _truncate(text, SUMMARY_MAX_LENGTH)


def public_request_details(data: Mapping[str, Any]) -> str:
    """Everything given, for the first line of the request's history."""
    now = timezone.localtime()
    return "\n".join(
        [
            f"Demande faite en ligne le {now:%d/%m/%Y à %H:%M}, avec l'accord de la personne (« {CONSENT} »).",
            f"Prénom : {data['first_name']}",
            f"Nom : {data['last_name']}",
            f"Téléphone : {data['phone'] or '—'}",
            f"Courriel : {data['email'] or '—'}",
            f"Moment préféré : {dict(CONTACT_TIMES)[data['preferred_time']]}",
            f"Quartier ou adresse : {data['address'] or '—'}",
            f"Thème choisi : {_theme_label(data)}",
            "Message :",
            data["message"],
        ]
    )


def public_request_create(*, data: Mapping[str, Any], request: HttpRequest | None = None) -> Request:
    """The request for the CCAS, from the validated form (consent given)."""
    return request_create_public(
        theme=_theme(data),
        summary=public_request_summary(data),
        details=public_request_details(data),
        phone=data["phone"],
        email=data["email"],
        request=request,
    )


def _over_rate_limit(request: HttpRequest) -> bool:
    return over_rate_limit(request, scope="demande_en_ligne", limit=RATE_LIMIT, window=RATE_WINDOW)


@public_view
def public_request_view(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: the request and a redirect to the confirmation, or the form again with
    what is missing (nothing stored)."""
    form = PublicRequestForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    if not form.is_bound or not form.is_valid():
        return render(request, TEMPLATE, context)
    if _over_rate_limit(request):
        context["rate_limited"] = True
        return render(request, TEMPLATE, context, status=429)
    demand = public_request_create(data=form.cleaned_data, request=request)
    request.session[SESSION_KEY] = {
        "reference": demand.pk,
        "first_name": form.cleaned_data["first_name"],
        "delay_days": THEMES[Theme(demand.theme)].target_days,
    }
    return redirect("desk:public_request_done")


@public_view
def public_request_done_view(request: HttpRequest) -> HttpResponse:
    """The confirmation: the reference to quote and what comes next, only in the session that made the
    request (anyone else is sent to the form)."""
    done = request.session.get(SESSION_KEY)
    if not done:
        return redirect("desk:public_request")
    return render(request, DONE_TEMPLATE, done)
