"""Real-looking street names for the synthetic commune, grouped by neighbourhood.

Names follow the habits of French municipal naming (writers, scientists, résistants, aviators on
the plateau, trees and flowers in the newer estates). They are not the commune's street register.
"""

from __future__ import annotations

# Streets that suit a given neighbourhood (by slug of the demo neighbourhoods).
THEMED_STREETS: dict[str, tuple[str, ...]] = {
    "centre-ancien": (
        "Rue de Paris",
        "Place de la Mairie",
        "Rue de l'Église",
        "Rue de la République",
        "Rue Gambetta",
        "Rue de la Gare",
        "Rue du Vieux Marché",
        "Impasse du Presbytère",
    ),
    "les-aviateurs": (
        "Rue Hélène Boucher",
        "Rue Jean Mermoz",
        "Rue Roland Garros",
        "Rue Louis Blériot",
        "Rue Henri Guillaumet",
        "Rue Maryse Bastié",
        "Allée Antoine de Saint-Exupéry",
        "Rue Clément Ader",
    ),
    "technopole-campus": (
        "Avenue de l'Université",
        "Rue Lavoisier",
        "Avenue Galilée",
        "Rue Ampère",
        "Allée Niels Bohr",
        "Rue Blaise Pascal",
    ),
    "champ-des-bruyeres": (
        "Rue des Bruyères",
        "Allée des Genêts",
        "Rue des Ajoncs",
        "Allée des Fougères",
        "Impasse des Bouleaux",
        "Rue des Coquelicots",
    ),
    "oree-du-rouvray": (
        "Chemin de la Forêt",
        "Allée des Chênes",
        "Rue des Hêtres",
        "Allée des Merisiers",
        "Rue du Rouvray",
        "Impasse des Noisetiers",
    ),
    "chateau-blanc": (
        "Place Jean Prévost",
        "Rue Pablo Picasso",
        "Rue Fernand Léger",
        "Rue Georges Braque",
        "Rue Henri Matisse",
        "Allée Paul Cézanne",
        "Rue Raoul Dufy",
    ),
}

_TYPES = ("Rue", "Rue", "Rue", "Avenue", "Allée", "Impasse", "Rue", "Place", "Chemin", "Square")
_PEOPLE = (
    "Jean Jaurès",
    "Victor Hugo",
    "Louise Michel",
    "Paul Éluard",
    "Pablo Neruda",
    "Lazare Carnot",
    "Gustave Courbet",
    "Pierre Corneille",
    "Guy de Maupassant",
    "Gustave Flaubert",
    "Jules Ferry",
    "Émile Zola",
    "Jean Moulin",
    "Danielle Casanova",
    "Henri Barbusse",
    "Gabriel Péri",
    "Ambroise Croizat",
    "Youri Gagarine",
    "Nelson Mandela",
    "Salvador Allende",
    "Frédéric Joliot-Curie",
    "Marie Curie",
    "Paul Langevin",
    "Louis Pasteur",
    "Anatole France",
    "Romain Rolland",
    "Georges Brassens",
    "Jacques Prévert",
    "Aristide Briand",
    "Léon Blum",
    "Pierre Sémard",
    "Guy Môquet",
    "Olympe de Gouges",
    "Simone Veil",
    "Lucie Aubrac",
    "Rosa Parks",
    "Martin Luther King",
    "George Sand",
    "Colette",
    "Jules Verne",
    "Arthur Rimbaud",
    "Paul Verlaine",
    "Alfred de Musset",
    "Voltaire",
    "Jean-Jacques Rousseau",
    "Denis Diderot",
    "Albert Camus",
    "Louis Aragon",
    "Elsa Triolet",
    "Germaine Tillion",
    "Joséphine Baker",
    "Camille Claudel",
    "Eugène Delacroix",
    "Claude Monet",
    "Auguste Renoir",
    "Camille Pissarro",
    "Édith Piaf",
    "Jean Ferrat",
    "Boris Vian",
    "Robert Desnos",
)
_PLACES = (
    "des Tilleuls",
    "des Érables",
    "des Acacias",
    "des Marronniers",
    "des Peupliers",
    "des Lilas",
    "des Roses",
    "des Violettes",
    "des Jonquilles",
    "du Moulin",
    "du Stade",
    "des Écoles",
    "de la Seine",
    "du Madrillet",
    "de la Paix",
    "de la Liberté",
    "du 8 Mai 1945",
    "du 19 Mars 1962",
    "de la Libération",
    "des Cheminots",
    "des Verriers",
    "de la Filature",
    "du Bic Auber",
    "des Sapins",
)


def generic_streets() -> list[str]:
    """A deterministic pool of distinct names: each person or place first with one street type,
    then with the other types (several hundred names)."""
    kinds = list(dict.fromkeys(_TYPES))
    subjects = [*_PEOPLE, *_PLACES]
    names: list[str] = []
    for shift in range(len(kinds)):
        for i, subject in enumerate(subjects):
            names.append(f"{kinds[(i + shift) % len(kinds)]} {subject}")
    return names


def streets_by_quartier(slugs: list[str], per_quartier: int = 12) -> dict[str, list[str]]:
    """``per_quartier`` distinct street names for each slug (themed ones first), none shared."""
    used = {name for names in THEMED_STREETS.values() for name in names}
    pool = iter([name for name in generic_streets() if name not in used])
    result: dict[str, list[str]] = {}
    for slug in slugs:
        names = list(THEMED_STREETS.get(slug, ()))[:per_quartier]
        while len(names) < per_quartier:
            names.append(next(pool))
        result[slug] = names
    return result
