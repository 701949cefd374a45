"""Properties of the loader and the evaluator over random aid definitions and households: a
well-formed definition always reads and evaluates; amounts are never negative nor above the cap;
a household strictly outside a quotient range is never eligible; garbage only ever raises
``LocalAidFileError`` with a line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.rules.household import AttestedQuotient, Household, Person
from guichet.rules.local_aids import LocalAidFileError, evaluate, parse_aid
from guichet.rules.local_aids import model as m
from guichet.rules.local_aids.facts import household_facts
from tests.rules.local_aids.helpers import OCT, ON

PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- aid definitions (the parsed YAML, as Python data) ----------------------------------------

money = st.one_of(st.integers(0, 400), st.decimals(0, 400, places=2).map(str))


def bounds(low: int, high: int) -> st.SearchStrategy[dict[str, Any]]:
    """``{min: …}``, ``{max: …}`` or both, min ≤ max."""
    pair = st.tuples(st.integers(low, high), st.integers(low, high)).map(sorted)
    return pair.flatmap(
        lambda p: st.sampled_from(
            [{"min": p[0]}, {"max": p[1]}, {"min": p[0], "max": p[1]}],
        )
    )


who = st.sampled_from(sorted(m.WHO_LABELS))
leaf_conditions = st.one_of(
    st.just({"residence": "commune"}),
    st.lists(st.sampled_from(["76575", "76100", "76540"]), min_size=1, max_size=3).map(
        lambda codes: {"residence": {"communes": codes}}
    ),
    st.lists(st.sampled_from(["Château Blanc", "Thorez-Grimau", "Cateliers"]), min_size=1, max_size=2).map(
        lambda names: {"residence": {"quartiers": names}}
    ),
    st.tuples(who, bounds(0, 100)).map(lambda t: {"age": {"qui": t[0], **t[1]}}),
    bounds(0, 2000).map(lambda b: {"quotient_familial": b}),
    bounds(0, 3000).map(lambda b: {"ressources_par_uc": b}),
    st.booleans().map(lambda b: {"couple": b}),
    st.booleans().map(lambda b: {"parent_isole": b}),
    st.tuples(bounds(0, 5), st.just({}) | bounds(0, 25).map(lambda b: {f"age_{k}": v for k, v in b.items()})).map(
        lambda t: {"enfants": {**t[0], **t[1]}}
    ),
    bounds(1, 8).map(lambda b: {"personnes": b}),
    st.tuples(who, st.lists(st.sampled_from(sorted(m.OCCUPATION_LABELS)), min_size=1, unique=True)).map(
        lambda t: {"activite": {"qui": t[0], "parmi": t[1]}}
    ),
    st.tuples(who, st.none() | st.integers(1, 100)).map(
        lambda t: {"handicap": {"qui": t[0]} | ({"taux_min": t[1]} if t[1] is not None else {})}
    ),
    st.lists(st.sampled_from(sorted(m.HOUSING_LABELS)), min_size=1, unique=True).map(lambda s: {"logement": s}),
)
conditions = st.recursive(
    leaf_conditions,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda items: {"toutes": items}),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: {"une_parmi": items}),
    ),
    max_leaves=6,
)


@st.composite
def parts(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(["fixe", "par_enfant", "par_personne"]), min_size=1, unique=True))
    return {name: draw(money) for name in names}


@st.composite
def amounts(draw: st.DrawFn) -> dict[str, Any]:
    amount: dict[str, Any] = {"periodicite": draw(st.sampled_from(sorted(m.PERIODICITIES)))}
    if draw(st.booleans()):
        limits = sorted(draw(st.sets(st.integers(0, 2000), min_size=1, max_size=4)))
        brackets = [{"jusqu_a": limit, **draw(parts())} for limit in limits]
        if draw(st.booleans()):
            brackets.append(draw(parts()))
        amount["tranches_quotient"] = brackets
    else:
        amount.update(draw(parts()))
    if draw(st.booleans()):
        amount["plafond"] = draw(money)
    if draw(st.booleans()):
        amount["enfants_comptes"] = {f"age_{k}": v for k, v in draw(bounds(0, 25)).items()}
    return amount


def definition(conditions_list: list[dict[str, Any]], amount: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "aide-hasard",
        "nom": "Aide tirée au hasard",
        "version": "1",
        "validite": {"du": dt.date(2026, 1, 1)},
        "deliberation": {"reference": "H-1", "date": dt.date(2025, 12, 1)},
        "exemple": True,
        "commune": {"code_insee": "76575", "nom": "Saint-Étienne-du-Rouvray"},
        "conditions": conditions_list,
        "montant": amount,
        "demande": {"lieu": "CCAS"},
    }


definitions = st.builds(definition, st.lists(conditions, max_size=4), amounts())

# --- households -------------------------------------------------------------------------------

euros = st.decimals(0, 4000, places=2)


@st.composite
def people(draw: st.DrawFn, role: str, min_age: int, max_age: int) -> Person:
    age = draw(st.integers(min_age, max_age))
    resources = {}
    if draw(st.booleans()):
        resources[draw(st.sampled_from(["salaire", "chomage", "retraite", "rsa", "aah"]))] = {OCT: draw(euros)}
    return Person(
        id=f"{role}-{draw(st.integers(0, 10**6))}",
        role=role,
        birth_date=dt.date(ON.year - age, draw(st.integers(1, 12)), draw(st.integers(1, 28))),
        occupation=draw(st.sampled_from(sorted(m.OCCUPATION_LABELS))),
        disability_rate=draw(st.none() | st.integers(0, 100)),
        has_aeeh=draw(st.booleans()),
        has_rqth=draw(st.booleans()),
        resources=resources,
        taxable_income={ON.year - 2: draw(st.decimals(0, 60000, places=0))} if draw(st.booleans()) else {},
    )


@st.composite
def households(draw: st.DrawFn) -> Household:
    members = [draw(people("demandeur", 18, 100))]
    if draw(st.booleans()):
        members.append(draw(people("conjoint", 18, 100)))
    members += draw(st.lists(people("enfant", 0, 24), max_size=5))
    members += draw(st.lists(people("autre", 14, 100), max_size=1))
    attested = None
    if draw(st.booleans()):
        attested = AttestedQuotient(draw(st.decimals(0, 3000, places=2)), dt.date(2026, 9, 1), "attestation_caf")
    return Household(
        id="h",
        people=tuple(members),
        housing_status=draw(st.sampled_from(sorted(m.HOUSING_LABELS))),
        insee_code=draw(st.sampled_from(["76575", "76100", ""])),
        quartier=draw(st.sampled_from(["chateau-blanc", "cateliers", ""])),
        resources={"af": {OCT: draw(euros)}} if draw(st.booleans()) else {},
        attested_quotient=attested,
    )


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # an author writes each value out
        return True


def _text(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


@PROFILE
@given(definitions, st.lists(households(), min_size=1, max_size=3))
def test_well_formed_definitions_read_and_evaluate_within_their_bounds(
    data: dict[str, Any], subjects: list[Household]
) -> None:
    aid = parse_aid(_text(data), "hasard.yaml")
    for subject in subjects:
        [result] = evaluate([aid], subject, ON)
        assert result.amount >= 0
        assert result.amount == result.amount.quantize(Decimal("0.01"))
        if aid.amount.cap is not None:
            assert result.amount <= aid.amount.cap
        assert result.eligible == (result.amount > 0)
        assert result.reasons and all(reason.text for reason in result.reasons)


@PROFILE
@given(definitions, households(), st.data())
def test_a_household_strictly_outside_a_quotient_range_is_never_eligible(
    data: dict[str, Any], subject: Household, draw: st.DataObject
) -> None:
    quotient = household_facts(subject, ON).quotient.value
    below = draw.draw(st.booleans())
    gap = draw.draw(st.decimals("0.01", 500, places=2))
    outside = {"min": quotient + gap} if below else {"max": max(quotient - gap, Decimal(0))}
    if not below and quotient - gap < 0:
        outside = {"min": quotient + gap}  # no range strictly below a quotient of zero
    data["conditions"] = [*data["conditions"], {"quotient_familial": {k: str(v) for k, v in outside.items()}}]
    aid = parse_aid(_text(data), "hasard.yaml")
    [result] = evaluate([aid], subject, ON)
    assert not result.eligible and result.amount == 0


def _assert_located(text: str) -> None:
    try:
        parse_aid(text, "hasard.yaml")
    except LocalAidFileError as error:
        assert 1 <= error.line <= text.count("\n") + 2
        assert error.message and all(e.line >= 1 for e in error.all_errors)


@PROFILE
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_random_text_only_raises_a_located_error(text: str) -> None:
    _assert_located(text)


yaml_punctuation = st.text(alphabet="abc:-[]{}#&*!|>'\"% \t\n,?@`0123456789.", max_size=200)


@PROFILE
@given(yaml_punctuation)
def test_random_yaml_like_text_only_raises_a_located_error(text: str) -> None:
    _assert_located(text)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(["commune", "ponctuel", "demandeur", "76575", "2026-01-01", "-1", "1e400", "NaN"]),
)
KEYS = ["min", "max", "qui", "parmi", "fixe", "jusqu_a", "plafond", "residence", "age", "toutes", "du", "x"]
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
    max_leaves=8,
)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A well-formed definition with one part, at any depth, replaced by junk."""
    root: dict[str, Any] = draw(definitions)
    data: Any = root
    while True:
        keys = list(data) if isinstance(data, dict) else list(range(len(data)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        if isinstance(data[key], dict | list) and draw(st.booleans()):
            data = data[key]
            continue
        data[key] = draw(junk)
        break
    return root


@PROFILE
@given(mutated())
def test_damaged_definitions_only_raise_a_located_error(data: dict[str, Any]) -> None:
    _assert_located(_text(data))
