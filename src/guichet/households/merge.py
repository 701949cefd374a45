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

Person merge (two records of one person in the same household): ``person_merge`` (in
``households.person_merge``) calls every hook registered with ``register_person_merge_hook`` with the
dropped person and the kept one, inside its transaction, before deleting the dropped person. Same
contract.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from guichet.households.models import Household, Person

MergeHook = Callable[["Household", "Household"], int]
PersonMergeHook = Callable[["Person", "Person"], int]
Hook = TypeVar("Hook")


class _Hooks(Generic[Hook]):
    """Hooks by name: registering a name again replaces its hook."""

    def __init__(self) -> None:
        self._by_name: dict[str, Hook] = {}

    def register(self, name: str, hook: Hook) -> None:
        self._by_name[name] = hook

    def unregister(self, name: str) -> None:
        self._by_name.pop(name, None)

    def all(self) -> dict[str, Hook]:
        return dict(self._by_name)


_household_hooks = _Hooks[MergeHook]()
_person_hooks = _Hooks[PersonMergeHook]()

register_merge_hook = _household_hooks.register
unregister_merge_hook = _household_hooks.unregister
merge_hooks = _household_hooks.all
register_person_merge_hook = _person_hooks.register
unregister_person_merge_hook = _person_hooks.unregister
person_merge_hooks = _person_hooks.all
