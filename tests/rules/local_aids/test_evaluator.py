"""The evaluator: each condition against households on both sides of its bounds, amounts to the
cent, the reasons in French, and only the versions valid on the day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from guichet.rules.household import Household
from guichet.rules.local_aids import compute_amount, evaluate, parse_aid
from guichet.rules.local_aids.evaluator import EXAMPLE_WARNING
from guichet.rules.local_aids.facts import consumption_units, household_facts, monthly_resources
from tests.rules.conftest import plain
from tests.rules.local_aids.helpers import HEADER, OCT, ON, aid, aid_text, child, household, person

SINGLE_PARENT_2 = household(person(), child(5), child(12), quotient="480")
COUPLE_3 = household(person(), person("conjoint"), child(2), child(9), child(15), quotient="720")


def _met(conditions: str, subject: Household) -> bool:
    [result] = evaluate([aid(conditions)], subject, ON)
    return result.eligible


@pytest.mark.parametrize(
    ("conditions", "subject", "met"),
    [
        # residence
        ("- residence: commune\n", household(), True),
        ("- residence: commune\n", household(insee_code="76100"), False),
        ("- residence: commune\n", household(insee_code=""), False),
        ("- residence:\n    communes: ['76100', '76575']\n", household(), True),
        ("- residence:\n    communes: ['76100']\n", household(), False),
        ("- residence:\n    quartiers: [Château Blanc]\n", household(quartier="chateau-blanc"), True),
        ("- residence:\n    quartiers: [Château Blanc]\n", household(quartier="cateliers"), False),
        ("- residence:\n    quartiers: [Château Blanc]\n", household(quartier=""), False),
        # age of the applicant, inclusive bounds
        ("- age: {min: 65}\n", household(person(age=65)), True),
        ("- age: {min: 65}\n", household(person(age=64)), False),
        ("- age: {max: 25}\n", household(person(age=25)), True),
        ("- age: {max: 25}\n", household(person(age=26)), False),
        ("- age: {qui: conjoint, min: 60}\n", household(person(age=30), person("conjoint", 61)), True),
        ("- age: {qui: conjoint, min: 60}\n", household(person(age=70)), False),  # no spouse
        ("- age: {qui: un_adulte, min: 60}\n", household(person(age=30), person("conjoint", 61)), True),
        ("- age: {qui: tous_les_adultes, min: 60}\n", household(person(age=30), person("conjoint", 61)), False),
        ("- age: {qui: tous_les_adultes, min: 60}\n", household(person(age=62), person("conjoint", 61)), True),
        ("- age: {qui: un_enfant, max: 2}\n", COUPLE_3, True),
        ("- age: {qui: un_enfant, max: 1}\n", COUPLE_3, False),
        ("- age: {qui: un_membre, min: 80}\n", household(person(), person("autre", 82)), True),
        # family quotient (attested), inclusive bounds
        ("- quotient_familial: {max: 480}\n", SINGLE_PARENT_2, True),
        ("- quotient_familial: {max: 479.99}\n", SINGLE_PARENT_2, False),
        ("- quotient_familial: {min: 480.01, max: 900}\n", SINGLE_PARENT_2, False),
        ("- quotient_familial: {min: 500, max: 900}\n", COUPLE_3, True),
        # composition
        ("- couple: true\n", COUPLE_3, True),
        ("- couple: true\n", SINGLE_PARENT_2, False),
        ("- couple: false\n", SINGLE_PARENT_2, True),
        ("- parent_isole: true\n", SINGLE_PARENT_2, True),
        ("- parent_isole: true\n", COUPLE_3, False),
        ("- parent_isole: true\n", household(), False),  # alone without a child
        ("- parent_isole: false\n", household(), True),
        ("- enfants: {min: 3}\n", COUPLE_3, True),
        ("- enfants: {min: 3}\n", SINGLE_PARENT_2, False),
        ("- enfants: {max: 0}\n", household(), True),
        ("- enfants: {min: 2, age_min: 3, age_max: 18}\n", COUPLE_3, True),
        ("- enfants: {min: 3, age_min: 3, age_max: 18}\n", COUPLE_3, False),  # the 2-year-old does not count
        ("- personnes: {min: 5}\n", COUPLE_3, True),
        ("- personnes: {min: 5}\n", SINGLE_PARENT_2, False),
        # occupation
        ("- activite: {parmi: [retraite, inapte]}\n", household(person(occupation="retraite")), True),
        ("- activite: {parmi: [retraite, inapte]}\n", household(person(occupation="salarie")), False),
        (
            "- activite: {qui: un_adulte, parmi: [demandeur_emploi]}\n",
            household(person(occupation="salarie"), person("conjoint", occupation="demandeur_emploi")),
            True,
        ),
        # disability: a rate, or without an explicit rate AEEH / RQTH too
        ("- handicap: {}\n", household(person(disability_rate=50)), True),
        ("- handicap: {}\n", household(person(disability_rate=49)), False),
        ("- handicap: {}\n", household(person(has_rqth=True)), True),
        ("- handicap: {qui: un_enfant}\n", household(person(), child(8, has_aeeh=True)), True),
        ("- handicap: {taux_min: 80}\n", household(person(disability_rate=79, has_rqth=True)), False),
        ("- handicap: {taux_min: 80}\n", household(person(disability_rate=80)), True),
        # housing
        ("- logement: [locataire_social, locataire_prive]\n", household(housing_status="locataire_social"), True),
        ("- logement: [locataire_social, locataire_prive]\n", household(housing_status="proprietaire"), False),
        # combinations: a list is « all of them », « une_parmi » any, « toutes » all, nested
        ("- age: {min: 65}\n- residence: commune\n", household(person(age=70), insee_code="76100"), False),
        ("- une_parmi:\n    - age: {min: 65}\n    - handicap: {}\n", household(person(disability_rate=80)), True),
        ("- une_parmi:\n    - age: {min: 65}\n    - handicap: {}\n", household(person(age=40)), False),
        (
            "- une_parmi:\n    - toutes:\n        - age: {min: 60}\n        - activite: {parmi: [inapte]}\n"
            "    - age: {min: 65}\n",
            household(person(age=61, occupation="inapte")),
            True,
        ),
        (
            "- une_parmi:\n    - toutes:\n        - age: {min: 60}\n        - activite: {parmi: [inapte]}\n"
            "    - age: {min: 65}\n",
            household(person(age=61, occupation="retraite")),
            False,
        ),
    ],
)
def test_each_condition_on_both_sides_of_its_bounds(conditions: str, subject: Household, met: bool) -> None:
    assert _met(conditions, subject) is met


def test_resources_per_consumption_unit() -> None:
    # 1 (applicant) + 0.5 (spouse) + 0.5 (child of 14) + 0.3 (child of 13) = 2.3 UC
    subject = household(person(), person("conjoint"), child(14), child(13), salary="1500")
    assert consumption_units(subject, ON) == D("2.3")
    assert monthly_resources(subject, ON) == D("1500")
    assert household_facts(subject, ON).resources_per_unit == D("652.17")  # 1500 / 2.3 = 652.173…
    assert _met("- ressources_par_uc: {max: 652.17}\n", subject)
    assert not _met("- ressources_par_uc: {max: 652.16}\n", subject)


def test_resources_are_the_latest_month_of_each_kind_up_to_the_day() -> None:
    later = dt.date(2026, 12, 1)
    subject = household(
        person(resources={"salaire": {dt.date(2026, 9, 1): D("900"), OCT: D("1000"), later: D("5000")}}),
        resources={"aide_logement": {dt.date(2026, 8, 1): D("250.50")}},
    )
    assert monthly_resources(subject, ON) == D("1250.50")
    assert consumption_units(household(child(3)), ON) == 1  # never under one unit


AMOUNT_CASES = [
    # (amount, household, amount, explanation)
    ("periodicite: ponctuel\nfixe: 150\n", SINGLE_PARENT_2, "150.00", ["Montant : 150 €"]),
    (
        "periodicite: ponctuel\nfixe: 60\npar_personne: 20\nplafond: 160\n",
        COUPLE_3,  # 60 + 5 × 20 = 160, exactly the cap
        "160.00",
        ["Montant : 60 € + 20 € × 5 personnes = 160 €"],
    ),
    (
        "periodicite: ponctuel\nfixe: 60\npar_personne: 20.50\nplafond: 150\n",
        COUPLE_3,  # 60 + 102.50 = 162.50, capped
        "150.00",
        ["Montant : 60 € + 20,50 € × 5 personnes = 162,50 €", "Plafonné à 150 €"],
    ),
    (
        "periodicite: annuel\npar_enfant: 35.50\nenfants_comptes: {age_min: 3, age_max: 18}\n",
        COUPLE_3,  # the 2-year-old is not counted
        "71.00",
        ["Montant : 35,50 € × 2 enfants (de 3 à 18 ans) = 71 €"],
    ),
    (
        "periodicite: annuel\ntranches_quotient:\n  - {jusqu_a: 480, fixe: 150}\n  - {jusqu_a: 800, fixe: 60}\n",
        SINGLE_PARENT_2,  # 480 is in the first bracket (inclusive)
        "150.00",
        ["Quotient familial de 480 € : tranche jusqu'à 480 €", "Montant : 150 €"],
    ),
    (
        "periodicite: annuel\ntranches_quotient:\n  - {jusqu_a: 479.99, fixe: 150}\n  - {jusqu_a: 800, fixe: 60}\n",
        SINGLE_PARENT_2,
        "60.00",
        ["Quotient familial de 480 € : tranche au-delà de 479,99 € et jusqu'à 800 €", "Montant : 60 €"],
    ),
    (
        "periodicite: annuel\ntranches_quotient:\n  - {jusqu_a: 500, par_enfant: 60}\n  - {fixe: 10, par_enfant: 5}\n"
        "plafond: 22\n",
        COUPLE_3,  # 720 € -> open last bracket: 10 + 3 × 5 = 25, capped at 22
        "22.00",
        [
            "Quotient familial de 720 € : tranche au-delà de 500 €",
            "Montant : 10 € + 5 € × 3 enfants = 25 €",
            "Plafonné à 22 €",
        ],
    ),
    (
        "periodicite: annuel\ntranches_quotient:\n  - {jusqu_a: 400, fixe: 150}\n  - {jusqu_a: 700, fixe: 60}\n",
        COUPLE_3,  # 720 € is above the last bracket
        "0.00",
        [
            "Quotient familial de 720 € : tranche au-delà de la dernière tranche (700 €)",
            "Aucun montant prévu pour ce quotient",
        ],
    ),
]


@pytest.mark.parametrize(("amount", "subject", "expected", "explanation"), AMOUNT_CASES)
def test_amounts_to_the_cent(amount: str, subject: Household, expected: str, explanation: list[str]) -> None:
    definition = aid(amount="montant:\n" + "".join(f"  {line}\n" for line in amount.splitlines()))
    value, lines = compute_amount(definition.amount, household_facts(subject, ON))
    assert value == D(expected) and str(value) == expected
    assert plain(lines).splitlines() == explanation


def test_an_aid_with_a_nil_amount_is_not_eligible_and_says_why() -> None:
    per_child = "montant:\n  periodicite: ponctuel\n  par_enfant: 50\n"
    [result] = evaluate([aid("- residence: commune\n", per_child)], household(), ON)
    assert not result.eligible and result.amount == D("0.00")
    assert [r.text for r in result.reasons if not r.met] == ["Montant calculé nul pour ce ménage"]


def test_reasons_give_the_household_figures_beside_the_rule() -> None:
    conditions = (
        "- residence: commune\n"
        "- une_parmi:\n    - age: {min: 65}\n    - handicap: {qui: un_adulte, taux_min: 80}\n"
        "- ressources_par_uc: {max: 900}\n"
        "- quotient_familial: {max: 700}\n"
        "- logement: [locataire_social]\n"
    )
    subject = household(person(age=67, occupation="retraite"), salary="950", quotient="612.4")
    [result] = evaluate([aid(conditions)], subject, ON)
    assert [(r.level, r.met, plain(r.text)) for r in result.reasons] == [
        (0, True, "Résidence à Saint-Étienne-du-Rouvray (code INSEE 76575) — commune du ménage : 76575"),
        (0, True, "Au moins une de ces conditions"),
        (1, True, "Âge du demandeur : 67 ans (condition : au moins 65 ans)"),
        (
            1,
            False,
            "Handicap d'un adulte (demandeur ou conjoint) : aucune reconnaissance "
            "(condition : taux d'incapacité d'au moins 80 %)",
        ),
        (0, False, "Ressources par unité de consommation : 950 € par mois ÷ 1 UC = 950 € (condition : jusqu'à 900 €)"),
        (0, True, "Quotient familial : 612,40 € (attestation CAF du 01/09/2026) (condition : jusqu'à 700 €)"),
        (0, False, "Logement : locataire d'un bailleur privé (condition : locataire d'un bailleur social)"),
    ]
    assert not result.eligible and result.amount == D("0.00")  # two conditions fail


def test_a_given_quotient_replaces_the_households_own() -> None:
    estimated = household_facts(household(quotient="300"), ON).quotient
    subject = household(quotient="1200")
    [result] = evaluate([aid("- quotient_familial: {max: 500}\n")], subject, ON, quotient=estimated)
    assert result.eligible
    assert "(estimation à partir de vos réponses)" in result.reasons[0].text


def test_only_the_version_valid_on_the_day_is_evaluated() -> None:
    v1 = parse_aid(aid_text(header=HEADER.replace("  du: 2026-01-01\n", "  du: 2025-01-01\n  au: 2025-12-31\n")))
    v2 = parse_aid(
        aid_text(amount="montant:\n  periodicite: ponctuel\n  fixe: 150\n", header=HEADER.replace('"1"', '"2"'))
    )
    assert [(r.aid.version, r.amount) for r in evaluate([v1, v2], household(), dt.date(2025, 12, 31))] == [
        ("1", D("100.00"))
    ]
    assert [(r.aid.version, r.amount) for r in evaluate([v1, v2], household(), dt.date(2026, 1, 1))] == [
        ("2", D("150.00"))
    ]
    assert evaluate([v2], household(), dt.date(2025, 6, 1)) == []


def test_example_aids_say_so_and_a_missing_income_is_flagged_where_the_quotient_counts() -> None:
    example = parse_aid(aid_text("- quotient_familial: {max: 700}\n", header=HEADER + "exemple: true\n"))
    [result] = evaluate([example], household(), ON)  # no attested quotient, no income of 2024
    assert result.warnings[0] == EXAMPLE_WARNING
    assert "Aucun revenu 2024 renseigné : le quotient est calculé sur des revenus nuls." in result.warnings
    assert not any("à vérifier" in warning for warning in result.warnings)
    [plain_result] = evaluate([aid("- residence: commune\n")], household(), ON)
    assert plain_result.warnings == ()
