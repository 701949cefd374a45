"""Letters produced from the household file: generate one as PDF, download it."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.households.perms import BreakGlassRequired
from guichet.letters.downloads import pdf_response
from guichet.letters.enums import LetterKind
from guichet.letters.models import Letter
from guichet.letters.rendering import LetterTemplateError
from guichet.letters.services import letter_download, letter_generate

router = Router(tags=["courriers"])


class LetterIn(Schema):
    # Defaults everywhere: the permission check runs before any refusal of the payload.
    type: str = Field("", description="convocation, orientation, attestation ou reponse")
    demande_id: int | None = Field(None, description="La demande concernée (obligatoire pour une réponse)")
    orientation_id: int | None = Field(None, description="L'orientation concernée (obligatoire pour une orientation)")
    rendez_vous_id: int | None = Field(None, description="Le rendez-vous d'une convocation (sa date et son lieu)")


class LetterOut(Schema):
    id: int
    type: str
    objet: str
    texte: str
    pdf: str = Field(description="Chemin de téléchargement du PDF")


def _letter_out(letter: Letter) -> LetterOut:
    pdf = f"/api/v1/courriers/{letter.pk}/pdf"
    return LetterOut(id=letter.pk, type=letter.kind, objet=letter.title, texte=letter.text, pdf=pdf)


@router.post("/menages/{household_id}/courriers", response={201: LetterOut}, summary="Générer un courrier en PDF")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def letter_create(request: HttpRequest, household_id: int, payload: LetterIn) -> Status[Any]:
    if payload.type not in LetterKind.values:
        raise HttpError(422, "Indiquez le type de courrier : convocation, orientation, attestation ou reponse.")
    try:
        letter = letter_generate(
            user=request.user, household_id=household_id, kind=payload.type, request_id=payload.demande_id,
            referral_id=payload.orientation_id, appointment_id=payload.rendez_vous_id, http_request=request,
            channel="api",
        )  # fmt: skip
    except BreakGlassRequired as required:
        raise PermissionDenied(
            "Ce dossier est confidentiel : ouvrez-le d'abord avec le motif de votre accès."
        ) from required
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    except LetterTemplateError as error:
        raise HttpError(422, str(error)) from error
    return Status(201, _letter_out(letter))


@router.get("/courriers/{letter_id}/pdf", summary="Télécharger le PDF d'un courrier")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_download(user=request.user, letter_id=letter_id, http_request=request, channel="api")
    return pdf_response(letter)
