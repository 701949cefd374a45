"""The commune's neighbourhoods as its own site names them (see shared/domain/README.md), with the
QPV flag and a point placed roughly where each one lies, used to cut illustrative boundaries.

The points are approximate on purpose: the boundaries they produce are labelled illustrative
everywhere they show, until real ones are imported.
"""

from __future__ import annotations

from dataclasses import dataclass

VALLEE = "Vallée de Seine"
PLATEAU = "Plateau du Madrillet"
LIAISON = "Quartiers de liaison"


@dataclass(frozen=True)
class Neighbourhood:
    name: str
    slug: str
    pole: str
    is_qpv: bool
    lon: float
    lat: float


# The vallée de Seine lies to the east of the commune, the plateau du Madrillet to the west.
NEIGHBOURHOODS: tuple[Neighbourhood, ...] = (
    Neighbourhood("Centre ancien", "centre-ancien", VALLEE, False, 1.1040, 49.3790),
    Neighbourhood("Hartmann – La Houssière", "hartmann-la-houssiere", VALLEE, True, 1.1130, 49.3920),
    Neighbourhood("Thorez-Grimau", "thorez-grimau", VALLEE, True, 1.1160, 49.3780),
    Neighbourhood("Felling-Macé", "felling-mace", VALLEE, False, 1.1010, 49.3900),
    Neighbourhood("Buisson-Gallouen", "buisson-gallouen", VALLEE, True, 1.1160, 49.3670),
    Neighbourhood("Château Blanc", "chateau-blanc", PLATEAU, True, 1.0830, 49.3760),
    Neighbourhood("Les Aviateurs", "les-aviateurs", PLATEAU, False, 1.0860, 49.3890),
    Neighbourhood("Technopôle et campus du Madrillet", "technopole-campus", PLATEAU, False, 1.0690, 49.3800),
    Neighbourhood("Champ des Bruyères", "champ-des-bruyeres", PLATEAU, False, 1.0740, 49.4000),
    Neighbourhood("Cateliers", "cateliers", LIAISON, False, 1.0940, 49.3800),
    Neighbourhood("Orée du Rouvray", "oree-du-rouvray", LIAISON, False, 1.0980, 49.3670),
)

ILLUSTRATIVE_SOURCE = "Contours illustratifs : découpage de Voronoï du contour communal (IGN Admin Express 2018)"
