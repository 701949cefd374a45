"""Template tags of the shared layout."""

from __future__ import annotations

from typing import Any

from django import template

from guichet.core.navigation import MAIN_NAV, Link, links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_nav(context: dict[str, Any]) -> list[Link]:
    """The main menu for the current user, the current section marked (``aria-current``)."""
    request = context.get("request")
    if request is None:
        return []
    match = getattr(request, "resolver_match", None)
    return links_for(request.user, MAIN_NAV, match.view_name if match else "")
