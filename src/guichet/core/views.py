"""Home page (one per role), health check and the error pages (French, never a stack trace)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from guichet.accounts.access import login_only, public_view


@login_only
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"roles": request.user.roles})  # type: ignore[union-attr]


@public_view
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 400, "Requête invalide", "La demande n'a pas pu être comprise. Vérifiez les informations saisies."
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "Accès refusé",
        str(exception) if exception and str(exception) else "Vous n'avez pas les droits nécessaires pour cette page.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "Page introuvable", "Cette page n'existe pas ou ne vous est pas accessible.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Erreur inattendue",
        "Une erreur inattendue s'est produite. Elle a été enregistrée ; réessayez dans un instant.",
    )
