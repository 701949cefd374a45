"""Documents (supporting papers) and confidential social notes of the household file."""

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.households.perms import BreakGlassRequired
from guichet.records.crypto import NotesKeyMissing
from guichet.records.downloads import document_response
from guichet.records.models import Document, Note
from guichet.records.selectors import DocumentRow
from guichet.records.services import (
    NoteView,
    document_download,
    document_upload,
    documents_open,
    note_create,
    note_list,
)

router = Router(tags=["pièces et notes"])

T = TypeVar("T")

CONFIDENTIAL_HINT = (
    "Ce dossier est confidentiel : ouvrez-le d'abord avec le motif de votre accès "
    "(GET /api/v1/menages/{id} avec l'en-tête X-Motif-Acces), puis recommencez."
)


def _call(service: Callable[..., T], **kwargs: Any) -> T:
    """Run a service, turning its refusals into problem details (403 with a hint, 422 in French)."""
    try:
        return service(**kwargs)
    except BreakGlassRequired as required:
        raise PermissionDenied(CONFIDENTIAL_HINT) from required
    except NotesKeyMissing as missing:
        raise HttpError(
            503, "L'enregistrement des notes n'est pas configuré (clé de chiffrement absente)."
        ) from missing
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error


class DocumentOut(Schema):
    id: int
    type: str = Field(
        description="Code du type de pièce (identite, domicile, imposition, caf, salaire, loyer, rib, autre)"
    )
    type_libelle: str
    personne_id: int | None
    nom_fichier: str
    taille: int = Field(description="Taille en octets")
    type_contenu: str
    sha256: str
    ajoutee_le: dt.datetime
    ajoutee_par: str
    date_expiration: dt.date | None
    expiration: str = Field(description="valid, soon (expire dans les 30 jours) ou expired")
    url_fichier: str


class NoteIn(Schema):
    # Defaults let the permission check answer before validation; an empty text is refused with a 422.
    texte: str = Field("", description="Texte de la note (chiffré au repos)")
    sensible: bool = Field(False, description="Visible seulement par son auteur et les responsables")


class NoteOut(Schema):
    id: int
    auteur: str
    ecrite_le: dt.datetime
    sensible: bool
    texte: str


def _document_out(row: DocumentRow) -> DocumentOut:
    doc = row.document
    return DocumentOut(
        id=doc.pk,
        type=doc.type,
        type_libelle=doc.get_type_display(),
        personne_id=doc.person_id,
        nom_fichier=doc.original_name,
        taille=doc.size,
        type_contenu=doc.content_type,
        sha256=doc.sha256,
        ajoutee_le=doc.uploaded_at,
        ajoutee_par=doc.uploaded_by.get_full_name() or doc.uploaded_by.get_username(),
        date_expiration=doc.expires_on,
        expiration=row.expiry,
        url_fichier=reverse("api:document_file", kwargs={"document_id": doc.pk}),
    )


def _note_out(note: NoteView) -> NoteOut:
    return NoteOut(
        id=note.pk, auteur=note.author, ecrite_le=note.created_at, sensible=note.is_sensitive, texte=note.body
    )


@router.get("/menages/{household_id}/pieces", response=list[DocumentOut], summary="Lister les pièces d'un ménage")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def documents_list(request: HttpRequest, household_id: int) -> list[DocumentOut]:
    _, rows = _call(documents_open, user=request.user, household_id=household_id, request=request, channel="api")
    return [_document_out(row) for row in rows]


@router.post(
    "/menages/{household_id}/pieces",
    response={201: DocumentOut},
    summary="Ajouter une pièce à un ménage",
    description=(
        "Envoi en multipart/form-data : `type` (code du type de pièce, obligatoire), `fichier` (obligatoire ; PDF, "
        "JPEG ou PNG contrôlés sur le contenu, taille maximale GUICHET_DOCUMENT_MAX_BYTES, 10 Mo par défaut), "
        "`personne_id` (une personne du ménage, facultatif), `date_expiration` (AAAA-MM-JJ, facultatif)."
    ),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def documents_add(
    request: HttpRequest,
    household_id: int,
    type: Form[str] = "",
    personne_id: Form[int | None] = None,
    date_expiration: Form[dt.date | None] = None,
    fichier: File[UploadedFile | None] = None,
) -> Status[Any]:
    if fichier is None:
        raise HttpError(422, "Joignez le fichier (champ « fichier »).")
    document = _call(
        document_upload,
        user=request.user,
        household_id=household_id,
        document_type=type,
        upload=fichier,
        person_id=personne_id,
        expires_on=date_expiration,
        request=request,
        channel="api",
    )
    return Status(
        201, _document_out(DocumentRow(document=document, expiry=document.expiry_status(timezone.localdate())))
    )


@router.get(
    "/pieces/{document_id}/fichier",
    url_name="document_file",
    summary="Télécharger le fichier d'une pièce",
    description="Chaque téléchargement est enregistré dans le journal d'audit.",
)
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def document_file(request: HttpRequest, document_id: int) -> FileResponse:
    document: Document = _call(
        document_download, user=request.user, document_id=document_id, request=request, channel="api"
    )
    return document_response(document)


@router.get("/menages/{household_id}/notes", response=list[NoteOut], summary="Lire les notes sociales d'un ménage")
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def notes_list(request: HttpRequest, household_id: int) -> list[NoteOut]:
    _, notes = _call(note_list, user=request.user, household_id=household_id, request=request, channel="api")
    return [_note_out(note) for note in notes]


@router.post("/menages/{household_id}/notes", response={201: NoteOut}, summary="Écrire une note sociale")
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def notes_add(request: HttpRequest, household_id: int, payload: NoteIn) -> Status[Any]:
    note: Note = _call(
        note_create,
        user=request.user,
        household_id=household_id,
        body=payload.texte,
        is_sensitive=payload.sensible,
        request=request,
        channel="api",
    )
    author = request.user.get_full_name() or request.user.get_username()  # type: ignore[union-attr]
    out = NoteOut(
        id=note.pk, auteur=author, ecrite_le=note.created_at, sensible=note.is_sensitive, texte=payload.texte.strip()
    )
    return Status(201, out)
