"""From a line of a stored assessment's « que faire » list to the guichet: a request for the household
(« Demande de RSA à accompagner »), or a request referred at once to the partner of the directory that
handles the benefit (CAF, CPAM, Département…).

The desk services do the writing (permissions, history, audit); this module proposes the pre-filled
values and links what it creates back to the assessment: the request's summary always ends with the
assessment's reference, so that the link survives any edit of the proposed text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.desk.enums import PartnerKind, SharedData, Theme, Urgency
from guichet.desk.models import Partner, Referral, Request
from guichet.desk.perms import check_refer, check_request_edit
from guichet.desk.selectors import RequestFilters, partners_for, requests_for
from guichet.desk.services import referral_create, request_create
from guichet.rights.comparison import BenefitRow
from guichet.rights.models import RightsAssessment
from guichet.rights.perms import get_assessment_for_user
from guichet.rights.presentation import assessment_view
from guichet.rules.money import format_euros
from guichet.rules.text import normalize_text

SUMMARY_MAX_LENGTH = 500  # desk ``Request.summary``
REQUEST = "demande"
REFERRAL = "orientation"
KINDS = {REQUEST: "Créer une demande", REFERRAL: "Orienter vers un partenaire"}
DEFAULT_SHARED = (SharedData.IDENTITY, SharedData.CONTACT, SharedData.REQUEST)  # as the desk's own form


class ActionError(ValidationError):
    """A « que faire » line that cannot be turned into a request (French message)."""


# How a benefit is named in a request's summary (after « Demande de »).
SHORT_NAMES = {
    "rsa": "RSA",
    "ppa": "prime d'activité",
    "aide_logement": "aide au logement",
    "af": "allocations familiales",
    "cf": "complément familial",
    "asf": "allocation de soutien familial",
    "ars": "allocation de rentrée scolaire",
    "paje_base": "PAJE (allocation de base)",
    "aah": "AAH",
    "asi": "ASI",
    "aspa": "ASPA",
    "css_gratuite": "complémentaire santé solidaire",
    "css_participation": "complémentaire santé solidaire avec participation",
    "cheque_energie": "chèque énergie",
    "bourse_college": "bourse de collège",
    "bourse_lycee": "bourse de lycée",
}
THEMES = {
    "aah": Theme.DISABILITY,
    "asi": Theme.DISABILITY,
    "css_gratuite": Theme.HEALTH,
    "css_participation": Theme.HEALTH,
    "cheque_energie": Theme.ENERGY,
}  # any other benefit: access to rights


@dataclass(frozen=True)
class PartnerHint:
    """Which directory entries handle a benefit's claim: words of their name (the most specific),
    else their kind. The catalogue's ``organisme`` is free text; this is its reading."""

    words: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


CAF = PartnerHint(("caf",), (PartnerKind.CAF,))
CPAM = PartnerHint(("cpam", "assurance maladie"), (PartnerKind.CPAM,))
PARTNER_HINTS = {
    **dict.fromkeys(("rsa", "ppa", "aide_logement", "af", "cf", "asf", "ars", "paje_base"), CAF),
    "aah": PartnerHint(("mdph",), (PartnerKind.DEPARTMENT,)),  # the MDPH decides; the Département runs it
    "asi": CPAM,
    "css_gratuite": CPAM,
    "css_participation": CPAM,
    "aspa": PartnerHint(("carsat",)),
    "cheque_energie": PartnerHint(("cheque energie", "asp")),
    "bourse_college": PartnerHint(("college",)),
    "bourse_lycee": PartnerHint(("lycee",)),
}


def short_name(row: BenefitRow) -> str:
    return SHORT_NAMES.get(row.result.key, row.result.label)


def _of(name: str) -> str:
    """« de RSA », « d'AAH », « d'allocations familiales »."""
    return f"d'{name}" if normalize_text(name[:1]) in set("aeiouyh") else f"de {name}"


def euros(amount: Decimal) -> str:
    """``1 234,50 €`` (no-break spaces: an amount never wraps)."""
    return format_euros(amount, cents=True)


def estimate(row: BenefitRow) -> str:
    """What the assessment found for the line, in a few words."""
    if row.status == "ecart" and row.difference is not None:
        return f"écart de {euros(row.difference)} par mois"
    if row.result.amount is None:
        return "droit probable"
    period = {"mensuel": " par mois", "annuel": " par an"}.get(row.result.period, "")
    return f"{euros(row.result.amount)}{period} estimés"


def default_summary(row: BenefitRow) -> str:
    if row.status == "ecart":
        return f"Montant {_of(short_name(row))} à faire vérifier"
    return f"Demande {_of(short_name(row))} à accompagner"


def link_marker(assessment: RightsAssessment, row: BenefitRow) -> str:
    """The part of the link text that identifies the assessment and its line."""
    return f"bilan de droits n° {assessment.pk} du {assessment.month:%m/%Y}, {short_name(row)} :"


def link_text(assessment: RightsAssessment, row: BenefitRow) -> str:
    return f"{link_marker(assessment, row)} {estimate(row)}"


def matching_partners(row: BenefitRow, partners: Iterable[Partner]) -> list[Partner]:
    """The active partners that handle the benefit's claim: those named by the hint's words if any,
    else those of the hint's kinds; empty when the directory has none (the agent chooses)."""
    hint = PARTNER_HINTS.get(row.result.key, PartnerHint())
    partners = list(partners)
    named = [
        p
        for p in partners
        if any(f" {word} " in f" {normalize_text(f'{p.organisation} {p.service}')} " for word in hint.words)
    ]
    return named or [p for p in partners if p.kind in hint.kinds]


@dataclass(frozen=True)
class ActionProposal:
    """What the confirmation form shows, pre-filled from the assessment's line."""

    assessment: RightsAssessment
    row: BenefitRow
    theme: Theme
    summary: str
    link: str
    candidates: tuple[Partner, ...]  # the partners that match the benefit, best first
    partners: tuple[Partner, ...]  # every active partner, for another choice
    existing: tuple[Request, ...]  # requests already created from this line

    @property
    def partner(self) -> Partner | None:
        """The partner proposed: the only one that matches, else none (the agent chooses)."""
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def comment(self) -> str:
        result = self.row.result
        return f"D'après le {self.link}. Où et comment : {result.organisme}. {result.how_to_claim}"


def _line(assessment: RightsAssessment, benefit_key: str) -> BenefitRow:
    for row in assessment_view(assessment).to_do:
        if row.result.key == benefit_key:
            return row
    raise ActionError("Cette aide ne figure pas dans la liste « que faire » de ce bilan.", code="not_to_do")


def _existing(user: Any, assessment: RightsAssessment, row: BenefitRow) -> tuple[Request, ...]:
    marker = link_marker(assessment, row)
    household_requests = requests_for(user, RequestFilters(queue="toutes", household=assessment.household_id))
    return tuple(r for r in household_requests if marker in r.summary)


def _audit(user: Any, assessment: RightsAssessment, reason: str, request: HttpRequest | None) -> None:
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="rights_assessment",
        target_id=assessment.pk,
        fields=("que_faire",),
        reason=reason,
        request=request,
    )


@transaction.atomic
def action_proposal(
    *, user: Any, assessment_id: int, benefit_key: str, request: HttpRequest | None = None
) -> ActionProposal:
    """The pre-filled request (or referral) for one line of the « que faire » list of a stored
    assessment; the read is audited. Raises ``ActionError`` for a line not to do."""
    assessment = get_assessment_for_user(user, assessment_id)
    row = _line(assessment, benefit_key)
    _audit(user, assessment, f"« que faire » : {row.result.label}", request)
    partners = tuple(partners_for())
    return ActionProposal(
        assessment=assessment,
        row=row,
        theme=THEMES.get(row.result.key, Theme.RIGHTS),
        summary=default_summary(row),
        link=link_text(assessment, row),
        candidates=tuple(matching_partners(row, partners)),
        partners=partners,
        existing=_existing(user, assessment, row),
    )


def summary_with_link(summary: str, link: str) -> str:
    """The agent's summary, then the link to the assessment (kept when the agent already left it in)."""
    summary = " ".join(summary.split()).rstrip(" .")
    if not summary:
        raise ActionError("Indiquez l'objet de la demande.", code="summary_required")
    text = summary if link in summary else f"{summary} ({link})"
    if len(text) > SUMMARY_MAX_LENGTH:
        room = SUMMARY_MAX_LENGTH - len(text) + len(summary)
        raise ActionError(
            f"L'objet est trop long : {room} caractères au plus, la référence du bilan s'y ajoute.",
            code="summary_too_long",
        )
    return text


def _open_line(user: Any, assessment_id: int, benefit_key: str) -> tuple[RightsAssessment, BenefitRow]:
    assessment = get_assessment_for_user(user, assessment_id)
    return assessment, _line(assessment, benefit_key)


@transaction.atomic
def action_request_create(
    *,
    user: Any,
    assessment_id: int,
    benefit_key: str,
    theme: Theme | str,
    summary: str,
    urgency: Urgency | str = Urgency.NORMAL,
    assign_to_me: bool = True,
    request: HttpRequest | None = None,
) -> Request:
    """A request for the assessment's household from one « que faire » line; its summary ends with
    the assessment's reference. Raises ``ActionError``, ``DeskError``, ``PermissionDenied``."""
    check_request_edit(user)
    assessment, row = _open_line(user, assessment_id, benefit_key)
    created = request_create(
        user=user,
        household=assessment.household,
        theme=theme,
        summary=summary_with_link(summary, link_text(assessment, row)),
        urgency=urgency,
        assigned_to=user if assign_to_me else None,
        request=request,
    )
    _audit(user, assessment, f"« que faire » : demande n° {created.pk} créée ({row.result.label})", request)
    return created


@transaction.atomic
def action_referral_create(
    *,
    user: Any,
    assessment_id: int,
    benefit_key: str,
    theme: Theme | str,
    summary: str,
    partner: Partner,
    shared_data: Iterable[SharedData | str],
    comment: str = "",
    sent_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """A request for the household, referred at once to ``partner`` with the data the household
    agreed to share (the request then reads « orientée »). Nothing is created when the referral is
    refused (no consent ticked, inactive partner): one transaction."""
    check_request_edit(user)
    check_refer(user)
    assessment, row = _open_line(user, assessment_id, benefit_key)
    created = request_create(
        user=user,
        household=assessment.household,
        theme=theme,
        summary=summary_with_link(summary, link_text(assessment, row)),
        assigned_to=user,
        request=request,
    )
    referral = referral_create(
        user=user,
        demand=created,
        partner=partner,
        shared_data=shared_data,
        sent_on=sent_on,
        comment=comment,
        request=request,
    )
    _audit(
        user,
        assessment,
        f"« que faire » : demande n° {created.pk} orientée vers {partner} ({row.result.label})",
        request,
    )
    return referral
