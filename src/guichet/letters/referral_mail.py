"""Sending a referral to its partner by e-mail: the referral letter as a PDF attachment and a short body
that names only the categories the household agreed to share; kept in the file, in the request history
and in the audit log."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.desk.models import Referral
from guichet.desk.perms import check_refer, get_referral_for_user
from guichet.desk.services import referral_note_sent
from guichet.letters.enums import LetterKind
from guichet.letters.models import Letter
from guichet.letters.rendering import CCAS_ADDRESS, COMMUNE
from guichet.letters.services import letter_generate
from guichet.letters.shared_data import agreed_categories

logger = logging.getLogger(__name__)


class ReferralMailError(ValidationError):
    """The referral could not be sent by e-mail (no address, mail server refusal); French message."""


def referral_mail_subject(referral: Referral) -> str:
    return f"Orientation d'un ménage par le CCAS de {COMMUNE} (dossier n° {referral.request.household.reference})"


def referral_mail_body(*, referral: Referral, user: Any) -> str:
    """No value of the file here: the agreed information travels in the attached letter only."""
    agent = user.get_full_name() or user.get_username()
    categories = ", ".join(str(category.label).lower() for category in agreed_categories(referral))
    return (
        "Madame, Monsieur,\n\n"
        f"Le centre communal d'action sociale de {COMMUNE} vous adresse, avec l'accord du ménage concerné, "
        f"le courrier d'orientation joint (dossier n° {referral.request.household.reference}).\n\n"
        f"Le ménage a accepté que nous vous communiquions : {categories or 'aucune donnée'}. "
        "Aucune autre information ne vous est transmise ; merci de ne pas faire suivre ce message.\n\n"
        "Pour nous faire part de la suite donnée, répondez à ce courriel.\n\n"
        f"{agent}\nPour le Président du CCAS de {COMMUNE}\n{CCAS_ADDRESS}\n"
    )


@transaction.atomic
def referral_send_by_email(
    *, user: Any, referral_id: int, http_request: HttpRequest | None = None, channel: str = "web"
) -> Letter:
    """Generate the referral letter, e-mail it to the partner and record the sending; nothing is kept
    (letter, history, audit) when the mail server refuses the message."""
    check_refer(user)
    referral = get_referral_for_user(user, referral_id)
    partner = referral.partner
    if not partner.email:
        raise ReferralMailError(
            "Ce partenaire n'a pas d'adresse de courriel dans l'annuaire : complétez sa fiche "
            "ou envoyez le courrier d'orientation par la poste.",
            code="partner_without_email",
        )
    letter = letter_generate(
        user=user, household_id=referral.request.household_id, kind=LetterKind.REFERRAL, referral_id=referral.pk,
        http_request=http_request, channel=channel,
    )  # fmt: skip
    message = EmailMessage(
        subject=referral_mail_subject(referral),
        body=referral_mail_body(referral=referral, user=user),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[partner.email],
        reply_to=[user.email] if user.email else None,
    )
    message.attach(letter.filename, bytes(letter.pdf), "application/pdf")
    # History and audit first, the e-mail last: once the household's data has left, nothing may fail
    # and roll back the record of it; a refused e-mail rolls everything back.
    referral_note_sent(
        user=user, referral=referral, comment=f"Courrier d'orientation envoyé par courriel à {partner.email}."
    )
    audit_record(
        actor=user, action=Action.EXPORT, target_type="referral", target_id=referral.pk,
        fields=["courriel", "pdf", *referral.shared_data], reason=f"Courriel au partenaire {partner.email}",
        request=http_request, channel=channel,
    )  # fmt: skip
    try:
        message.send(fail_silently=False)
    except OSError as error:  # smtplib.SMTPException is an OSError
        logger.warning("referral %s: e-mail to the partner failed: %s", referral.pk, error)
        raise ReferralMailError(
            "Le courriel n'a pas pu être envoyé (serveur de messagerie indisponible ou adresse refusée). "
            "Réessayez plus tard ou envoyez le courrier par la poste.",
            code="mail_failed",
        ) from error
    return letter
