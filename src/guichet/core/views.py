"""Home page (one per role), health check and the error pages (French, never a stack trace)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from guichet.accounts.access import login_only, public_view
from guichet.core.home import home_context

ERROR_TEMPLATE = "core/error.html"


@login_only
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", home_context(request.user))


@public_view
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, message: str, hint: str = "") -> HttpResponse:
    context = {"status": status, "title": title, "message": message, "hint": hint}
    return render(request, ERROR_TEMPLATE, context, status=status)


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
        "Si vous pensez que c'est une erreur, adressez-vous au responsable de votre service.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page introuvable",
        "Cette page n'existe pas ou ne vous est pas accessible.",
        "Vérifiez l'adresse, ou repartez de l'accueil.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: no context processor runs, so the page shows even when the
    # database (read by the « données fictives » banner) is what failed.
    body = loader.get_template(ERROR_TEMPLATE).render(
        {
            "status": 500,
            "title": "Erreur inattendue",
            "message": "Une erreur inattendue s'est produite. Elle a été enregistrée ; réessayez dans un instant.",
            "hint": "Si le problème persiste, prévenez l'administrateur de la plateforme en indiquant l'heure.",
            "commune_name": settings.GUICHET_COMMUNE_NAME,
        }
    )
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a French page instead of Django's English one; ``reason`` is not shown."""
    return _error(
        request,
        403,
        "Formulaire expiré",
        "Le formulaire n'a pas pu être envoyé : la page était ouverte depuis trop longtemps ou votre session a expiré.",
        "Rechargez la page, vérifiez les informations saisies puis envoyez à nouveau le formulaire. "
        "Si le problème persiste, vérifiez que votre navigateur accepte les cookies de ce site.",
    )
