"""A URLconf with a small API built like the real one, to test token scopes and CSRF end to end."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.api_auth import api_auth
from guichet.accounts.enums import Perm
from guichet.config.urls import urlpatterns as site_urlpatterns
from guichet.core.api_errors import install_problem_handlers

scoped_api = NinjaAPI(title="Essai", version="essai", urls_namespace="scoped-api-test", auth=api_auth)
install_problem_handlers(scoped_api)


@scoped_api.get("/menages-essai")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def households_probe(request: HttpRequest) -> dict[str, str]:
    return {"ok": "oui"}


@scoped_api.post("/ecriture-essai")
@api_require_perm()
def write_probe(request: HttpRequest) -> dict[str, str]:
    return {"ok": "oui"}


urlpatterns = [path("essai/", scoped_api.urls), *site_urlpatterns]
