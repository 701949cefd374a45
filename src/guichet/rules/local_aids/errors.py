"""The one error of the local-aid files: which file, which line, what is wrong (in French)."""

from __future__ import annotations

from pathlib import Path


class LocalAidFileError(ValueError):
    """A malformed aid file. ``line`` starts at 1 (0: the file or directory as a whole).

    The loader reports every problem it finds in a file: the exception raised is the first one,
    and ``all_errors`` holds them all (itself included), in line order."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        self.path = str(path)
        self.line = max(line, 0)
        self.message = message
        self.all_errors: tuple[LocalAidFileError, ...] = (self,)
        super().__init__(self.location + " : " + message)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def raise_all(errors: list[LocalAidFileError]) -> None:
    """Raise the first of ``errors`` (by file then line), carrying all of them; nothing when empty."""
    if not errors:
        return
    ordered = tuple(sorted(errors, key=lambda error: (error.path, error.line)))
    first = ordered[0]
    first.all_errors = ordered
    raise first
