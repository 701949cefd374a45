"""URL map: one include per app, the JSON API under /api/v1/."""

from django.urls import include, path

from guichet.config.api import api

urlpatterns = [
    path("", include("guichet.core.urls")),
    path("comptes/", include("guichet.accounts.urls")),
    path("audit/", include("guichet.audit.urls")),
    path("territoire/", include("guichet.territory.urls")),
    path("menages/", include("guichet.households.urls")),
    path("dossier/", include("guichet.records.urls")),
    path("guichet/", include("guichet.desk.urls")),
    path("tarifs/", include("guichet.pricing.urls")),
    path("droits/", include("guichet.rights.urls")),
    path("agenda/", include("guichet.agenda.urls")),
    path("courriers/", include("guichet.letters.urls")),
    path("api/v1/", api.urls),
]

handler400 = "guichet.core.views.bad_request"
handler403 = "guichet.core.views.permission_denied"
handler404 = "guichet.core.views.page_not_found"
handler500 = "guichet.core.views.server_error"
