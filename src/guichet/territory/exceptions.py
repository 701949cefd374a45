"""Domain exceptions of the territory, with French messages meant for the user."""

from __future__ import annotations


class TerritoryError(Exception):
    """A refused territory operation; ``str(exc)`` is a French message for the user."""


class StreetConflict(TerritoryError):
    """Another row already attaches the same (normalised) street."""


class ImportFileError(TerritoryError):
    """A file that cannot be imported. Nothing was written; ``errors`` lists every problem found,
    each already located (« fichier, ligne n : ... »)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))
