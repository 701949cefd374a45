"""The reference data the data migrations put in a new database, put back for live-server (transactional)
tests, whose database is flushed after each test: letter templates, example places, demo partners."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps as django_apps

DATA_MIGRATIONS = (
    ("guichet.letters.migrations.0002_default_letter_templates", "seed"),
    ("guichet.letters.migrations.0003_convocation_with_appointment", "forward"),
    ("guichet.letters.migrations.0004_referral_letter_with_shared_information", "forward"),
    ("guichet.agenda.migrations.0002_seed_example_places", "seed"),
)


def seed_reference_data() -> None:
    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(django_apps, None)
