"""Pages of the household file's documents and social notes; the rules live in perms.py and services.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.households.perms import BreakGlassRequired
from guichet.records.crypto import NotesKeyMissing
from guichet.records.downloads import document_response
from guichet.records.forms import DocumentUploadForm, NoteForm
from guichet.records.perms import can_edit_documents
from guichet.records.services import (
    document_delete,
    document_download,
    document_upload,
    documents_open,
    note_create,
    note_list,
)
from guichet.records.uploads import SizeLimitUploadHandler

UPLOAD_ERROR_FIELDS = {"person": "person", "type": "type"}


def _break_glass(required: BreakGlassRequired) -> HttpResponse:
    return redirect("households:break_glass", pk=required.household.pk)


@require_perm(Perm.HOUSEHOLD_VIEW)
@csrf_exempt  # only to install the size limit before the body is parsed; csrf_protect runs just below
def documents_view(request: HttpRequest, household_id: int) -> HttpResponse:
    limiter = SizeLimitUploadHandler(request, max_bytes=settings.GUICHET_DOCUMENT_MAX_BYTES)
    request.upload_handlers = [limiter, *request.upload_handlers]
    return _documents_page(request, household_id, limiter)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _documents_page(request: HttpRequest, household_id: int, limiter: SizeLimitUploadHandler) -> HttpResponse:
    try:
        household, rows = documents_open(user=request.user, household_id=household_id, request=request)
    except BreakGlassRequired as required:
        return _break_glass(required)
    can_edit = can_edit_documents(request.user)
    # Reading the body first runs the size limiter, whose verdict the form needs.
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = DocumentUploadForm(data, files, household=household, upload_too_large=limiter.too_large)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Vous ne pouvez pas ajouter de pièce.")
        if form.is_valid():
            person = form.cleaned_data["person"]
            try:
                document_upload(
                    user=request.user,
                    household_id=household.pk,
                    document_type=form.cleaned_data["type"],
                    upload=form.cleaned_data["file"],
                    person_id=person.pk if person else None,
                    expires_on=form.cleaned_data["expires_on"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(UPLOAD_ERROR_FIELDS.get(error.code or "", "file"), error)
            else:
                messages.success(request, "Pièce ajoutée.")
                return redirect("records:documents", household_id=household.pk)
    context = {"household": household, "rows": rows, "form": form, "can_edit": can_edit}
    return render(request, "records/documents.html", context, status=400 if form.errors else 200)


@require_perm(Perm.HOUSEHOLD_VIEW)
def document_file_view(request: HttpRequest, document_id: int) -> HttpResponseBase:
    try:
        document = document_download(user=request.user, document_id=document_id, request=request)
    except BreakGlassRequired as required:
        return _break_glass(required)
    return document_response(document)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@require_POST
def document_delete_view(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = document_delete(user=request.user, document_id=document_id, request=request)
    except BreakGlassRequired as required:
        return _break_glass(required)
    messages.success(request, f"Pièce « {document.original_name} » supprimée.")
    return redirect("records:documents", household_id=document.household_id)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
@require_http_methods(["GET", "POST"])
def notes_view(request: HttpRequest, household_id: int) -> HttpResponse:
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note_create(
                user=request.user,
                household_id=household_id,
                body=form.cleaned_data["body"],
                is_sensitive=form.cleaned_data["is_sensitive"],
                request=request,
            )
        except BreakGlassRequired as required:
            return _break_glass(required)
        except NotesKeyMissing:
            form.add_error(None, "L'enregistrement des notes n'est pas configuré (clé de chiffrement absente).")
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, "Note enregistrée.")
            return redirect("records:notes", household_id=household_id)
    try:
        household, notes = note_list(user=request.user, household_id=household_id, request=request)
    except BreakGlassRequired as required:
        return _break_glass(required)
    context = {"household": household, "notes": notes, "form": form}
    return render(request, "records/notes.html", context, status=400 if form.errors else 200)
