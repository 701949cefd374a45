"""One error format for the API: RFC 9457 problem details, with French messages."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from guichet.households.perms import BreakGlassRequired

PROBLEM_CONTENT_TYPE = "application/problem+json"
CONFIDENTIAL_DETAIL = (
    "Ce dossier est confidentiel : ouvrez-le d'abord en indiquant le motif de votre accès "
    "(GET /api/v1/menages/{id} avec le paramètre « motif »)."
)
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


# The validation library's error kinds (pydantic), said in French; {name} is filled from its context.
FRENCH_VALIDATION_MESSAGES = {
    "missing": "Champ obligatoire.",
    "int_parsing": "Nombre entier attendu.",
    "int_type": "Nombre entier attendu.",
    "int_from_float": "Nombre entier attendu (sans décimales).",
    "float_parsing": "Nombre attendu.",
    "float_type": "Nombre attendu.",
    "decimal_parsing": "Montant attendu, par exemple 123.45.",
    "decimal_type": "Montant attendu, par exemple 123.45.",
    "decimal_max_digits": "Pas plus de {max_digits} chiffres.",
    "decimal_max_places": "Pas plus de {decimal_places} décimales.",
    "bool_parsing": "Vrai ou faux attendu (true ou false).",
    "bool_type": "Vrai ou faux attendu (true ou false).",
    "string_type": "Texte attendu.",
    "string_too_short": "Au moins {min_length} caractère(s).",
    "string_too_long": "Au plus {max_length} caractère(s).",
    "too_short": "Au moins {min_length} élément(s).",
    "too_long": "Au plus {max_length} élément(s).",
    "greater_than": "Valeur supérieure à {gt} attendue.",
    "greater_than_equal": "Valeur supérieure ou égale à {ge} attendue.",
    "less_than": "Valeur inférieure à {lt} attendue.",
    "less_than_equal": "Valeur inférieure ou égale à {le} attendue.",
    "literal_error": "Valeur attendue parmi : {expected}.",
    "enum": "Valeur attendue parmi : {expected}.",
    "date_parsing": "Date attendue au format AAAA-MM-JJ.",
    "date_from_datetime_parsing": "Date attendue au format AAAA-MM-JJ.",
    "date_from_datetime_inexact": "Date attendue au format AAAA-MM-JJ (sans heure).",
    "date_type": "Date attendue au format AAAA-MM-JJ.",
    "datetime_parsing": "Date et heure attendues au format AAAA-MM-JJTHH:MM.",
    "datetime_from_date_parsing": "Date et heure attendues au format AAAA-MM-JJTHH:MM.",
    "datetime_type": "Date et heure attendues au format AAAA-MM-JJTHH:MM.",
    "time_parsing": "Heure attendue au format HH:MM.",
    "uuid_parsing": "Identifiant (UUID) attendu.",
    "list_type": "Liste attendue.",
    "dict_type": "Objet JSON attendu.",
    "model_attributes_type": "Objet JSON attendu.",
    "json_invalid": "Le corps de la requête n'est pas du JSON valide.",
    "extra_forbidden": "Champ inconnu.",
}


def french_message(error: dict[str, Any]) -> str:
    """One validation error as a French sentence: the library's own kinds are translated; messages
    written by our own validators and services (``value_error``, form codes) are kept."""
    kind = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    if kind in {"value_error", "assertion_error"}:
        return message.split(", ", 1)[1] if message.startswith(("Value error, ", "Assertion failed, ")) else message
    template = FRENCH_VALIDATION_MESSAGES.get(kind)
    if template is None:  # raised by our own services and forms, in French already
        return message or "Valeur invalide."
    context = {  # the library quotes and joins the expected values in English: 'a', 'b' or 'c'
        key: str(value).replace("'", "").replace(" or ", " ou ") for key, value in (error.get("ctx") or {}).items()
    }
    try:
        return template.format(**context)
    except (KeyError, IndexError):  # a context the library did not give: the sentence without it
        return template.split(" {")[0].rstrip(" :") + "."


def install_problem_handlers(api: NinjaAPI) -> None:
    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {"champ": ".".join(str(part) for part in err.get("loc", ())), "message": french_message(err)}
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
        if isinstance(exc, BreakGlassRequired):  # every operation on a confidential file not opened yet
            return problem(api, request, status=403, title="Accès refusé", detail=CONFIDENTIAL_DETAIL)
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
