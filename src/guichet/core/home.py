"""What each role's home page shows: blocks per role, and the quick links of each block."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guichet.accounts.enums import Role
from guichet.core import selectors
from guichet.core.navigation import Link, LinkEntry, links_for

# Block names, in display order. A user holding several roles sees the union of their blocks.
BLOCK_ORDER = ("search", "reception", "caseload", "supervision", "figures", "administration")

ROLE_BLOCKS: dict[Role, tuple[str, ...]] = {
    Role.ACCUEIL: ("search", "reception"),
    Role.TRAVAILLEUR_SOCIAL: ("search", "caseload"),
    Role.RESPONSABLE: ("search", "supervision"),
    Role.DIRECTION: ("figures",),
    Role.ADMINISTRATEUR: ("administration",),
}

# Blocks made of links: their heading and the anchor id of that heading.
LINK_BLOCK_HEADINGS: dict[str, tuple[str, str]] = {
    "reception": ("acces-rapides", "Accès rapides"),
    "supervision": ("pilotage", "Contrôle et pilotage"),
    "figures": ("statistiques", "Statistiques"),
    "administration": ("administration", "Administration"),
}

DESK_STATISTICS = LinkEntry(
    "Statistiques du guichet unique",
    "desk:referral_stats",
    "Demandes par axe du projet social et par préoccupation, orientations par partenaire.",
)

BLOCK_LINKS: dict[str, tuple[LinkEntry, ...]] = {
    "reception": (
        LinkEntry("Liste des ménages", "households:list", "Tous les ménages connus du CCAS, filtrés par quartier."),
    ),
    "supervision": (
        LinkEntry("Journal d'audit", "audit:search", "Qui a consulté ou modifié quoi, quand et pourquoi."),
        LinkEntry("Quartiers", "territory:quartiers", "Les quartiers de la commune et leurs chiffres."),
        DESK_STATISTICS,
    ),
    "figures": (
        LinkEntry("Quartiers", "territory:quartiers", "Les quartiers de la commune et leurs chiffres."),
        DESK_STATISTICS,
    ),
    "administration": (
        LinkEntry("Utilisateurs", "accounts:users", "Comptes, rôles, activation, double authentification."),
        LinkEntry("Créer un utilisateur", "accounts:user_create", "Ouvrir un compte pour un agent."),
        LinkEntry("Jetons d'API", "accounts:api_tokens", "Accès des logiciels partenaires à l'API."),
        LinkEntry("Quartiers", "territory:quartiers", "Quartiers, IRIS et rattachement des voies."),
        LinkEntry("Journal d'audit", "audit:search", "Connexions, changements de droits, accès aux dossiers."),
    ),
}


@dataclass(frozen=True)
class LinkBlock:
    anchor: str
    heading: str
    links: list[Link]


def blocks_for(roles: list[Role]) -> list[str]:
    wanted = {block for role in roles for block in ROLE_BLOCKS.get(role, ())}
    return [block for block in BLOCK_ORDER if block in wanted]


def home_context(user: Any) -> dict[str, Any]:
    """The home page's context for ``user``: its blocks, their links, and only the data they show."""
    roles: list[Role] = user.roles
    blocks = blocks_for(roles)
    context: dict[str, Any] = {
        "roles": roles,
        "blocks": blocks,
        "link_blocks": [
            LinkBlock(*LINK_BLOCK_HEADINGS[block], links_for(user, BLOCK_LINKS[block]))
            for block in blocks
            if block in BLOCK_LINKS
        ],
    }
    if "caseload" in blocks:
        context["caseload"] = selectors.referent_caseload(user)
    if "supervision" in blocks:
        context["break_glass"] = selectors.recent_break_glass(limit=10)
        context["break_glass_days"] = selectors.BREAK_GLASS_DAYS
    if "figures" in blocks:
        context["figures"] = selectors.population_by_quartier()
    return context
