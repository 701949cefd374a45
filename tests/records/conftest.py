"""Documents land in a temporary MEDIA_ROOT for each test; notes use a test key (pytest runs with DEBUG off)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

TEST_NOTES_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _media_root(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    settings.GUICHET_NOTES_KEY = TEST_NOTES_KEY  # type: ignore[attr-defined]
    return tmp_path / "media"
