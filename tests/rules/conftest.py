"""Helpers for the rules tests (no database)."""

from __future__ import annotations

from collections.abc import Iterable


def plain(lines: Iterable[str] | str) -> str:
    """Explanations as one string, non-breaking spaces turned into spaces, for readable asserts."""
    text = lines if isinstance(lines, str) else "\n".join(lines)
    return text.replace("\u00a0", " ")
