"""The public pages read the pricing example catalogue, which transactional tests flush: put it back."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

seed_migration = importlib.import_module("guichet.pricing.migrations.0002_example_catalogue")


@pytest.fixture(autouse=True)
def _example_catalogue(db: None) -> None:
    seed_migration.seed(apps, None)
