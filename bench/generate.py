"""Benchmark of the synthetic commune generator: ``guichet demo generate`` on a fresh SQLite file.

Runs the command a few times for the default size (12,000 households) and once for 100,000 (the
load-test size, target: under two minutes on this 2-core machine), each in a new database, and
prints the wall time of the command, the generator's own time (what it reports), the median, and the
command lines. The machine is shared: figures are indicative, so each size also gets a baseline
measured in the same run: Django's ``bulk_create`` of the same number of bare Household rows (no
address, no people), and the ratio of the generator's time to it.

Usage: .venv/bin/python bench/generate.py [--sizes 12000 100000] [--runs 3] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
GENERATOR_TIME = re.compile(r"créés en ([\d.]+) s")
BASELINE_TIME = re.compile(r"baseline ([\d.]+) s")
# Bare households through the ORM, in one transaction like the generator: the machine's reference.
BASELINE_CODE = """
import time
from django.db import transaction
from guichet.households.models import Household
started = time.perf_counter()
with transaction.atomic():
    Household.objects.bulk_create(
        (Household(reference=f"B-{{i:07d}}", is_synthetic=True) for i in range({households})), batch_size=5000
    )
print(f"baseline {{time.perf_counter() - started:.3f}} s")
"""
BUDGET_100K_SECONDS = 120.0


def prepare(var_dir: Path, env: dict[str, str]) -> None:
    """Migrate and seed the territory first: the benchmark times the generation alone."""
    subprocess.run([str(BIN / "guichet"), "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([str(BIN / "guichet"), "territoire", "semer"], env=env, check=True, cwd=ROOT, capture_output=True)


def run_once(households: int, seed: int) -> tuple[float, float, list[str]]:
    with tempfile.TemporaryDirectory(prefix="guichet-bench-") as tmp:
        env = {**os.environ, "GUICHET_DEBUG": "1", "GUICHET_VAR_DIR": tmp}
        env.pop("DATABASE_URL", None)
        prepare(Path(tmp), env)
        command = [str(BIN / "guichet"), "demo", "generate", "--households", str(households), "--seed", str(seed)]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"échec de {shlex.join(command)} :\n{done.stderr[-2000:]}")
        match = GENERATOR_TIME.search(done.stdout)
        return wall, float(match.group(1)) if match else float("nan"), command


def baseline(households: int) -> float:
    """Seconds for ``bulk_create`` of ``households`` bare Household rows in a fresh database."""
    with tempfile.TemporaryDirectory(prefix="guichet-bench-") as tmp:
        env = {**os.environ, "GUICHET_DEBUG": "1", "GUICHET_VAR_DIR": tmp}
        env.pop("DATABASE_URL", None)
        subprocess.run([str(BIN / "guichet"), "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
        code = BASELINE_CODE.format(households=households)
        done = subprocess.run(
            [str(BIN / "guichet"), "shell", "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        match = BASELINE_TIME.search(done.stdout)
        return float(match.group(1)) if match else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[12_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per size below 50,000 households")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"# {shlex.join([sys.executable, *sys.argv])}")
    print(f"# SQLite, {os.cpu_count()} cœurs ; chaque exécution dans une base neuve (migrations hors mesure)")
    for size in args.sizes:
        runs = args.runs if size < 50_000 else 1
        walls, inner = [], []
        for _ in range(runs):
            wall, generator_seconds, command = run_once(size, args.seed)
            walls.append(wall)
            inner.append(generator_seconds)
            print(f"{size:>7} ménages : {wall:6.1f} s (commande) / {generator_seconds:6.1f} s (générateur)")
        verdict = ""
        if size >= 100_000:
            verdict = " — objectif < 120 s " + (
                "atteint" if statistics.median(walls) < BUDGET_100K_SECONDS else "MANQUÉ"
            )
        print(
            f"{size:>7} ménages : médiane {statistics.median(walls):.1f} s (commande), "
            f"{statistics.median(inner):.1f} s (générateur), {runs} exécution(s){verdict}"
        )
        reference = baseline(size)
        print(
            f"  référence : bulk_create de {size} ménages nus {reference:.2f} s ; "
            f"générateur / référence = {statistics.median(inner) / reference:.1f}"
        )
        print(f"  commande : {shlex.join(command)}")


if __name__ == "__main__":
    main()
