"""Whether the database holds synthetic (demo) data, for the « données fictives » banner."""

from __future__ import annotations

from django.apps import apps


def database_has_synthetic_data() -> bool:
    household = apps.get_model("households", "Household")
    return bool(household.objects.filter(is_synthetic=True).exists())
