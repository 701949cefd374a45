"""The JSON API (django-ninja): one NinjaAPI, one router per app, OpenAPI docs at /api/v1/docs."""

from ninja import NinjaAPI

from guichet.accounts.api_auth import api_auth
from guichet.core.api_errors import install_problem_handlers

api = NinjaAPI(
    title="Guichet API",
    version="1",
    description="API de la plateforme Guichet (CCAS). Erreurs au format RFC 9457 (problem details).",
    urls_namespace="api",
    # Every operation needs a bearer API token or the browser session (with CSRF); none is anonymous.
    auth=api_auth,
)
install_problem_handlers(api)

api.add_router("/", "guichet.accounts.api.router")
api.add_router("/", "guichet.territory.api.router")
api.add_router("/", "guichet.households.api.router")
api.add_router("/", "guichet.households.api_social.router")
api.add_router("/", "guichet.records.api.router")
api.add_router("/", "guichet.desk.api.router")
api.add_router("/", "guichet.pricing.api.router")
api.add_router("/", "guichet.rights.api.router")
api.add_router("/", "guichet.agenda.api.router")
api.add_router("/", "guichet.letters.api.router")
