"""Merge hooks: how other apps move their records when two household files are merged.

When a responsable merges household ``source`` into household ``target`` (``household_merge`` in
``households.services``), the households app moves its own records (people, resources, charges,
consents, referents), then calls every registered hook, inside the same transaction, before the
source is deleted. An app whose models point to a household registers, from its
``AppConfig.ready()``::

    from guichet.households.merge import register_merge_hook

    def move_requests(source: Household, target: Household) -> int:
        return Request.objects.filter(household=source).update(household=target)

    register_merge_hook("desk.requests", move_requests)

A hook returns how many records it moved (shown on the result and written to the audit log); it must
not delete anything. A hook that raises aborts the whole merge (nothing is changed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guichet.households.models import Household, Person

MergeHook = Callable[["Household", "Household"], int]

_hooks: dict[str, MergeHook] = {}


def register_merge_hook(name: str, hook: MergeHook) -> None:
    """Register (or replace, under the same ``name``) a hook called on every merge."""
    _hooks[name] = hook


def unregister_merge_hook(name: str) -> None:
    _hooks.pop(name, None)


def merge_hooks() -> dict[str, MergeHook]:
    return dict(_hooks)


# --- Person merge: two records of one person in the same household ------------------------------
# ``person_merge`` (``households.person_merge``) calls every hook with the dropped person and the
# kept one, inside its transaction, before deleting the dropped person. Same contract as above.

PersonMergeHook = Callable[["Person", "Person"], int]

_person_hooks: dict[str, PersonMergeHook] = {}


def register_person_merge_hook(name: str, hook: PersonMergeHook) -> None:
    """Register (or replace, under the same ``name``) a hook called on every person merge."""
    _person_hooks[name] = hook


def unregister_person_merge_hook(name: str) -> None:
    _person_hooks.pop(name, None)


def person_merge_hooks() -> dict[str, PersonMergeHook]:
    return dict(_person_hooks)
