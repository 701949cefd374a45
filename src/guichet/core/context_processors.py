"""Values every page needs: the commune's name and whether the database holds synthetic data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from guichet.core.synthetic import database_has_synthetic_data


def platform(request: HttpRequest) -> dict[str, Any]:
    has_synthetic = cache.get("guichet:has_synthetic")
    if has_synthetic is None:
        has_synthetic = database_has_synthetic_data()
        cache.set("guichet:has_synthetic", has_synthetic, 60)
    return {"commune_name": settings.GUICHET_COMMUNE_NAME, "has_synthetic_data": has_synthetic}
