"""One error format for the API: RFC 9457 problem details, with French messages."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
api_logger = logging.getLogger("guichet.api")


def problem(
    api: NinjaAPI, request: HttpRequest, *, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def install_problem_handlers(api: NinjaAPI) -> None:
    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {"champ": ".".join(str(part) for part in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors
        ]
        return problem(
            api, request, status=422, title="Données invalides", detail="Vérifiez les champs signalés.", errors=errors
        )

    def on_auth(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(
            api,
            request,
            status=401,
            title="Authentification requise",
            detail="Connectez-vous ou fournissez un jeton valide.",
        )

    def on_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(
            api, request, status=403, title="Accès refusé", detail=str(exc) or "Vous n'avez pas les droits nécessaires."
        )

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(
            api,
            request,
            status=404,
            title="Introuvable",
            detail="La ressource demandée n'existe pas ou ne vous est pas accessible.",
        )

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(api, request, status=exc.status_code, title=str(exc.message))

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, Http404 | PermissionDenied | ValidationError | AuthenticationError | HttpError):
            raise exc
        api_logger.exception("Unexpected API error on %s", request.path)
        return problem(
            api,
            request,
            status=500,
            title="Erreur interne",
            detail="Une erreur inattendue s'est produite ; elle a été enregistrée.",
        )

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_unexpected)
