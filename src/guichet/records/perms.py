"""Who may see which document or note. Household access itself is the households policy
(``households.perms``): every rule here comes on top of it.

Rules:
- Documents: anyone who may open the household (``Perm.HOUSEHOLD_VIEW``, confidential rules) sees and
  downloads its documents; adding or deleting one also needs ``Perm.HOUSEHOLD_EDIT``.
- Social notes: ``Perm.HOUSEHOLD_FOLLOW`` (travailleur social, responsable), never the front desk,
  direction or administrateur, plus the household policy. A note marked « sensible » is read only by its
  author and by holders of ``Perm.CONFIDENTIAL_VIEW_ALL`` (responsables).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from guichet.accounts.enums import Perm
from guichet.households.models import Household
from guichet.households.perms import check_household_access, get_household_for_user
from guichet.records.models import Document, Note


def can_edit_documents(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_EDIT.full))


def can_read_notes(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_FOLLOW.full))


def can_read_sensitive_notes(user: Any) -> bool:
    return bool(user.has_perm(Perm.CONFIDENTIAL_VIEW_ALL.full))


def get_document_for_user(user: Any, document_id: int) -> Document:
    """A live document of a household ``user`` may open; Http404 if missing or deleted."""
    document = Document.objects.filter(pk=document_id, deleted_at__isnull=True).select_related("household").first()
    if document is None:
        raise Http404("Pièce introuvable.")
    check_household_access(user, document.household)
    return document


def get_household_notes_for_user(user: Any, household_id: int) -> Household:
    """The household whose notes ``user`` may read (role first, then the household policy)."""
    if not can_read_notes(user):
        raise PermissionDenied("Les notes sociales sont réservées aux travailleurs sociaux et aux responsables.")
    return get_household_for_user(user, household_id)


def visible_notes(user: Any, household: Household) -> QuerySet[Note]:
    """The notes of ``household`` that ``user`` may read (empty for roles without notes)."""
    notes = Note.objects.filter(household=household).select_related("author")
    if not can_read_notes(user):
        return notes.none()
    if can_read_sensitive_notes(user):
        return notes
    return notes.filter(Q(is_sensitive=False) | Q(author=user))
