"""The shared layout: landmarks, skip link, French, the menu per role, the synthetic-data banner,
and the strict Content-Security-Policy (no inline script or style in any rendered page)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from guichet.accounts.access import AccessRule
from guichet.accounts.models import User
from guichet.core.navigation import MAIN_NAV
from tests.conftest import PERSONAS, make_persona
from tests.core.test_permission_matrix import concrete, page_routes
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


class PageAudit(HTMLParser):
    """Collects what the CSP forbids (inline scripts, style attributes and elements, on* handlers) and the landmarks."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._in_script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script" and not attributes.get("src"):
            self.inline.append(f"<script> without src: {attributes}")
        if tag == "style":
            self.inline.append("<style> element")
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.inline.append(f"<{tag} {name}=...>")
        for name in ("href", "src", "action"):
            if (attributes.get(name) or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}=javascript:...>")

    def first(self, tag: str, **wanted: str) -> dict[str, str | None] | None:
        for name, attributes in self.tags:
            if name == tag and all(attributes.get(k) == v for k, v in wanted.items()):
                return attributes
        return None


def audit(html: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(html)
    return parser


def rendered_pages(user: User | None) -> dict[str, str]:
    """Every page (GET, HTML, 200) that ``user`` may open, by URL."""
    household = HouseholdFactory()
    sample = {"pk": str(household.pk), "household_id": str(household.pk), "reference": household.reference}
    client = Client()
    if user is not None:
        client.force_login(user)
    pages = {}
    for route in page_routes():
        rule: AccessRule = route.callback.access_rule
        if not (rule.allows(user) if user else rule.public):
            continue
        url = concrete(route.path, sample)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[url] = response.content.decode()
    return pages


@pytest.mark.parametrize("persona_name", [*PERSONAS, "anonymous"])
def test_no_inline_script_or_style_in_any_page(persona_name: str) -> None:
    user = None if persona_name == "anonymous" else make_persona(persona_name)
    pages = rendered_pages(user)
    assert pages, "no page rendered"
    problems = {url: audit(html).inline for url, html in pages.items() if audit(html).inline}
    assert problems == {}


def test_csp_header_is_strict(client: Client, accueil: User) -> None:
    client.force_login(accueil)
    for url in (reverse("core:home"), reverse("accounts:login"), "/page-qui-n-existe-pas/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_layout_has_landmarks_skip_link_and_french(client: Client, social: User) -> None:
    client.force_login(social)
    html = client.get(reverse("core:home")).content.decode()
    page = audit(html)
    assert page.first("html", lang="fr") is not None
    assert page.first("header") is not None
    assert page.first("nav", **{"aria-label": "Navigation principale"}) is not None
    assert page.first("main", id="contenu") is not None
    assert page.first("footer") is not None
    first_link = next(attributes for tag, attributes in page.tags if tag == "a")
    assert first_link == {"class": "skip-link", "href": "#contenu"}
    assert page.first("meta", name="viewport") is not None
    assert page.first("title") is not None


def test_anonymous_pages_have_no_menu(client: Client) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'aria-label="Navigation principale"' not in html
    assert "Se déconnecter" not in html


@pytest.mark.parametrize("persona_name", list(PERSONAS))
def test_menu_shows_exactly_the_pages_the_persona_may_open(persona_name: str) -> None:
    user = make_persona(persona_name)
    client = Client()
    client.force_login(user)
    html = client.get(reverse("core:home")).content.decode()
    nav = html.split('aria-label="Navigation principale"', 1)[1].split("</nav>", 1)[0]
    for entry in MAIN_NAV:
        url = reverse(entry.url_name)
        status = client.get(url).status_code
        shown = f'href="{url}"' in nav
        assert shown == (status == 200), f"{persona_name}: {entry.label} shown={shown} but GET {url} -> {status}"


def test_menu_marks_the_current_section(client: Client, responsable: User) -> None:
    client.force_login(responsable)
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:home")}" aria-current="page"' in html
    html = client.get(reverse("audit:search")).content.decode()
    assert f'href="{reverse("audit:search")}" aria-current="page"' in html
    assert f'href="{reverse("core:home")}" aria-current="page"' not in html


def test_synthetic_banner_shows_only_with_synthetic_data(client: Client, accueil: User) -> None:
    cache.clear()
    client.force_login(accueil)
    assert "Données fictives" not in client.get(reverse("core:home")).content.decode()
    HouseholdFactory(synthetic=True)
    cache.clear()
    html = client.get(reverse("core:home")).content.decode()
    assert "Données fictives" in html and 'class="banner-synthetic"' in html
    # Also for people not logged in (the login page of the demo).
    assert "Données fictives" in Client().get(reverse("accounts:login")).content.decode()


def test_the_page_audit_catches_inline_code() -> None:
    html = (
        '<div style="color:red"><script>alert(1)</script><script src="/s.js"></script>'
        '<style>p{}</style><a href="javascript:void(0)" onclick="x()">x</a></div>'
    )
    assert len(audit(html).inline) == 5
