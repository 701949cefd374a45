"""URLs for the error-page tests: the real ones plus views that fail on purpose."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from guichet.accounts.access import public_view
from guichet.config.urls import urlpatterns as real_urlpatterns


@public_view
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internal detail: /srv/guichet/settings.py line 42")


@public_view
def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("detail that stays in the logs")


@public_view
def denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("test-erreur/500/", broken),
    path("test-erreur/400/", bad),
    path("test-erreur/403/", denied),
    *real_urlpatterns,
]

handler400 = "guichet.core.views.bad_request"
handler403 = "guichet.core.views.permission_denied"
handler404 = "guichet.core.views.page_not_found"
handler500 = "guichet.core.views.server_error"
