"""Menus and quick links: each entry is shown only to users its view's access rule lets in.

The rule is read from the view itself (``access_rule``, see ``guichet.accounts.access``), so menus
cannot drift from the permissions: a link never leads to a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import get_urlconf, resolve, reverse


@dataclass(frozen=True)
class LinkEntry:
    label: str
    url_name: str
    description: str = ""
    # View names (or prefixes ending in ":" or "_") under which this entry is the current section.
    sections: tuple[str, ...] = ()

    def is_current(self, view_name: str) -> bool:
        return any(
            view_name == section or (section.endswith((":", "_")) and view_name.startswith(section))
            for section in self.sections
        )


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    description: str = ""
    current: bool = False


MAIN_NAV: tuple[LinkEntry, ...] = (
    LinkEntry("Accueil", "core:home", sections=("core:home",)),
    LinkEntry("Ménages", "households:list", sections=("households:",)),
    LinkEntry("Demandes", "desk:queue", sections=("desk:",)),
    LinkEntry("Agenda", "agenda:mine", sections=("agenda:",)),
    LinkEntry("Quartiers", "territory:quartiers", sections=("territory:",)),
    LinkEntry("Aller vers", "rights:campaigns", sections=("rights:campaign",)),
    LinkEntry("Tarifs", "pricing:catalogue", sections=("pricing:",)),
    LinkEntry("Courriers", "letters:templates", sections=("letters:template",)),
    LinkEntry("Journal d'audit", "audit:search", sections=("audit:",)),
    LinkEntry("Utilisateurs", "accounts:users", sections=("accounts:users", "accounts:user_", "accounts:api_token")),
)


@lru_cache(maxsize=256)
def _entry_target(urlconf: str | None, url_name: str) -> tuple[str, Any]:
    """The URL of a menu entry and its view's access rule: fixed for a given URLconf, so resolved
    once per process instead of on every page."""
    url = reverse(url_name, urlconf=urlconf)
    return url, getattr(resolve(url, urlconf=urlconf).func, "access_rule", None)


def links_for(user: Any, entries: Iterable[LinkEntry], view_name: str = "") -> list[Link]:
    """The ``entries`` that ``user`` may open, the current one marked."""
    links = []
    for entry in entries:
        url, rule = _entry_target(get_urlconf() or settings.ROOT_URLCONF, entry.url_name)
        if rule is not None and rule.allows(user):
            links.append(Link(entry.label, url, entry.description, entry.is_current(view_name)))
    return links
