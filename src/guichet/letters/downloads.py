"""The one way a letter leaves the server."""

from __future__ import annotations

from django.http import HttpResponse

from guichet.letters.models import Letter


def pdf_response(letter: Letter) -> HttpResponse:
    """The one way a letter leaves the server: as an attachment, never sniffed nor cached."""
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
