"""Vectorised draws of a synthetic population (numpy only, no Django): household types, ages,
occupations, disabilities, monthly net resources, housing, benefits with non-take-up.

Household type weights were solved so that the people they produce follow the commune's published
age structure (INSEE 2020, see shared/domain/README.md) with about 2.375 people per household.
Amounts are rough orders of magnitude for a working-class commune, not statistics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

AGE_BANDS = (0, 15, 30, 45, 60, 75)
AGE_STRUCTURE = (0.220, 0.198, 0.193, 0.171, 0.148, 0.070)  # under 15, 15-29, 30-44, 45-59, 60-74, 75+

RSA_BASE = 651.69
PPA_BASE = 638.28
AAH_FULL = 1041.59
ASPA_SINGLE = 1043.59
ASPA_COUPLE = 1620.06
BMAF = 478.16
SMIC_NET = 1430.0
NON_TAKE_UP_RATE = 0.33


class Kind(IntEnum):
    SINGLE_YOUNG = 0
    SINGLE_MID = 1
    SENIOR_60_74 = 2
    SENIOR_75 = 3
    COUPLE_YOUNG = 4
    COUPLE_MID = 5
    COUPLE_60_74 = 6
    COUPLE_75 = 7
    COUPLE_CHILDREN = 8
    SINGLE_PARENT = 9
    PARENT_ADULT_CHILD = 10


KIND_WEIGHTS = np.array([0.111, 0.032, 0.051, 0.038, 0.086, 0.037, 0.137, 0.047, 0.283, 0.107, 0.071])
# Priority neighbourhoods hold more single parents and fewer middle-aged couples; the shift is
# balanced by its opposite elsewhere (a third of households live in QPV) so the age structure holds.
QPV_SHIFT = np.zeros(len(Kind))
QPV_SHIFT[Kind.SINGLE_PARENT] = 0.04
QPV_SHIFT[Kind.COUPLE_MID] = -0.03
QPV_SHIFT[Kind.SINGLE_MID] = -0.01

# Applicant age range by type (inclusive).
APPLICANT_AGES = {
    Kind.SINGLE_YOUNG: (18, 29),
    Kind.SINGLE_MID: (30, 59),
    Kind.SENIOR_60_74: (60, 74),
    Kind.SENIOR_75: (75, 97),
    Kind.COUPLE_YOUNG: (22, 44),
    Kind.COUPLE_MID: (45, 59),
    Kind.COUPLE_60_74: (60, 74),
    Kind.COUPLE_75: (75, 92),
    Kind.COUPLE_CHILDREN: (25, 58),
    Kind.SINGLE_PARENT: (24, 55),
    Kind.PARENT_ADULT_CHILD: (55, 85),
}
COUPLE_KINDS = (Kind.COUPLE_YOUNG, Kind.COUPLE_MID, Kind.COUPLE_60_74, Kind.COUPLE_75, Kind.COUPLE_CHILDREN)
MAX_CHILDREN = 6
CHILDREN_P = {
    Kind.COUPLE_CHILDREN: (0.38, 0.35, 0.16, 0.07, 0.03, 0.01),
    Kind.SINGLE_PARENT: (0.50, 0.32, 0.12, 0.06, 0.0, 0.0),
}
CHILDREN_P_QPV = {
    Kind.COUPLE_CHILDREN: (0.30, 0.33, 0.20, 0.10, 0.05, 0.02),
    Kind.SINGLE_PARENT: (0.44, 0.32, 0.15, 0.07, 0.02, 0.0),
}

# Person roles and slots (slot orders people inside a household).
ROLE_APPLICANT, ROLE_SPOUSE, ROLE_CHILD = 0, 1, 2


class Occ(IntEnum):
    EMPLOYED = 0
    SELF_EMPLOYED = 1
    JOB_SEEKER = 2
    STUDENT = 3
    PUPIL = 4
    CHILD = 5
    RETIRED = 6
    UNABLE_TO_WORK = 7
    HOME = 8
    OTHER = 9


class Housing(IntEnum):
    SOCIAL_TENANT = 0
    PRIVATE_TENANT = 1
    OWNER = 2
    HOSTED = 3


class Income(IntEnum):
    """Personal monthly income kinds; benefits are drawn per household (or per person for AAH)."""

    NONE = 0
    SALARY = 1
    SELF_EMPLOYMENT = 2
    UNEMPLOYMENT = 3
    PENSION = 4
    INVALIDITY = 5


class Benefit(IntEnum):
    RSA = 0
    PPA = 1
    HOUSING_AID = 2
    AF = 3
    AAH = 4
    ASPA = 5


@dataclass(frozen=True)
class QuartierProfile:
    is_qpv: bool
    is_campus: bool
    weight: float


@dataclass
class PeopleDraw:
    household: IntArray  # index of the household in the chunk
    role: IntArray
    age: IntArray
    birth_ordinal: IntArray
    female: BoolArray
    occupation: IntArray
    disability_rate: IntArray  # 0 = none
    has_rqth: BoolArray
    has_card: BoolArray
    is_pregnant: BoolArray
    income_kind: IntArray
    income: FloatArray  # monthly net
    irregular: BoolArray  # income varies from month to month (temporary work)
    aah: FloatArray  # monthly AAH received (0 = none)


@dataclass
class HouseholdsDraw:
    quartier: IntArray
    kind: IntArray
    size: IntArray
    applicant_row: IntArray
    spouse_row: IntArray  # -1 when no spouse
    housing: IntArray
    rent: FloatArray  # nan for owners and hosted households
    benefits: FloatArray  # (households, len(Benefit)) monthly amounts received
    eligible: BoolArray  # plausibly eligible to at least one means-tested benefit
    non_take_up: BoolArray  # eligible and receiving nothing
    confidential: BoolArray
    children: IntArray  # dependent children (under 20)


def _between(rng: np.random.Generator, low: IntArray | int, high: IntArray | int, size: int) -> IntArray:
    """Uniform integers in [low, high] (inclusive, element-wise)."""
    return np.asarray(low + np.floor(rng.random(size) * (np.asarray(high) - low + 1)), dtype=np.int64)


def draw_kinds(rng: np.random.Generator, quartier_is_qpv: BoolArray) -> IntArray:
    n = len(quartier_is_qpv)
    qpv_share = float(quartier_is_qpv.mean()) if n else 0.0
    weights_qpv = KIND_WEIGHTS + QPV_SHIFT
    # The non-QPV weights absorb the opposite of the QPV shift, in proportion to each part's size.
    weights_other = KIND_WEIGHTS - QPV_SHIFT * (qpv_share / max(1.0 - qpv_share, 1e-9))
    weights_other = np.clip(weights_other, 0.001, None)
    kinds = np.empty(n, dtype=np.int64)
    for flag, weights in ((True, weights_qpv), (False, weights_other)):
        mask = quartier_is_qpv == flag
        kinds[mask] = rng.choice(len(Kind), size=int(mask.sum()), p=weights / weights.sum())
    return kinds


def draw_people(
    rng: np.random.Generator, kinds: IntArray, quartier_is_qpv: BoolArray
) -> tuple[PeopleDraw, IntArray, IntArray]:
    """People of every household: applicant, spouse, children. Returns the people (ordered by
    household then slot) and each household's applicant and spouse rows (-1: no spouse)."""
    n = len(kinds)
    low = np.array([APPLICANT_AGES[Kind(k)][0] for k in range(len(Kind))])[kinds]
    high = np.array([APPLICANT_AGES[Kind(k)][1] for k in range(len(Kind))])[kinds]
    applicant_age = _between(rng, low, high, n)
    has_spouse = np.isin(kinds, COUPLE_KINDS)
    spouse_age = np.clip(applicant_age + _between(rng, -5, 5, n), 18, 99)
    # Seniors living alone are mostly women (widowhood); single parents too.
    female_p = np.full(n, 0.5)
    female_p[np.isin(kinds, (Kind.SENIOR_60_74, Kind.SENIOR_75))] = 0.7
    female_p[kinds == Kind.SINGLE_PARENT] = 0.85
    female_p[kinds == Kind.PARENT_ADULT_CHILD] = 0.65
    applicant_female = rng.random(n) < female_p
    spouse_female = np.where(rng.random(n) < 0.03, applicant_female, ~applicant_female)

    n_children = np.zeros(n, dtype=np.int64)
    for kind, table in CHILDREN_P.items():
        for flag, probs in ((False, table), (True, CHILDREN_P_QPV[kind])):
            mask = (kinds == kind) & (quartier_is_qpv == flag)
            count = int(mask.sum())
            if count:
                n_children[mask] = rng.choice(np.arange(1, MAX_CHILDREN + 1), size=count, p=probs)
    n_children[kinds == Kind.PARENT_ADULT_CHILD] = 1
    # Both parents are at least 18 years older than each child.
    younger_parent = np.where(has_spouse, np.minimum(applicant_age, spouse_age), applicant_age)
    youngest = np.floor(rng.random(n) * np.clip(np.minimum(younger_parent - 19, 22), 1, None)).astype(np.int64)
    child_ages = np.empty((n, MAX_CHILDREN), dtype=np.int64)
    child_ages[:, 0] = youngest
    for k in range(1, MAX_CHILDREN):
        child_ages[:, k] = child_ages[:, k - 1] + _between(rng, 2, 4, n)
    adult_child = kinds == Kind.PARENT_ADULT_CHILD
    child_ages[adult_child, 0] = np.clip(
        applicant_age[adult_child] - _between(rng, 22, 35, int(adult_child.sum())), 18, 60
    )
    max_child_age = np.where(adult_child, 99, np.minimum(younger_parent - 18, 25))
    child_present = (np.arange(MAX_CHILDREN)[None, :] < n_children[:, None]) & (child_ages <= max_child_age[:, None])

    hh_parts = [np.arange(n), np.flatnonzero(has_spouse)]
    slot_parts = [np.zeros(n, dtype=np.int64), np.ones(int(has_spouse.sum()), dtype=np.int64)]
    role_parts = [np.full(n, ROLE_APPLICANT), np.full(int(has_spouse.sum()), ROLE_SPOUSE)]
    age_parts = [applicant_age, spouse_age[has_spouse]]
    female_parts = [applicant_female, spouse_female[has_spouse]]
    child_hh, child_k = np.nonzero(child_present)
    hh_parts.append(child_hh)
    slot_parts.append(child_k + 2)
    role_parts.append(np.full(len(child_hh), ROLE_CHILD))
    age_parts.append(child_ages[child_hh, child_k])
    female_parts.append(rng.random(len(child_hh)) < 0.49)

    household = np.concatenate(hh_parts)
    slot = np.concatenate(slot_parts)
    order = np.lexsort((slot, household))
    household, slot = household[order], slot[order]
    role = np.concatenate(role_parts)[order]
    age = np.concatenate(age_parts)[order]
    female = np.concatenate(female_parts)[order]
    rows = np.arange(len(household))
    applicant_row = rows[slot == 0]
    spouse_row = np.full(n, -1, dtype=np.int64)
    spouse_row[household[slot == 1]] = rows[slot == 1]

    p = len(household)
    people = PeopleDraw(
        household=household,
        role=role,
        age=age,
        birth_ordinal=np.zeros(p, dtype=np.int64),
        female=female,
        occupation=np.zeros(p, dtype=np.int64),
        disability_rate=np.zeros(p, dtype=np.int64),
        has_rqth=np.zeros(p, dtype=bool),
        has_card=np.zeros(p, dtype=bool),
        is_pregnant=np.zeros(p, dtype=bool),
        income_kind=np.zeros(p, dtype=np.int64),
        income=np.zeros(p),
        irregular=np.zeros(p, dtype=bool),
        aah=np.zeros(p),
    )
    return people, applicant_row, spouse_row


def draw_birth_dates(rng: np.random.Generator, people: PeopleDraw, today: dt.date) -> None:
    """Birth date consistent with the age reached today."""
    days_since_birthday = np.floor(rng.random(len(people.age)) * 365).astype(np.int64)
    people.birth_ordinal = today.toordinal() - np.round(people.age * 365.25).astype(np.int64) - days_since_birthday


def draw_occupations(rng: np.random.Generator, people: PeopleDraw, qpv: BoolArray, campus: BoolArray) -> None:
    """Occupation by age (``qpv``/``campus`` are per person: where their household lives)."""
    age = people.age
    u = rng.random(len(age))
    occ = np.full(len(age), Occ.OTHER, dtype=np.int64)
    occ[age < 3] = Occ.CHILD
    occ[(age >= 3) & (age < 18)] = Occ.PUPIL
    young = (age >= 18) & (age < 25)
    student_p = np.where(campus, 0.8, 0.42)
    occ[young] = np.select(
        [u < student_p, u < student_p + 0.30, u < student_p + 0.47],
        [Occ.STUDENT, Occ.EMPLOYED, Occ.JOB_SEEKER],
        Occ.OTHER,
    )[young]
    working = (age >= 25) & (age < 62)
    employed_p = np.where(qpv, 0.52, 0.68)
    seeker_p = np.where(qpv, 0.17, 0.08)
    home_p = np.where(qpv, 0.11, 0.05)
    cuts = np.cumsum(np.stack([employed_p, np.full(len(age), 0.05), seeker_p, home_p, np.full(len(age), 0.03)]), 0)
    occ[working] = np.select(
        [u < cuts[0], u < cuts[1], u < cuts[2], u < cuts[3], u < cuts[4]],
        [Occ.EMPLOYED, Occ.SELF_EMPLOYED, Occ.JOB_SEEKER, Occ.HOME, Occ.UNABLE_TO_WORK],
        Occ.OTHER,
    )[working]
    near = (age >= 62) & (age < 67)
    occ[near] = np.where(u < 0.75, Occ.RETIRED, Occ.EMPLOYED)[near]
    occ[age >= 67] = Occ.RETIRED
    people.occupation = occ


def draw_disabilities(rng: np.random.Generator, people: PeopleDraw) -> None:
    age, occ = people.age, people.occupation
    u = rng.random(len(age))
    rate_u = rng.random(len(age))
    disabled = np.where(
        occ == Occ.UNABLE_TO_WORK, u < 0.9, np.where(age < 18, u < 0.015, np.where(age < 65, u < 0.04, u < 0.08))
    )
    high = rate_u < 0.55
    rate = np.where(high, np.where(rate_u < 0.35, 80, 85), 50 + 5 * np.floor(rate_u * 6).astype(np.int64))
    people.disability_rate = np.where(disabled, rate, 0)
    people.has_card = disabled & (people.disability_rate >= 80)
    people.has_rqth = disabled & (age >= 18) & (age < 62) & (rng.random(len(age)) < 0.6)
    women = people.female & (age >= 20) & (age <= 40)
    people.is_pregnant = women & (rng.random(len(age)) < 0.03)


def draw_incomes(rng: np.random.Generator, people: PeopleDraw, qpv: BoolArray) -> None:
    """Monthly net personal income by occupation, lower in the priority neighbourhoods."""
    n = len(people.age)
    occ = people.occupation
    normal = rng.standard_normal(n)
    u = rng.random(n)
    kind = np.full(n, Income.NONE, dtype=np.int64)
    amount = np.zeros(n)
    salary_median = np.where(qpv, 1420.0, 1780.0)
    part_time = u < 0.2
    employed = occ == Occ.EMPLOYED
    kind[employed] = Income.SALARY
    amount[employed] = (salary_median * np.exp(0.32 * normal) * np.where(part_time, 0.55, 1.0))[employed]
    self_employed = occ == Occ.SELF_EMPLOYED
    kind[self_employed] = Income.SELF_EMPLOYMENT
    amount[self_employed] = (1500.0 * np.exp(0.6 * normal))[self_employed]
    are = (occ == Occ.JOB_SEEKER) & (u < 0.55)
    kind[are] = Income.UNEMPLOYMENT
    amount[are] = (1000.0 * np.exp(0.3 * normal))[are]
    student_job = (occ == Occ.STUDENT) & (u < 0.3)
    kind[student_job] = Income.SALARY
    amount[student_job] = (480.0 * np.exp(0.3 * normal))[student_job]
    retired = occ == Occ.RETIRED
    pension_median = np.where(qpv, 1120.0, 1420.0) * np.where(people.female, 0.78, 1.0)
    kind[retired] = Income.PENSION
    amount[retired] = (pension_median * np.exp(0.38 * normal))[retired]
    invalid = (occ == Occ.UNABLE_TO_WORK) & (u < 0.4)
    kind[invalid] = Income.INVALIDITY
    amount[invalid] = (780.0 * np.exp(0.3 * normal))[invalid]
    people.income_kind = kind
    people.income = np.where(kind == Income.NONE, 0.0, np.maximum(np.round(amount, 2), 150.0))
    people.irregular = (kind == Income.SALARY) & (rng.random(n) < 0.2)


def draw_housing(
    rng: np.random.Generator, quartier_qpv: BoolArray, campus: BoolArray, size: IntArray
) -> tuple[IntArray, FloatArray]:
    n = len(quartier_qpv)
    u = rng.random(n)
    social_p = np.where(quartier_qpv, 0.68, np.where(campus, 0.20, 0.20))
    private_p = np.where(quartier_qpv, 0.14, np.where(campus, 0.62, 0.30))
    owner_p = np.where(quartier_qpv, 0.14, np.where(campus, 0.14, 0.46))
    housing = np.select(
        [u < social_p, u < social_p + private_p, u < social_p + private_p + owner_p],
        [Housing.SOCIAL_TENANT, Housing.PRIVATE_TENANT, Housing.OWNER],
        Housing.HOSTED,
    ).astype(np.int64)
    rooms = np.clip(size, 1, 5)
    noise = np.exp(0.12 * rng.standard_normal(n))
    rent = np.where(
        housing == Housing.SOCIAL_TENANT,
        (250.0 + 75.0 * rooms) * noise,
        np.where(housing == Housing.PRIVATE_TENANT, (400.0 + 115.0 * rooms) * noise, np.nan),
    )
    return housing, np.round(rent, 2)


def family_allowance(children: IntArray) -> FloatArray:
    """Allocations familiales from two children under 20 (32 %, 73 %, +41 % of the BMAF)."""
    rate = np.where(children >= 2, 0.32, 0.0) + np.where(children >= 3, 0.41 * (children - 2), 0.0)
    amounts: FloatArray = np.round(BMAF * rate, 2)
    return amounts


def draw_benefits(
    rng: np.random.Generator,
    people: PeopleDraw,
    households: HouseholdsDraw,
) -> None:
    """Benefits a household plausibly gets, then realistic non-take-up: a third of the households
    eligible to a means-tested benefit receive nothing at all."""
    n = len(households.kind)
    hh = people.household
    adult = people.age >= 18
    activity = np.bincount(
        hh,
        weights=np.where(np.isin(people.income_kind, (Income.SALARY, Income.SELF_EMPLOYMENT)), people.income, 0.0),
        minlength=n,
    )
    replacement = np.bincount(
        hh,
        weights=np.where(
            np.isin(people.income_kind, (Income.UNEMPLOYMENT, Income.PENSION, Income.INVALIDITY)), people.income, 0.0
        ),
        minlength=n,
    )
    resources = activity + replacement
    adults = np.bincount(hh, weights=adult.astype(float), minlength=n)
    children = households.children
    has_spouse = households.spouse_row >= 0
    applicant_age = people.age[households.applicant_row]
    oldest_age = np.maximum(applicant_age, np.where(has_spouse, people.age[np.maximum(households.spouse_row, 0)], 0))
    benefits = np.zeros((n, len(Benefit)))

    af = family_allowance(children)
    benefits[:, Benefit.AF] = af
    composition = 1.0 + 0.5 * has_spouse + 0.3 * np.minimum(children, 2) + 0.4 * np.maximum(children - 2, 0)
    composition += 0.5 * ((adults > 1) & ~has_spouse)
    tenant = np.isin(households.housing, (Housing.SOCIAL_TENANT, Housing.PRIVATE_TENANT))
    units = 1.0 + 0.5 * (adults - 1) + 0.3 * children
    housing_aid = np.where(
        tenant & (resources / units < 1150.0), np.clip(households.rent * 0.8 - 0.22 * resources, 0, 480), 0.0
    )
    benefits[:, Benefit.HOUSING_AID] = np.where(housing_aid >= 30, np.round(housing_aid, 2), 0.0)
    rsa_age = (applicant_age >= 25) | (children > 0)
    rsa_base = RSA_BASE * composition * np.where(benefits[:, Benefit.HOUSING_AID] > 0, 0.88, 1.0)
    rsa = np.where(rsa_age & (oldest_age < 65), rsa_base - resources, 0.0)
    benefits[:, Benefit.RSA] = np.where(rsa >= 20, np.round(rsa, 2), 0.0)
    ppa = PPA_BASE * composition + 0.6 * activity - resources - benefits[:, Benefit.RSA]
    ppa_ok = (activity >= 0.4 * SMIC_NET) & (activity <= 1.6 * SMIC_NET * (1 + 0.5 * has_spouse))
    benefits[:, Benefit.PPA] = np.where(ppa_ok & (ppa >= 15), np.round(np.minimum(ppa, 420.0), 2), 0.0)
    aspa_ceiling = np.where(has_spouse, ASPA_COUPLE, ASPA_SINGLE)
    aspa = np.where(applicant_age >= 65, aspa_ceiling - replacement - activity, 0.0)
    benefits[:, Benefit.ASPA] = np.where(aspa >= 20, np.round(aspa, 2), 0.0)

    aah_ok = (
        (people.age >= 20)
        & (people.age < 65)
        & (
            (people.disability_rate >= 80)
            | ((people.disability_rate >= 50) & (people.occupation == Occ.UNABLE_TO_WORK))
        )
    )
    aah = np.where(aah_ok, AAH_FULL - people.income, 0.0)
    aah = np.where(aah >= 20, np.round(aah, 2), 0.0)
    aah_by_household = np.bincount(hh, weights=aah, minlength=n)
    means_tested = benefits[:, [Benefit.RSA, Benefit.PPA, Benefit.HOUSING_AID, Benefit.ASPA]].sum(1) + aah_by_household
    eligible = means_tested > 0
    non_take_up = eligible & (rng.random(n) < NON_TAKE_UP_RATE)
    # Prime d'activité is also often missed by households that claim other benefits.
    ppa_missed = rng.random(n) < 0.2
    benefits[non_take_up, :] = 0.0
    benefits[ppa_missed, Benefit.PPA] = 0.0
    people.aah = np.where(non_take_up[hh], 0.0, aah)
    benefits[:, Benefit.AAH] = np.bincount(hh, weights=people.aah, minlength=n)
    households.benefits = benefits
    households.eligible = eligible
    households.non_take_up = non_take_up


def draw_chunk(
    rng: np.random.Generator, profiles: list[QuartierProfile], n: int, today: dt.date
) -> tuple[HouseholdsDraw, PeopleDraw]:
    """``n`` households and their people, drawn in vectorised steps from ``rng``."""
    weights = np.array([p.weight for p in profiles], dtype=float)
    quartier = rng.choice(len(profiles), size=n, p=weights / weights.sum())
    is_qpv = np.array([p.is_qpv for p in profiles], dtype=bool)[quartier]
    is_campus = np.array([p.is_campus for p in profiles], dtype=bool)[quartier]
    kinds = draw_kinds(rng, is_qpv)
    people, applicant_row, spouse_row = draw_people(rng, kinds, is_qpv)
    draw_birth_dates(rng, people, today)
    person_qpv, person_campus = is_qpv[people.household], is_campus[people.household]
    draw_occupations(rng, people, person_qpv, person_campus)
    draw_disabilities(rng, people)
    draw_incomes(rng, people, person_qpv)
    size = np.bincount(people.household, minlength=n)
    children = np.bincount(
        people.household, weights=((people.role == ROLE_CHILD) & (people.age < 20)).astype(float), minlength=n
    ).astype(np.int64)
    housing, rent = draw_housing(rng, is_qpv, is_campus, size)
    households = HouseholdsDraw(
        quartier=quartier,
        kind=kinds,
        size=size,
        applicant_row=applicant_row,
        spouse_row=spouse_row,
        housing=housing,
        rent=rent,
        benefits=np.zeros((n, len(Benefit))),
        eligible=np.zeros(n, dtype=bool),
        non_take_up=np.zeros(n, dtype=bool),
        confidential=rng.random(n) < 0.005,
        children=children,
    )
    draw_benefits(rng, people, households)
    return households, people


def age_shares(ages: npt.ArrayLike) -> list[float]:
    """Share of each age band (under 15, 15-29, ..., 75+), to compare with ``AGE_STRUCTURE``."""
    counts, _ = np.histogram(np.asarray(ages), bins=[*AGE_BANDS, 1000])
    total = max(int(counts.sum()), 1)
    return [float(c) / total for c in counts]
