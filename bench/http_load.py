"""HTTP load benchmark of the household pages, against granian on PostgreSQL.

Loads the synthetic commune (12,000 households by default) into a PostgreSQL database, starts the
platform under granian (production settings, DEBUG off), logs in as a social worker and measures,
with N concurrent keep-alive clients:
  - the health page (baseline: one trivial query, same server, same run),
  - the household detail page,
  - the household name search (misspelt names): the whole page, and the live results that the
    search box fetches while the agent types (htmx partial),
  - the household list page.
Prints p50, p95 and requests per second for each, the ratio of each p50 to the baseline's, and the
command line. The machine has 2 cores shared by server and clients: figures are indicative.

Usage: .venv/bin/python bench/http_load.py [--households 12000] [--clients 20] [--seconds 15] [--workers 2]
Needs a PostgreSQL server (DATABASE_URL's server, default postgres://root@127.0.0.1:5432/) and Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/3).
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import subprocess
import sys
import urllib.parse

from _http import (
    BIN,
    Client,
    add_server_arguments,
    bench_env,
    load,
    load_generator,
    load_pages,
    prepare_database,
    start_server,
    stop_server,
    wait_for,
)


def sample_targets(env: dict[str, str]) -> tuple[list[int], list[str]]:
    script = (
        "import random\n"
        "from guichet.households.models import Household, Person\n"
        "ids = list(Household.objects.filter(is_confidential=False).values_list('pk', flat=True)[:20000])\n"
        "random.seed(7); picked = random.sample(ids, min(300, len(ids)))\n"
        "names = list(Person.objects.filter(household_id__in=picked).values_list('last_name', flat=True)[:300])\n"
        "print(' '.join(map(str, picked))); print('|'.join(names))\n"
    )
    out = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "--no-imports", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    ids = [int(x) for x in out[0].split()]
    return ids, [n for n in out[1].split("|") if n]


def misspell(name: str, rng: random.Random) -> str:
    """One typo (swap, drop or replace a letter) and no accents/case, as a hurried agent types."""
    letters = list(name.lower())
    if len(letters) > 4:
        i = rng.randrange(1, len(letters) - 1)
        choice = rng.randrange(3)
        if choice == 0:
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
        elif choice == 1:
            del letters[i]
        else:
            letters[i] = rng.choice("aeiou")
    return "".join(letters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=12000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    add_server_arguments(parser, database="guichet_bench")
    args = parser.parse_args()

    env = bench_env(args)
    print("command:", shlex.join([sys.executable, *sys.argv]))
    prepare_database(args, env)
    ids, names = sample_targets(env)
    rng = random.Random(3)
    server = start_server(args, env)
    try:
        wait_for("127.0.0.1", args.port)
        agent = Client("127.0.0.1", args.port)
        agent.login()
        scenarios = [
            ("baseline /sante/", ["/sante/"]),
            ("household detail", [f"/menages/{pk}/" for pk in ids]),
            ("name search (typo), page", [f"/menages/?q={urllib.parse.quote(misspell(n, rng))}" for n in names]),
            ("name search (typo), live", [f"/menages/?q={urllib.parse.quote(misspell(n, rng))}&hx=1" for n in names]),
            ("household list", [f"/menages/?page={p}" for p in range(1, 50)]),
        ]
        for _, paths in scenarios[1:]:  # warm-up: each worker process builds its caches (search index…)
            load("127.0.0.1", args.port, 4, 2, paths, agent.cookies)
        print(f"load generator: {load_generator(args)}")
        results = [
            (label, load_pages(args, args.clients, args.seconds, paths, agent.cookies)) for label, paths in scenarios
        ]
        baseline = results[0][1].p50
        print(
            f"\n{args.households} households, {args.clients} concurrent clients, {args.seconds:.0f} s each, "
            f"granian {args.workers} workers x {args.threads} threads, PostgreSQL, {os.cpu_count()} cores shared"
        )
        for label, series in results:
            print(series.line(label, None if label.startswith("baseline") else baseline))
        print("targets: detail p95 <= 250 ms and >= 100 req/s; name search p95 <= 100 ms")
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
