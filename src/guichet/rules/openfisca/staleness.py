"""Stale parameters: a benefit whose revalued amounts or ceilings have no value dated within a
configurable age before the simulated month is flagged, with OpenFisca-France's own dates (its
releases can lag behind a revaluation, e.g. the CSS ceiling)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale

from guichet.rules.openfisca.system import tax_benefit_system

DEFAULT_MAX_AGE_MONTHS = 12


@dataclass(frozen=True)
class StaleParameter:
    path: str
    last_value_date: dt.date
    message: str


def _node(path: str) -> Any:
    node = tax_benefit_system().parameters
    for name in path.split("."):
        node = node.children[name]
    return node


def parameter_leaves(node: Any) -> Iterator[Any]:
    """Every dated parameter under ``node`` (scale brackets included)."""
    if isinstance(node, Parameter):
        yield node
    elif isinstance(node, ParameterScale):
        for bracket in node.brackets:
            for name in ("threshold", "amount", "rate", "average_rate", "base"):
                leaf = getattr(bracket, name, None)
                if leaf is not None:
                    yield leaf
    elif isinstance(node, ParameterNode):
        for child in node.children.values():
            yield from parameter_leaves(child)


def last_value_date(path: str, day: dt.date) -> dt.date | None:
    """The most recent date, on or before ``day``, at which a value in force under ``path`` was set
    (values ended by a null are ignored)."""
    limit = day.isoformat()
    latest: str | None = None
    for leaf in parameter_leaves(_node(path)):
        in_force = next((entry for entry in leaf.values_list if entry.instant_str <= limit), None)
        if in_force is not None and in_force.value is not None and (latest is None or in_force.instant_str > latest):
            latest = in_force.instant_str
    return dt.date.fromisoformat(latest) if latest else None


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


@functools.lru_cache(maxsize=1024)
def stale_parameter(path: str, month: dt.date, max_age_months: int = DEFAULT_MAX_AGE_MONTHS) -> StaleParameter | None:
    last = last_value_date(path, month)
    if last is None:
        return StaleParameter(path, month, f"Aucune valeur en vigueur pour le paramètre « {path} » au {month:%m/%Y}.")
    age = _months_between(last, month)
    if age <= max_age_months:
        return None
    message = (
        f"Paramètre « {path} » : dernière valeur datée du {last:%d/%m/%Y}, soit {age} mois avant le mois simulé "
        f"(seuil : {max_age_months} mois). OpenFisca-France n'a peut-être pas encore intégré la dernière "
        "revalorisation : vérifier le montant auprès de l'organisme."
    )
    return StaleParameter(path, last, message)
