"""The example catalogue comes from a data migration; transactional tests (the browser ones) flush
it, so it is put back (idempotently) before each pricing test."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

seed_migration = importlib.import_module("guichet.pricing.migrations.0002_example_catalogue")


@pytest.fixture(autouse=True)
def _example_catalogue(db: None) -> None:
    seed_migration.seed(apps, None)
