"""Merging two household files keeps the requests, documents and social notes of both."""

from __future__ import annotations

import pytest

from guichet.desk.models import Request
from guichet.households.models import Household
from guichet.households.services import household_merge
from guichet.records.models import Document, Note
from tests.desk.factories import RequestFactory
from tests.factories import PersonFactory
from tests.records.conftest import TEST_NOTES_KEY
from tests.records.factories import make_document, make_note

pytestmark = pytest.mark.django_db


def test_merge_moves_requests_documents_and_notes(responsable, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.GUICHET_NOTES_KEY = TEST_NOTES_KEY
    target = PersonFactory().household
    source = PersonFactory().household
    request = RequestFactory(household=source)
    document = make_document(source, responsable)
    note = make_note(source, responsable)
    moved = household_merge(user=responsable, source=source, target=target)
    assert not Household.objects.filter(pk=source.pk).exists()
    assert Request.objects.get(pk=request.pk).household_id == target.pk
    assert Document.objects.get(pk=document.pk).household_id == target.pk
    assert Note.objects.get(pk=note.pk).household_id == target.pk
    assert sum(moved.values()) >= 3
