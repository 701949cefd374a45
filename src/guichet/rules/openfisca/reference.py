"""The same household in OpenFisca-France's own situation format (``build_from_entities``), with
only what a person would type into a simulator: gross incomes (OpenFisca computes net, taxable and
every contribution), declared taxable incomes of past years, benefits received in past months,
housing. OpenFisca then computes everything else itself.

Used as the reference the fast path is checked against (tests) and as the naive approach it is
measured against (``bench/droits.py``). Gross amounts are those the fast path derived from the
net ones (``conversion`` is checked separately by its own round trip).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.simulation_builder import SimulationBuilder

from guichet.rules.household import Household
from guichet.rules.openfisca.catalogue import BENEFITS
from guichet.rules.openfisca.mapping import (
    INCOME_VARIABLES,
    PAST_BENEFITS,
    ChunkInputs,
    first_of_month,
    map_households,
    period_key,
)
from guichet.rules.openfisca.simulation import build_simulation
from guichet.rules.openfisca.system import tax_benefit_system

# Inputs of the fast path that a person would not give: OpenFisca computes them from the gross.
COMPUTED_BY_OPENFISCA = {net for _, net, _ in INCOME_VARIABLES.values()} | {
    taxable for _, _, taxable in INCOME_VARIABLES.values()
}


def situation(household: Household, month: dt.date, *, past_benefits: bool = True) -> dict[str, Any]:
    """``household`` at ``month`` as an OpenFisca-France situation dict. Without ``past_benefits``,
    the benefits of past months are left for OpenFisca to compute too (as a simulator that knows
    nothing of what the household received does)."""
    month = first_of_month(month)
    chunk = map_households([household], month)
    fast = build_simulation(chunk)
    variables = tax_benefit_system().variables
    person_keys = [pid.split(":", 1)[1] for pid in chunk.person_ids]
    individus: dict[str, dict[str, dict[str, Any]]] = {key: {} for key in person_keys}
    familles: dict[str, dict[str, Any]] = {}
    foyers: dict[str, dict[str, Any]] = {}
    menage: dict[str, Any] = {"personne_de_reference": [], "conjoint": [], "enfants": [], "autres": []}
    for index, key in enumerate(person_keys):
        group = f"f{chunk.famille_of_person[index]}"
        famille = familles.setdefault(group, {"parents": [], "enfants": []})
        famille["enfants" if chunk.famille_roles[index] == "enfant" else "parents"].append(key)
        foyer = foyers.setdefault(group, {"declarants": [], "personnes_a_charge": []})
        foyer["personnes_a_charge" if chunk.foyer_roles[index] == "personne_a_charge" else "declarants"].append(key)
        role = chunk.menage_roles[index]
        menage[{"enfant": "enfants", "autre": "autres"}.get(role, role)].append(key)
    _inputs(chunk, variables, individus, familles, menage, person_keys)
    declared = {taxable for _, _, taxable in INCOME_VARIABLES.values()}
    for kind, per_month in chunk.net_incomes.items():
        gross_var = INCOME_VARIABLES[kind][0]
        for day in per_month:
            values = fast.get_array(gross_var, period_key(day))
            for index, key in enumerate(person_keys):
                individus[key].setdefault(gross_var, {})[period_key(day)] = float(values[index])
    if not past_benefits:
        for entity in [*individus.values(), *familles.values()]:
            for variable in PAST_BENEFITS:
                entity.pop(variable, None)
    for key in person_keys:  # the declared years keep their taxable amounts only
        for variable in list(individus[key]):
            if variable in COMPUTED_BY_OPENFISCA and variable not in declared:
                del individus[key][variable]
    return {
        "individus": individus,
        "familles": familles,
        "foyers_fiscaux": foyers,
        "menages": {"m": menage},
    }


def _inputs(
    chunk: ChunkInputs,
    variables: Any,
    individus: dict[str, dict[str, dict[str, Any]]],
    familles: dict[str, dict[str, Any]],
    menage: dict[str, Any],
    person_keys: list[str],
) -> None:
    for (variable, period), values in chunk.inputs.items():
        entity = variables[variable].entity.key
        if entity == "individu":
            targets = [individus[key] for key in person_keys]
        elif entity == "menage":
            targets = [menage]
        else:
            targets = [familles[f"f{index}"] for index in range(len(familles))]
        for target, value in zip(targets, values, strict=True):
            if variable in {gross for gross, _, _ in INCOME_VARIABLES.values()} and not value:
                continue
            target.setdefault(variable, {})[period] = _plain(value)


def _plain(value: object) -> object:
    if isinstance(value, np.datetime64):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def compute(situation_dict: dict[str, Any], month: dt.date) -> dict[str, float]:
    """Every catalogue benefit computed by OpenFisca-France from the situation dict (summed over
    the household, like the assessment)."""
    system = tax_benefit_system()
    simulation = SimulationBuilder().build_from_entities(system, situation_dict)
    results = {}
    for benefit in BENEFITS:
        variable = system.variables[benefit.variable]
        yearly = variable.definition_period == DateUnit.YEAR
        period = str(month.year) if yearly else period_key(first_of_month(month))
        results[benefit.key] = float(np.sum(simulation.calculate(benefit.variable, period)))
    return results
