"""Benchmark of the tariffs: vectorised pricing and a full reform simulation, each beside the naive
per-person loop over ``rules.tariffs.price``, measured in the same run.

Population: the SYNTHETIC commune, generated from the database path of the platform:
``guichet demo generate --households 12000 --seed 1`` into a temporary SQLite file (GUICHET_VAR_DIR,
migrations and territory seeding first, outside the measures; ``--var-dir`` reuses one), then read
once with ``reform_services.build_population`` (the code of the web and CLI runs; its time is
printed, not part of the measures below).

(a) prices of every service of the demo catalogue with a grid in force, for every member of every
    household that the service concerns (by age): ``tariffs_batch.prices_cents`` vs the same facts
    priced one by one with ``tariffs.price`` — the two are checked equal to the cent. Target ≤ 1 s.
(b) a full reform simulation (three services: canteen brackets → effort rate, after-school and
    leisure centre rates changed) with its charts (``rules.reform.simulate`` + every SVG chart of the
    results page, map included) vs the same simulation with the vectorised pricing replaced by the
    per-person scalar loop. Target ≤ 5 s.

Usage: .venv/bin/python bench/tarifs.py [--households 12000] [--runs 5] [--naive-runs 1] [--var-dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT / "src"))


def prepare(var_dir: Path, households: int, seed: int) -> None:
    if (var_dir / ".bench-tarifs-ready").exists():
        return
    env = {**os.environ, "GUICHET_DEBUG": "1", "GUICHET_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["territoire", "semer"],
        ["demo", "generate", "--households", str(households), "--seed", str(seed)],
    ):
        subprocess.run([str(BIN / "guichet"), *command], env=env, check=True, cwd=ROOT, capture_output=True)
    (var_dir / ".bench-tarifs-ready").write_text(str(households))


def timed(function: Callable[[], Any], runs: int) -> tuple[float, Any]:
    seconds, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def naive_prices_cents(grid: Any, facts: Any, on: dt.date, *, parameters: Any = None) -> Any:
    """The baseline: one ``tariffs.price`` call per person."""
    from guichet.rules.tariffs import PricingFacts, price  # noqa: PLC0415

    amounts = [
        price(
            grid,
            PricingFacts(
                quotient=Decimal(int(q)).scaleb(-2),
                monthly_resources=Decimal(int(r)).scaleb(-2),
                dependent_children=int(c),
                has_disabled_child=bool(d),
                child_rank=int(k),
                is_resident=bool(res),
            ),
            on,
            parameters=parameters,
        ).amount
        for q, r, c, d, k, res in zip(
            facts.quotient_cents,
            facts.resources_cents,
            facts.dependent_children,
            facts.has_disabled_child,
            facts.child_rank,
            facts.is_resident,
            strict=True,
        )
    ]
    return np.array([int(a * 100) for a in amounts], dtype=np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--naive-runs", type=int, default=1)
    parser.add_argument("--var-dir", help="reuse this directory (generated once) instead of a temporary one")
    args = parser.parse_args()
    print(f"# {shlex.join([sys.executable, *sys.argv])}")
    with tempfile.TemporaryDirectory(prefix="guichet-bench-tarifs-") as tmp:
        var_dir = Path(args.var_dir or tmp)
        var_dir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        prepare(var_dir, args.households, args.seed)
        print(f"# commune synthétique prête dans {var_dir} ({time.perf_counter() - started:.1f} s, hors mesure)")
        os.environ["GUICHET_VAR_DIR"] = str(var_dir)
        os.environ.setdefault("GUICHET_DEBUG", "1")
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
        import django  # noqa: PLC0415

        django.setup()
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.utils import timezone  # noqa: PLC0415

    from guichet.pricing.models import MunicipalService  # noqa: PLC0415
    from guichet.pricing.reform_charts import result_charts  # noqa: PLC0415
    from guichet.pricing.reform_services import (  # noqa: PLC0415
        ScenarioItem,
        build_population,
        current_grid,
        draft_grid,
        reference_families,
        service_scenarios,
    )
    from guichet.rules import reform  # noqa: PLC0415
    from guichet.rules.tariffs_batch import prices_cents  # noqa: PLC0415

    on = timezone.localdate()
    services = list(MunicipalService.objects.filter(grids__isnull=False).distinct())
    started = time.perf_counter()
    population = build_population("synthetique", services, on)
    reading = time.perf_counter() - started
    print(
        f"# population lue par build_population : {len(population)} ménages, {len(services)} services, "
        f"{reading:.1f} s (une fois, hors mesure)"
    )
    grids = {s.slug: current_grid(s, on) for s in services}
    facts = {s.slug: population.facts(population.members[s.slug]) for s in services}
    count = sum(len(f) for f in facts.values())

    def vectorised() -> int:
        return sum(int(prices_cents(grids[slug], f, on).sum()) for slug, f in facts.items())

    def naive() -> int:
        return sum(int(naive_prices_cents(grids[slug], f, on).sum()) for slug, f in facts.items())

    fast, fast_total = timed(vectorised, args.runs)
    slow, slow_total = timed(naive, args.naive_runs)
    assert fast_total == slow_total, (fast_total, slow_total)
    verdict = "atteint" if fast <= 1.0 else "MANQUÉ"
    print(f"(a) {count} prix ({len(services)} services × personnes concernées de {len(population)} ménages)")
    print(f"    vectorisé : médiane {fast:.3f} s sur {args.runs} exécutions — objectif ≤ 1 s {verdict}")
    print(f"    boucle naïve (tariffs.price par personne) : médiane {slow:.2f} s sur {args.naive_runs} exécution(s)")
    print(f"    rapport naïf / vectorisé = {slow / fast:.0f} ; totaux identiques au centime ({fast_total / 100:.2f} €)")

    by_slug = {s.slug: s for s in services}
    drafts = {
        "restauration-scolaire": {
            "regle": {"type": "taux_effort", "taux": "0.40", "plancher": "0.80", "plafond": "4.50"}
        },
        "accueil-periscolaire": {
            "regle": {"type": "taux_effort", "taux": "0.10", "plancher": "0.40", "plafond": "2.60"}
        },
        "centre-de-loisirs": {"regle": {"type": "taux_effort", "taux": "1.00", "plancher": "2.50", "plafond": "18.00"}},
    }
    items = [
        ScenarioItem(
            by_slug[slug],
            grids[slug],
            draft_grid(by_slug[slug], {**rule, "debut": dt.date(on.year + 1, 1, 1).isoformat()}),
            Decimal(units),
            Decimal(share),
        )
        for (slug, rule), (units, share) in zip(drafts.items(), [("16", "70"), ("20", "40"), ("4", "25")], strict=True)
    ]
    scenarios = service_scenarios(items)
    families = reference_families([item.service for item in items])

    def simulation() -> dict[str, str]:
        result = reform.simulate(population, scenarios, on, families=families)
        return result_charts(result.as_json())

    fast, charts = timed(simulation, args.runs)
    reform.prices_cents = naive_prices_cents  # type: ignore[assignment]
    try:
        slow, naive_charts = timed(simulation, args.naive_runs)
    finally:
        reform.prices_cents = prices_cents
    assert charts == naive_charts
    verdict = "atteint" if fast <= 5.0 else "MANQUÉ"
    print(
        f"(b) simulation complète, 3 services, {len(families)} familles types, {len(charts)} graphiques SVG "
        f"(carte comprise)"
    )
    print(f"    vectorisé : médiane {fast:.3f} s sur {args.runs} exécutions — objectif ≤ 5 s {verdict}")
    print(f"    même simulation, prix par boucle naïve : médiane {slow:.2f} s sur {args.naive_runs} exécution(s)")
    print(f"    rapport naïf / vectorisé = {slow / fast:.0f} ; graphiques identiques")
    print(
        f"(c) un calcul lancé du web ou de la CLI = lecture de la population + simulation ≈ {reading + fast:.1f} s "
        f"(lecture {reading:.1f} s : rules_households et quotient de chaque ménage)"
    )


if __name__ == "__main__":
    main()
