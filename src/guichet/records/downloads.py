"""The one way a stored document leaves the server: as an attachment, never sniffed nor cached."""

from __future__ import annotations

from django.http import FileResponse, Http404

from guichet.records.models import Document


def document_response(document: Document) -> FileResponse:
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("Le fichier de cette pièce est introuvable.") from missing
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
