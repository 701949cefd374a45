"""Benchmark of the national benefits assessment (OpenFisca-France adapter, ``guichet.rules.openfisca``).

Prints, measured in one run:
- a single household's full assessment (16 benefits), warm: p50 and p95 over ``--runs`` runs, beside
  the naive approach (the same household as an OpenFisca situation dict, ``build_from_entities``,
  the same benefits computed, OpenFisca deriving everything else itself), median of ``--naive-runs``;
- ``--households`` SYNTHETIC households (drawn with numpy here, not the demo database) assessed in
  chunks of ``--chunk-size`` (one vectorised simulation per chunk, optionally ``--workers`` processes):
  median wall time over ``--batch-runs`` runs and the peak resident memory of each process, beside
  the per-household extrapolation (single p50 × households).
Targets on this 2-core machine: single p50 ≤ 0.5 s; 12,000 households ≤ 20 s with peak ≤ 1 GB.

Usage: .venv/bin/python bench/droits.py [--runs 30] [--naive-runs 3] [--households 12000]
       [--chunk-size 2000] [--workers 1] [--batch-runs 1] [--month 2026-11]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shlex
import statistics
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from guichet.rules.household import Household, Person  # noqa: E402
from guichet.rules.openfisca.assessment import assess, assess_chunk, assess_many, warm_up  # noqa: E402
from guichet.rules.openfisca.reference import compute, situation  # noqa: E402
from guichet.rules.openfisca.system import openfisca_france_version  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sample_household(month: dt.date) -> Household:
    """A couple with two children, one salary at 1,850 € net, social housing."""
    since = dt.date(month.year - 1, 1, 1)
    return Household(
        "bench",
        (
            Person(
                "a",
                "demandeur",
                dt.date(1984, 3, 3),
                "salarie",
                resources={"salaire": {since: Decimal(1850)}},
                taxable_income={month.year - 2: Decimal(20000), month.year - 1: Decimal(21000)},
            ),
            Person("b", "conjoint", dt.date(1986, 7, 7), "au_foyer"),
            Person("c", "enfant", dt.date(month.year - 13, 9, 1), "scolaire"),
            Person("d", "enfant", dt.date(month.year - 8, 2, 1), "scolaire"),
        ),
        housing_status="locataire_social",
        rent=Decimal(580),
    )


def synthetic(count: int, month: dt.date, seed: int = 1) -> list[Household]:
    """SYNTHETIC households drawn with numpy: composition, ages, occupations, net incomes, rent."""
    rng = np.random.default_rng(seed)
    since = dt.date(month.year - 1, 1, 1)
    households = []
    for index in range(count):
        people = []
        couple = rng.random() < 0.45
        children = int(rng.choice([0, 0, 1, 2, 3, 4], p=[0.3, 0.15, 0.2, 0.2, 0.1, 0.05]))
        for role in ["demandeur", "conjoint"] if couple else ["demandeur"]:
            age = int(rng.integers(20, 85))
            occupation = "retraite" if age >= 64 else str(rng.choice(["salarie", "demandeur_emploi", "au_foyer"]))
            kind = {"salarie": "salaire", "demandeur_emploi": "chomage", "retraite": "retraite"}.get(occupation)
            net = float(np.round(rng.uniform(300, 2800), 2))
            people.append(
                Person(
                    f"{index}-{role}",
                    role,
                    dt.date(month.year - age, int(rng.integers(1, 13)), 1),
                    occupation,
                    resources={kind: {since: Decimal(str(net))}} if kind else {},
                    taxable_income={month.year - 2: Decimal(int(net * 11)) if kind else Decimal(0)},
                )
            )
        for child in range(children):
            age = int(rng.integers(0, 19))
            people.append(
                Person(
                    f"{index}-c{child}",
                    "enfant",
                    dt.date(month.year - age, int(rng.integers(1, 13)), 1),
                    "scolaire" if age >= 3 else "enfant",
                )
            )
        status = str(rng.choice(["locataire_social", "locataire_prive", "proprietaire"], p=[0.5, 0.35, 0.15]))
        households.append(Household(f"h{index}", tuple(people), status, Decimal(int(rng.integers(300, 900)))))
    return households


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def _chunks(households: list[Household], size: int) -> Iterator[list[Household]]:
    for start in range(0, len(households), size):
        yield households[start : start + size]


def _worker_init(month: dt.date) -> None:
    warm_up(month)


def _chunk_peak(households: list[Household], month: dt.date) -> tuple[int, float]:
    return len(assess_chunk(households, month)), peak_mb()


def batch(households: list[Household], month: dt.date, chunk_size: int, workers: int) -> tuple[float, float]:
    """Wall time and the largest peak resident memory of any process (MB)."""
    if workers == 1:
        start = time.perf_counter()
        count = sum(1 for _ in assess_many(households, month, chunk_size=chunk_size))
        assert count == len(households)
        return time.perf_counter() - start, peak_mb()
    with ProcessPoolExecutor(workers, initializer=_worker_init, initargs=(month,)) as pool:
        list(pool.map(_worker_init, [month] * workers))  # every worker warm before timing
        start = time.perf_counter()
        results = list(pool.map(_chunk_peak, _chunks(households, chunk_size), [month] * len(households)))
        elapsed = time.perf_counter() - start
    assert sum(count for count, _ in results) == len(households)
    return elapsed, max([peak_mb(), *(peak for _, peak in results)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--households", type=int, default=12_000)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-runs", type=int, default=1)
    parser.add_argument("--month", default="2026-11")
    args = parser.parse_args()
    month = dt.date.fromisoformat(args.month + "-01")
    print("$", shlex.join([Path(sys.executable).name, *sys.argv]))
    print(f"openfisca-france {openfisca_france_version()}, month {month:%Y-%m}")
    print("The machine is shared and noisy (2 cores, other engineers' jobs): figures are indicative.")
    start = time.perf_counter()
    warm_up(month)
    print(f"warm-up (tax-benefit system, net-to-gross tables, first simulation): {time.perf_counter() - start:.1f} s")

    household = sample_household(month)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        assess(household, month)
        times.append(time.perf_counter() - start)
    naive = []
    for _ in range(args.naive_runs):
        built = situation(household, month, past_benefits=False)
        start = time.perf_counter()
        compute(built, month)
        naive.append(time.perf_counter() - start)
    p50 = statistics.median(times)
    print(f"single household, 16 benefits, warm, {args.runs} runs: p50 {p50:.3f} s, p95 {percentile(times, 95):.3f} s")
    print(
        f"  naive (situation dict, build_from_entities, same benefits), median of {args.naive_runs}: "
        f"{statistics.median(naive):.2f} s ({statistics.median(naive) / p50:.0f}× the fast path)"
    )

    households = synthetic(args.households, month)
    walls, peaks = [], []
    for _ in range(args.batch_runs):
        wall, peak = batch(households, month, args.chunk_size, args.workers)
        walls.append(wall)
        peaks.append(peak)
    wall = statistics.median(walls)
    print(
        f"{args.households} SYNTHETIC households (numpy draws), chunks of {args.chunk_size}, "
        f"{args.workers} process(es), median of {args.batch_runs}: {wall:.1f} s "
        f"({wall / args.households * 1000:.2f} ms per household), peak resident memory {max(peaks):.0f} MB "
        "(largest process, whole process including the tax-benefit system)"
    )
    print(f"  per-household extrapolation (single p50 × {args.households}): {p50 * args.households:.0f} s")


if __name__ == "__main__":
    main()
