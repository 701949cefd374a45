"""Benchmark of a whole-commune non-take-up campaign (``guichet.rights.campaigns``), in-process and
through Celery with Redis and 1 then 2 worker processes.

Prints, measured in one run, median of ``--runs`` runs for each mode:
- in-process: the chunks run one after the other in this process (what ``guichet campagne lancer``
  does without ``--workers``), OpenFisca warmed first, wall time and peak resident memory;
- Celery: ``celery -A guichet.config worker --concurrency 1`` subprocesses (1, then 2), warmed before
  timing, the chunks queued to Redis; wall time from queuing to the campaign's end, the workers'
  peak memory, and the speed-up against the in-process run and against 1 worker.
The database is the one of DATABASE_URL (PostgreSQL: SQLite serialises the writers), filled with the
synthetic commune beforehand:

  createdb -h 127.0.0.1 -U root guichet_campagne_bench
  export DATABASE_URL=postgres://root@127.0.0.1:5432/guichet_campagne_bench GUICHET_DEBUG=1 SECRET_KEY=bench
  .venv/bin/guichet migrate && .venv/bin/guichet demo generate --households 12000 --seed 1
  .venv/bin/python bench/campagne.py [--runs 3] [--workers 1,2] [--chunk-size 500] [--month 2026-11]
         [--redis redis://127.0.0.1:6379/11]

Only households with an active proactive-contact consent are simulated (about 6 in 10 in the
synthetic commune): the count is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"  # a database of its own: no other worker takes the chunks


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="1,2", help="worker counts to measure, comma-separated")
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    return parser.parse_args()


ARGS = _parse()
if not os.environ.get("DATABASE_URL"):
    sys.exit("DATABASE_URL must point at the bench database (see the docstring).")
os.environ["REDIS_URL"] = ARGS.redis
os.environ["GUICHET_CAMPAIGN_CHUNK_SIZE"] = str(ARGS.chunk_size)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

from _http import process_tree_cpu  # noqa: E402

django.setup()

from guichet.config.celery import app  # noqa: E402
from guichet.rights.campaigns import campaign_chunk_run, campaign_pending_chunks, campaign_start  # noqa: E402
from guichet.rights.models import Campaign, CampaignStatus  # noqa: E402
from guichet.rights.tasks import campaign_chunk_task  # noqa: E402
from guichet.rules.openfisca import warm_up  # noqa: E402
from guichet.rules.openfisca.system import openfisca_france_version  # noqa: E402

CELERY = ROOT / ".venv" / "bin" / "celery"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _new_campaign(label: str, month: dt.date) -> Campaign:
    return campaign_start(user=None, name=f"Banc d'essai — {label}", month=month, channel="bench")


def in_process(month: dt.date) -> tuple[float, float, int]:
    """Wall time, CPU time of this process, households simulated."""
    campaign = _new_campaign("dans le processus", month)
    start, cpu = time.perf_counter(), time.process_time()
    for index, household_ids in campaign_pending_chunks(campaign.pk):
        campaign_chunk_run(campaign_id=campaign.pk, index=index, household_ids=household_ids)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE and campaign.done == campaign.total
    return elapsed, cpu, campaign.total


def _workers_cpu(workers: list[subprocess.Popen[bytes]]) -> float:
    """CPU seconds of the Celery workers and their pool processes (from /proc)."""
    return sum(process_tree_cpu(worker.pid) for worker in workers)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(child) for child in text]
    return found


def _peak_of(pid: int) -> float:
    """VmHWM (peak resident set) of a process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_workers(count: int) -> list[subprocess.Popen[bytes]]:
    workers = []
    for number in range(count):
        command = [
            str(CELERY),
            "--quiet",
            "-A",
            "guichet.config",
            "worker",
            "--concurrency",
            "1",
            "--pool",
            "prefork",
            "--loglevel",
            "WARNING",
            "-n",
            f"banc{number}-{os.getpid()}@%h",
        ]
        workers.append(subprocess.Popen(command, cwd=ROOT, env=os.environ.copy()))  # noqa: S603 - our own command
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if any(worker.poll() is not None for worker in workers):
            raise RuntimeError("a worker stopped at start (see its message above)")
        replies = app.control.ping(timeout=1.0) or []
        if len([r for r in replies for name in r if f"-{os.getpid()}@" in name]) >= count:
            break
    else:
        raise RuntimeError("workers did not answer within 3 minutes")
    # each worker process builds OpenFisca at start (worker_process_init): a no-op chunk per worker
    # returns only once they are warm, so the timing below counts simulations, not start-up
    pending = [campaign_chunk_task.delay(0, index, []) for index in range(count * 2)]
    for result in pending:
        result.get(timeout=300)
    return workers


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> float:
    """Stop the workers started here (by their pid) and return the largest peak memory, MB."""
    peak = 0.0
    for worker in workers:
        for pid in [worker.pid, *_children(worker.pid)]:
            peak = max(peak, _peak_of(pid))
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)
    return peak


def through_celery(month: dt.date, label: str, workers: list[subprocess.Popen[bytes]]) -> tuple[float, float]:
    """Wall time from queuing to the end, CPU time of the workers meanwhile."""
    campaign = _new_campaign(label, month)
    cpu = _workers_cpu(workers)
    start = time.perf_counter()
    for index, household_ids in campaign_pending_chunks(campaign.pk):
        campaign_chunk_task.delay(campaign.pk, index, household_ids)
    while True:
        campaign.refresh_from_db()
        if campaign.status == CampaignStatus.FAILED:
            raise RuntimeError(campaign.error)
        if campaign.status == CampaignStatus.DONE:
            break
        time.sleep(0.1)
    return time.perf_counter() - start, _workers_cpu(workers) - cpu


def main() -> None:
    month = dt.date.fromisoformat(ARGS.month + "-01")
    counts = [int(value) for value in ARGS.workers.split(",") if value]
    app.control.purge()
    warm_up(month)
    print(f"OpenFisca-France {openfisca_france_version()}, chunks of {ARGS.chunk_size}, {ARGS.runs} run(s) per mode")
    runs = [in_process(month) for _ in range(ARGS.runs)]
    base = statistics.median(elapsed for elapsed, _, _ in runs)
    households = runs[0][2]
    print(f"households simulated (active proactive-contact consent): {households}")
    print(f"load average before the Celery runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    rows = [("in-process", base, statistics.median(cpu for _, cpu, _ in runs), peak_mb(), 1.0, None)]
    one_worker: float | None = None
    for count in counts:
        workers = start_workers(count)
        try:
            measured = [through_celery(month, f"{count} worker(s)", workers) for _ in range(ARGS.runs)]
        finally:
            peak = stop_workers(workers)
        wall = statistics.median(elapsed for elapsed, _ in measured)
        cpu = statistics.median(used for _, used in measured)
        if count == 1:
            one_worker = wall
        speed_up = one_worker / wall if one_worker else None
        rows.append((f"celery, {count} worker(s)", wall, cpu, peak, base / wall, speed_up))
    print(
        f"{'mode':<22} {'wall (s)':>9} {'CPU (s)':>8} {'wall/household':>15} {'peak MB':>8} "
        f"{'vs in-process':>14} {'vs 1 worker':>12}"
    )
    for name, wall, cpu, peak, ratio, speed_up in rows:
        per = f"{1000 * wall / max(households, 1):.2f} ms"
        versus_one = f"{speed_up:.2f}x" if speed_up else "-"
        print(f"{name:<22} {wall:>9.1f} {cpu:>8.1f} {per:>15} {peak:>8.0f} {ratio:>13.2f}x {versus_one:>12}")


if __name__ == "__main__":
    main()
