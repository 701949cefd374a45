"""Evaluates the commune's aids for a household on a day: only the versions valid that day; for
each one, whether it is open, its amount, and every condition with the household's own figures,
met or not, in French."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from guichet.rules.household import Household, Person
from guichet.rules.local_aids import model as m
from guichet.rules.local_aids.facts import HouseholdFacts, household_facts
from guichet.rules.money import format_euros, format_number, round_money
from guichet.rules.parameters import TO_VERIFY
from guichet.rules.quotient import Quotient
from guichet.rules.text import normalize_text

EXAMPLE_WARNING = "Exemple illustratif : cette aide n'est pas une délibération réelle de la commune."


@dataclass(frozen=True)
class Reason:
    text: str
    met: bool
    level: int = 0  # nesting under « toutes » / « une parmi »


@dataclass(frozen=True)
class LocalAidResult:
    aid: m.LocalAid
    eligible: bool
    amount: Decimal  # 0.00 when not eligible
    reasons: tuple[Reason, ...]
    amount_explanation: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.aid.id

    @property
    def name(self) -> str:
        return self.aid.name


# --- wording ----------------------------------------------------------------------------------


def _range(bounds: m.Range, shown: Callable[[Decimal], str], unit: str = "") -> str:
    """``de 3 à 18 ans``, ``au moins 65 ans``, ``jusqu'à 800 €``."""
    low, high = bounds.minimum, bounds.maximum
    if low is not None and high is not None:
        text = f"de {shown(low)} à {shown(high)}"
    elif low is not None:
        text = f"au moins {shown(low)}"
    elif high is not None:
        text = f"jusqu'à {shown(high)}"
    else:
        return "sans limite"
    return f"{text} {unit}" if unit else text


def _ages(bounds: m.Range) -> str:
    return _range(bounds, format_number, "ans")


def _listed(codes: Iterable[str], labels: dict[str, str]) -> str:
    return " ou ".join(labels.get(code, code) for code in codes)


# --- conditions -------------------------------------------------------------------------------

Checked = tuple[bool, list[Reason]]


def _people(facts: HouseholdFacts, who: str) -> tuple[Person, ...]:
    household = facts.household
    if who == "demandeur":
        return tuple(p for p in household.people if p.role == "demandeur")[:1]
    if who == "conjoint":
        return tuple(p for p in household.people if p.role == "conjoint")[:1]
    if who in {"un_adulte", "tous_les_adultes"}:
        return household.adults
    if who == "un_enfant":
        return household.children
    return household.people


def _persons(
    facts: HouseholdFacts, who: str, subject: str, test: Callable[[Person], bool], shown: Callable[[Person], str]
) -> tuple[bool, str]:
    """Whether the people ``who`` designates pass ``test``, and what they are (``67 ans``…)."""
    people = _people(facts, who)
    if not people:
        return False, f"{subject} {m.WHO_LABELS[who]} : personne concernée au foyer"
    passed = [test(person) for person in people]
    met = all(passed) if who == "tous_les_adultes" else any(passed)
    return met, f"{subject} {m.WHO_LABELS[who]} : {', '.join(shown(person) for person in people)}"


def _is_disabled(person: Person, minimum_rate: int | None) -> bool:
    rate = person.disability_rate or 0
    if minimum_rate is not None:
        return rate >= minimum_rate
    return rate >= m.DEFAULT_DISABILITY_RATE or person.has_aeeh or person.has_rqth


def _disability_shown(person: Person) -> str:
    marks = [f"taux {person.disability_rate} %"] if person.disability_rate else []
    marks += ["AEEH"] * person.has_aeeh + ["RQTH"] * person.has_rqth
    return ", ".join(marks) or "aucune reconnaissance"


def _residence(condition: m.Residence, facts: HouseholdFacts, commune: m.Commune) -> Checked:
    household = facts.household
    if condition.own_commune:
        met = household.insee_code == commune.insee
        where = household.insee_code or "non renseignée"
        return met, [
            Reason(f"Résidence à {commune.name} (code INSEE {commune.insee}) — commune du ménage : {where}", met)
        ]
    reasons = []
    met = True
    if condition.communes:
        inside = household.insee_code in condition.communes
        where = household.insee_code or "non renseignée"
        reasons.append(
            Reason(
                f"Résidence dans l'une des communes {', '.join(condition.communes)} — commune du ménage : {where}",
                inside,
            )
        )
        met = met and inside
    if condition.quartiers:
        wanted = {normalize_text(name) for name in condition.quartiers}
        inside = bool(household.quartier) and normalize_text(household.quartier) in wanted
        where = household.quartier or "non renseigné"
        reasons.append(
            Reason(
                f"Résidence dans l'un des quartiers {', '.join(condition.quartiers)} — quartier du ménage : {where}",
                inside,
            )
        )
        met = met and inside
    return met, reasons


Line = tuple[bool, str]  # one condition on the household: met, and what the reason says


def _age(condition: m.Age, facts: HouseholdFacts) -> Line:
    bounds = condition.range
    met, text = _persons(
        facts, condition.who, "Âge", lambda p: bounds.contains(Decimal(facts.age(p))), lambda p: f"{facts.age(p)} ans"
    )
    return met, f"{text} (condition : {_ages(bounds)})"


def _quotient(condition: m.QuotientRange, facts: HouseholdFacts) -> Line:
    value = facts.quotient.value
    rule = _range(condition.range, format_euros)
    return condition.range.contains(
        value
    ), f"Quotient familial : {format_euros(value)} ({facts.quotient_label}) (condition : {rule})"


def _per_unit(condition: m.ResourcesPerUnit, facts: HouseholdFacts) -> Line:
    per_unit = facts.resources_per_unit
    rule = _range(condition.range, format_euros)
    return condition.range.contains(per_unit), (
        f"Ressources par unité de consommation : {format_euros(facts.resources)} par mois ÷ "
        f"{format_number(facts.units)} UC = {format_euros(per_unit)} (condition : {rule})"
    )


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def _couple(condition: m.Couple, facts: HouseholdFacts) -> Line:
    couple = facts.household.is_couple
    rule = "en couple" if condition.expected else "pas en couple"
    return couple == condition.expected, f"Vit en couple : {_yes_no(couple)} (condition : {rule})"


def _single_parent(condition: m.SingleParent, facts: HouseholdFacts) -> Line:
    single_parent = not facts.household.is_couple and bool(facts.household.children)
    rule = "parent isolé" if condition.expected else "pas parent isolé"
    return single_parent == condition.expected, f"Parent isolé : {_yes_no(single_parent)} (condition : {rule})"


def _children(condition: m.Children, facts: HouseholdFacts) -> Line:
    ages = condition.ages
    count = len(facts.children_aged(ages.minimum, ages.maximum))
    which = "" if ages == m.Range() else f" ({_ages(ages)})"
    rule = _range(condition.count, format_number)
    return condition.count.contains(Decimal(count)), f"Enfants au foyer{which} : {count} (condition : {rule})"


def _size(condition: m.People, facts: HouseholdFacts) -> Line:
    count = len(facts.household.people)
    rule = _range(condition.count, format_number)
    return condition.count.contains(Decimal(count)), f"Personnes au foyer : {count} (condition : {rule})"


def _occupation(condition: m.OccupationIn, facts: HouseholdFacts) -> Line:
    wanted = condition.occupations
    met, text = _persons(
        facts,
        condition.who,
        "Activité",
        lambda p: p.occupation in wanted,
        lambda p: m.OCCUPATION_LABELS.get(p.occupation, p.occupation),
    )
    return met, f"{text} (condition : {_listed(wanted, m.OCCUPATION_LABELS)})"


def _disability(condition: m.Disability, facts: HouseholdFacts) -> Line:
    rate = condition.minimum_rate
    met, text = _persons(facts, condition.who, "Handicap", lambda p: _is_disabled(p, rate), _disability_shown)
    if rate is not None:
        rule = f"taux d'incapacité d'au moins {rate} %"
    else:
        rule = f"taux d'au moins {m.DEFAULT_DISABILITY_RATE} %, AEEH ou RQTH"
    return met, f"{text} (condition : {rule})"


def _housing(condition: m.HousingIn, facts: HouseholdFacts) -> Line:
    status = facts.household.housing_status
    rule = _listed(condition.statuses, m.HOUSING_LABELS)
    return status in condition.statuses, f"Logement : {m.HOUSING_LABELS.get(status, status)} (condition : {rule})"


CHECKS: dict[type[Any], Callable[[Any, HouseholdFacts], Line]] = {
    m.Age: _age,
    m.QuotientRange: _quotient,
    m.ResourcesPerUnit: _per_unit,
    m.Couple: _couple,
    m.SingleParent: _single_parent,
    m.Children: _children,
    m.People: _size,
    m.OccupationIn: _occupation,
    m.Disability: _disability,
    m.HousingIn: _housing,
}


def _check(condition: m.Condition, facts: HouseholdFacts, commune: m.Commune, level: int) -> Checked:
    """Whether ``condition`` holds, with the reasons (the household's figure beside the rule)."""
    if isinstance(condition, m.AllOf | m.AnyOf):
        outcomes = [_check(inner, facts, commune, level + 1) for inner in condition.conditions]
        met = all(o[0] for o in outcomes) if isinstance(condition, m.AllOf) else any(o[0] for o in outcomes)
        title = "Toutes ces conditions" if isinstance(condition, m.AllOf) else "Au moins une de ces conditions"
        return met, [Reason(title, met, level), *(reason for outcome in outcomes for reason in outcome[1])]
    if isinstance(condition, m.Residence):
        met, reasons = _residence(condition, facts, commune)
        return met, [Reason(r.text, r.met, level) for r in reasons]
    met, text = CHECKS[type(condition)](condition, facts)
    return met, [Reason(text, met, level)]


# --- amount -----------------------------------------------------------------------------------


def _bracket(amount: m.Amount, quotient: Decimal) -> tuple[m.Bracket | None, str]:
    lower: Decimal | None = None
    for bracket in amount.brackets:
        if bracket.up_to is None or quotient <= bracket.up_to:
            if lower is None:
                label = f"jusqu'à {format_euros(bracket.up_to)}" if bracket.up_to is not None else "toute valeur"
            elif bracket.up_to is None:
                label = f"au-delà de {format_euros(lower)}"
            else:
                label = f"au-delà de {format_euros(lower)} et jusqu'à {format_euros(bracket.up_to)}"
            return bracket, label
        lower = bracket.up_to
    return None, f"au-delà de la dernière tranche ({format_euros(lower or Decimal(0))})"


def compute_amount(amount: m.Amount, facts: HouseholdFacts) -> tuple[Decimal, tuple[str, ...]]:
    """The amount (rounded to the cent, never above the cap) and how it was obtained."""
    lines = []
    parts = amount.parts
    if amount.brackets:
        quotient = facts.quotient.value
        bracket, label = _bracket(amount, quotient)
        lines.append(f"Quotient familial de {format_euros(quotient)} : tranche {label}")
        if bracket is None:
            return Decimal("0.00"), (*lines, "Aucun montant prévu pour ce quotient")
        parts = bracket.parts
    ages = amount.child_ages
    children = len(facts.children_aged(ages.minimum, ages.maximum))
    people = len(facts.household.people)
    terms = []
    if parts.fixed:
        terms.append(format_euros(parts.fixed))
    if parts.per_child:
        which = "" if ages == m.Range() else f" ({_ages(ages)})"
        terms.append(f"{format_euros(parts.per_child)} × {children} enfant{'s' if children > 1 else ''}{which}")
    if parts.per_person:
        terms.append(f"{format_euros(parts.per_person)} × {people} personne{'s' if people > 1 else ''}")
    total = round_money(parts.fixed + parts.per_child * children + parts.per_person * people)
    if len(terms) == 1 and parts.fixed:
        lines.append(f"Montant : {format_euros(total)}")
    else:
        lines.append(f"Montant : {' + '.join(terms) or '0 €'} = {format_euros(total)}")
    if amount.cap is not None and total > amount.cap:
        total = round_money(amount.cap, mode="down")
        lines.append(f"Plafonné à {format_euros(total)}")
    return total, tuple(lines)


def _uses_quotient(conditions: Iterable[m.Condition]) -> bool:
    for condition in conditions:
        if isinstance(condition, m.QuotientRange):
            return True
        if isinstance(condition, m.AllOf | m.AnyOf) and _uses_quotient(condition.conditions):
            return True
    return False


def evaluate_aid(aid: m.LocalAid, facts: HouseholdFacts) -> LocalAidResult:
    met = True
    reasons: list[Reason] = []
    for condition in aid.conditions:
        holds, found = _check(condition, facts, aid.commune, 0)
        met = met and holds
        reasons.extend(found)
    if not aid.conditions:
        reasons.append(Reason("Aucune condition : ouverte à tous les ménages", True))
    amount, explanation = compute_amount(aid.amount, facts)
    if met and amount <= 0:
        reasons.append(Reason("Montant calculé nul pour ce ménage", False))
    eligible = met and amount > 0
    warnings = [EXAMPLE_WARNING] if aid.example else []
    if aid.amount.brackets or _uses_quotient(aid.conditions):
        # the CAF parameters' « to verify » note belongs with the quotient, not under every aid
        warnings.extend(w for w in facts.quotient.warnings if getattr(w, "code", "") != TO_VERIFY)
    return LocalAidResult(
        aid=aid,
        eligible=eligible,
        amount=amount if eligible else Decimal("0.00"),
        reasons=tuple(reasons),
        amount_explanation=explanation,
        warnings=tuple(warnings),
    )


def evaluate(
    aids: Iterable[m.LocalAid], household: Household, on: dt.date, *, quotient: Quotient | None = None
) -> list[LocalAidResult]:
    """The aids valid on ``on`` evaluated for ``household`` (in the order given). ``quotient``
    replaces the household's own (attested or computed) one, e.g. an estimate from a questionnaire."""
    valid = [aid for aid in aids if aid.valid_on(on)]
    if not valid:
        return []
    facts = household_facts(household, on, quotient)
    return [evaluate_aid(aid, facts) for aid in valid]
