"""HTTP benchmark of the two busiest screens of the desk, against granian on PostgreSQL.

Loads the synthetic commune (12,000 households by default) into its own PostgreSQL database, gives
``--files`` of its households a long history made through the platform's services (``--events``
timeline events each: requests moved along their workflow, referrals to partners with their answers,
appointments, supporting documents, encrypted social notes, letters as PDF, rights assessments),
starts the platform under granian (production settings, DEBUG off, PostgreSQL and Redis) and
measures, with concurrent keep-alive clients (wrk for plain page loads when it is installed, else
Python threads from ``http.client``; always Python threads for the intake, which posts a form):
  - the health page (baseline: one trivial query, same server, same run, same concurrency),
  - the household page of a file with its whole timeline, as a social worker (who sees every kind
    of event), with ``--clients`` clients; target p95 <= 300 ms with 20 clients;
  - the intake round trip as a front-desk agent (« accueil »): GET the new-request form of a
    household, POST it (a request is created) and follow the redirect to the new request, timed as
    one operation, with each of ``--intake-clients``; target p95 <= 200 ms.
Before the HTTP runs, it prints the in-process CPU time of the stored timeline of a long file: read
as stored (every page view until the next change), and the first read after a new note (one provider
asked again) or after a change of every provider.
Each scenario is run ``--runs`` times; prints every run, then the median over runs of p50, p95 and
requests per second, the ratio of the p50 to the baseline's p50 measured at the same concurrency, and
whether each target is met, and the CPU time the server and PostgreSQL spent per operation (read
from /proc: steadier than latencies on a noisy machine). The machine has 2 cores shared by the
server, PostgreSQL and the load generator: figures are indicative.

Usage: .venv/bin/python bench/household_page.py [--households 12000] [--events 200] [--clients 20]
       [--intake-clients 1,5,20] [--seconds 10] [--runs 3] [--workers 2]
Needs a PostgreSQL server (DATABASE_URL's server, default postgres://root@127.0.0.1:5432/) and Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/3).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import os
import random
import re
import shlex
import statistics
import subprocess
import sys
import urllib.parse
from decimal import Decimal
from typing import Any

from _http import (
    BENCH_PASSWORD,
    BENCH_USER,
    BIN,
    ROOT,
    Client,
    Operation,
    Series,
    add_server_arguments,
    bench_env,
    load,
    load_generator,
    load_operation,
    load_pages,
    prepare_database,
    start_server,
    stop_server,
    wait_for,
)

ACCUEIL_USER = "bench-accueil"
FILE_EMAIL = "banc-essai-{}@exemple.invalid"  # marks the households given a long history (synthetic)
HOUSEHOLD_P95_TARGET_MS = 300.0
INTAKE_P95_TARGET_MS = 200.0
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- The files with a long history (made in this process, through the services) -------------------


def seed_history(env: dict[str, str], files: int, events: int) -> list[int]:
    """Ids of ``files`` households with about ``events`` timeline events each, made once (found again
    by their e-mail on later runs). Runs Django in this process, on the benchmark database."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connections, transaction

    from guichet.accounts.models import User
    from guichet.households.models import Household
    from guichet.households.timeline import household_timeline

    user = User.objects.get(username=BENCH_USER)
    ids = []
    for index in range(files):
        household = Household.objects.filter(email=FILE_EMAIL.format(index)).first()
        if household is None:
            household = (
                Household.objects.filter(is_confidential=False)
                .exclude(email__startswith="banc-essai-")
                .order_by("pk")[index * 97 : index * 97 + 1]
                .get()
            )
            print(f"giving household {household.reference} a history of about {events} events…", flush=True)
            with transaction.atomic():  # all or nothing: the mark is set once the history is complete
                _make_history(user, household, index, events)
                Household.objects.filter(pk=household.pk).update(email=FILE_EMAIL.format(index))
        count = len(household_timeline(user, household))
        print(f"household {household.reference} (id {household.pk}): {count} timeline events", flush=True)
        ids.append(household.pk)
    timeline_costs(user, Household.objects.filter(pk__in=ids), runs=15)
    connections.close_all()
    return ids


def timeline_costs(user: Any, households: Any, runs: int) -> None:
    """In-process CPU time of the stored timeline's paths on the long files, interleaved: the read of a
    current stored timeline (every page view until the next change), the first read after a new note
    (the notes provider asked again), and after a change seen by every provider (all asked again,
    as on the first opening), none of which the HTTP figures below show."""
    import time

    from guichet.households.timeline import household_timeline, timeline_changed

    # label: what changes before the read (no change, one provider's sources, every provider's)
    changes: dict[str, tuple[bool, str | None]] = {
        "stored read": (False, None),
        "after a new note": (True, "records.notes"),
        "after a change of all": (True, None),
    }
    costs: dict[str, list[float]] = {label: [] for label in changes}
    for _ in range(runs):
        for household in households:
            for label, (changed, provider) in changes.items():
                if changed:
                    timeline_changed([household.pk], provider=provider)
                start = time.process_time()
                household_timeline(user, household)
                costs[label].append((time.process_time() - start) * 1000)
    read = statistics.median(costs["stored read"])
    figures = ", ".join(
        f"{label} {statistics.median(values):.1f} ms (x {statistics.median(values) / read:.1f})"
        for label, values in costs.items()
    )
    print(f"timeline of a long file, in-process CPU (median of {runs * len(households)}): {figures}", flush=True)


def _make_history(user: Any, household: Any, index: int, events: int) -> None:
    """About ``events`` events, in the proportions of a file followed for a couple of years."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from guichet.agenda.enums import AppointmentStatus
    from guichet.agenda.models import Place
    from guichet.agenda.services import appointment_book, appointment_mark
    from guichet.desk.enums import ReferralOutcome, RequestOutcome, RequestStatus, SharedData, Theme
    from guichet.desk.models import Partner
    from guichet.desk.services import (
        referral_create,
        referral_record_answer,
        request_change_status,
        request_close,
        request_create,
    )
    from guichet.letters.enums import LetterKind
    from guichet.letters.services import letter_generate
    from guichet.records.enums import DocumentType
    from guichet.records.services import document_upload, note_create

    rng = random.Random(index)
    scale = events / 200
    requests_count = max(1, round(25 * scale))  # 25 requests: about 100 request and referral events
    partners = list(Partner.objects.filter(is_active=True))
    places = list(Place.objects.all())
    themes = list(Theme)
    referrals = []
    demands = []
    for number in range(requests_count):
        demand = request_create(
            user=user,
            household=household,
            theme=rng.choice(themes),
            summary=f"Demande de test n° {number + 1} (données fictives du banc d'essai)",
        )
        demands.append(demand)
        request_change_status(user=user, demand=demand, to=RequestStatus.IN_PROGRESS, comment="Premier entretien")
        if number % 2 == 0:
            referral = referral_create(
                user=user,
                demand=demand,
                partner=rng.choice(partners),
                shared_data=[SharedData.IDENTITY, SharedData.CONTACT, SharedData.REQUEST],
                comment="Orientation après entretien",
            )
            referral_record_answer(
                user=user,
                referral=referral,
                acknowledged_on=referral.sent_on,
                answer="Dossier pris en charge.",
                answered_on=referral.sent_on,
                outcome=rng.choice([ReferralOutcome.ACCEPTED, ReferralOutcome.DONE, ReferralOutcome.REFUSED]),
            )
            referrals.append(referral)
        else:
            request_close(user=user, demand=demand, outcome=rng.choice(list(RequestOutcome)), comment="Clôture")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for number in range(round(30 * scale)):  # one appointment a day at most, on days of their own
        starts_at = now.replace(hour=9 + index % 8) - dt.timedelta(days=number * 17 + 3 - 60)
        appointment = appointment_book(
            user=user,
            household=household,
            agent=user,
            place=rng.choice(places),
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=45),
            reason="Entretien de suivi",
            demand=rng.choice(demands),
        )
        if starts_at < now:
            status = AppointmentStatus.NO_SHOW if number % 5 == 0 else AppointmentStatus.HONOURED
            appointment_mark(user=user, appointment=appointment, status=status)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for number in range(round(25 * scale)):
        document_upload(
            user=user,
            household_id=household.pk,
            document_type=rng.choice(list(DocumentType)),
            upload=SimpleUploadedFile(f"piece-{number}.pdf", pdf, content_type="application/pdf"),
        )
    for number in range(round(20 * scale)):
        note_create(
            user=user,
            household_id=household.pk,
            body=f"Entretien n° {number + 1} : situation budgétaire revue, démarches en cours. " * 4,
            is_sensitive=number % 4 == 0,
        )
    for number in range(round(15 * scale)):
        if number % 3 == 0 and referrals:
            letter_generate(
                user=user, household_id=household.pk, kind=LetterKind.REFERRAL, referral_id=rng.choice(referrals).pk
            )
        elif number % 3 == 1:
            letter_generate(
                user=user, household_id=household.pk, kind=LetterKind.ANSWER, request_id=rng.choice(demands).pk
            )
        else:
            letter_generate(user=user, household_id=household.pk, kind=LetterKind.FOLLOW_UP)
    try:
        _make_assessments(user, household, round(10 * scale))
    except Exception as error:  # noqa: BLE001 - optional part of the history, say why it is missing
        print(f"  rights assessments left out ({type(error).__name__}: {error})", flush=True)


def _make_assessments(user: Any, household: Any, count: int) -> None:
    """Stored assessments of the whole catalogue, as the rights page stores them, without running
    OpenFisca (its results are made up: only their size and shape matter here)."""
    from guichet.households.rules_mapping import rules_household
    from guichet.rights.household_json import household_to_json
    from guichet.rights.models import RightsAssessment
    from guichet.rights.results_json import results_to_json
    from guichet.rules.openfisca import BENEFITS, Assessment, BenefitResult
    from guichet.rules.openfisca.catalogue import CATALOGUE_VERSION, IN_KIND

    inputs = household_to_json(rules_household(household))
    for number in range(count):
        month = dt.date(2025 + number // 12, 1 + number % 12, 1)
        assessment = Assessment(
            household_id=household.pk,
            month=month,
            results=tuple(
                BenefitResult(
                    key=benefit.key,
                    label=benefit.label,
                    eligible=number % 2 == 0,
                    amount=None if benefit.period == IN_KIND else Decimal("123.45"),
                    period=benefit.period,
                    facts=("Ressources prises en compte : 900,00 €",),
                    organisme=benefit.organisme,
                    link=benefit.link,
                    how_to_claim=benefit.how_to_claim,
                    documents=benefit.documents,
                )
                for benefit in BENEFITS
            ),
            inputs_summary=("banc d'essai",),
            openfisca_france_version="banc-essai",
        )
        RightsAssessment.objects.create(
            household=household,
            month=month,
            created_by=user,
            inputs=inputs,
            results=results_to_json(assessment),
            openfisca_france_version="banc-essai",
            catalogue_version=CATALOGUE_VERSION,
        )


def intake_households(env: dict[str, str], exclude: list[int]) -> list[int]:
    """300 ordinary (non-confidential) households, drawn once, for the intake round trip."""
    script = (
        "import random\n"
        "from guichet.households.models import Household\n"
        "ids = list(Household.objects.filter(is_confidential=False)"
        f".exclude(pk__in={exclude!r}).values_list('pk', flat=True)[:20000])\n"
        "random.seed(7); print(' '.join(map(str, random.sample(ids, min(300, len(ids))))))\n"
    )
    out = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "--no-imports", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return [int(x) for x in out.split()]


# --- The intake round trip --------------------------------------------------------------------------


def select_options(html: str, name: str) -> tuple[list[str], str]:
    """The non-empty option values of the ``<select name=name>`` of a form, and the selected one."""
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.DOTALL)
    if not match:
        raise SystemExit(f"intake form: no field {name!r}")
    options = re.findall(r'<option value="([^"]*)"( selected)?', match.group(1))
    values = [value for value, _ in options if value]
    selected = next((value for value, flag in options if flag), values[0])
    return values, selected


def intake_operation(ids: list[int], themes: list[str], channel: str, urgency: str) -> Operation:
    """GET the new-request form of a household drawn from ``ids``, POST it, follow the redirect."""

    def round_trip(client: Client, rng: random.Random) -> bool:
        path = f"/guichet/demandes/nouvelle/?menage={rng.choice(ids)}"
        status, text, _ = client.request("GET", path)
        token = CSRF.search(text)
        if status != 200 or not token:
            return False
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "theme": rng.choice(themes),
                "channel": channel,
                "urgency": urgency,
                "summary": "Demande d'aide enregistrée par le banc d'essai (données fictives)",
                "assigned_to": "",
                "person": "",
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://127.0.0.1{path}"}
        status, _, response = client.request("POST", path, body, headers)
        location = response.getheader("Location") or ""
        if status != 302 or not location.startswith("/guichet/demandes/"):
            return False
        status, _, _ = client.request("GET", location)
        return status == 200

    return round_trip


# --- Runs ------------------------------------------------------------------------------------------


def summary(label: str, runs: list[Series], baselines: list[Series] | None) -> str:
    p50 = statistics.median(s.p50 for s in runs)
    p95 = statistics.median(s.p95 for s in runs)
    rps = statistics.median(s.rps for s in runs)
    errors = sum(s.errors for s in runs)
    ratio = ""
    if baselines:
        ratio = f"  x{statistics.median(s.p50 / b.p50 for s, b in zip(runs, baselines, strict=True) if b.p50):5.1f}"
        ratio += " baseline p50"
    per_op = [s.cpu_per_op() for s in runs if s.cpu_per_op()]
    cpu = ""
    if per_op:
        cpu = "  CPU/op: " + ", ".join(
            f"{name} {statistics.median(p[name] for p in per_op):.1f} ms" for name in per_op[0]
        )
    return f"{label:<34} p50={p50:7.1f} ms  p95={p95:7.1f} ms  {rps:7.1f} ops/s  errors={errors}{ratio}{cpu}"


def verdict(label: str, runs: list[Series], target_ms: float) -> str:
    p95 = statistics.median(s.p95 for s in runs)
    return f"{label}: median p95 {p95:.1f} ms, target <= {target_ms:.0f} ms: {'met' if p95 <= target_ms else 'MISSED'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=12000)
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients on the household page")
    parser.add_argument("--seconds", type=float, default=10, help="duration of each measurement")
    add_server_arguments(parser, database="guichet_bench_household")
    parser.add_argument("--events", type=int, default=200, help="timeline events of each long file")
    parser.add_argument("--files", type=int, default=3, help="households given a long history")
    parser.add_argument("--intake-clients", default="1,5,20", help="concurrent clients on the intake, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs of every scenario (medians are printed)")
    args = parser.parse_args()
    intake_clients = [int(n) for n in args.intake_clients.split(",") if n.strip()]

    env = bench_env(args)
    # Social notes are encrypted at rest (production settings need a key): a fixed benchmark-only key.
    env["GUICHET_NOTES_KEY"] = base64.urlsafe_b64encode(hashlib.sha256(b"guichet-bench-notes").digest()).decode()
    print("command:", shlex.join([sys.executable, *sys.argv]))
    prepare_database(args, env, users=((BENCH_USER, "travailleur_social"), (ACCUEIL_USER, "accueil")))
    files = seed_history(env, args.files, args.events)
    intake_ids = intake_households(env, files)
    server = start_server(args, env)
    try:
        wait_for("127.0.0.1", args.port)
        social = Client("127.0.0.1", args.port)
        social.login()
        accueil = Client("127.0.0.1", args.port)
        accueil.login(ACCUEIL_USER, BENCH_PASSWORD)
        status, form, _ = accueil.request("GET", f"/guichet/demandes/nouvelle/?menage={intake_ids[0]}")
        if status != 200:
            raise SystemExit(f"intake form not reachable as {ACCUEIL_USER} (HTTP {status})")
        themes, _ = select_options(form, "theme")
        _, channel = select_options(form, "channel")
        _, urgency = select_options(form, "urgency")
        intake = intake_operation(intake_ids, themes, channel, urgency)
        if not intake(accueil, random.Random(0)):
            raise SystemExit("intake round trip failed (form refused or no redirect to the new request)")
        pages = [f"/menages/{pk}/" for pk in files]
        status, page, _ = social.request("GET", pages[0])
        if status != 200 or "Historique" not in page:
            raise SystemExit(f"household page not reachable as {BENCH_USER} (HTTP {status})")
        print(f"household page: {len(page) // 1024} KiB, {page.count('<li><span class=')} timeline lines shown")

        # Warm-up: each worker process loads its templates, caches and connections.
        load("127.0.0.1", args.port, 4, 2, pages, social.cookies)
        load_operation("127.0.0.1", args.port, 4, 2, accueil.cookies, intake)

        print(f"load generator of the pages: {load_generator(args)}; of the intake: Python threads")
        page_baseline: list[Series] = []
        baseline: dict[int, list[Series]] = {n: [] for n in intake_clients}  # same generator as the intake
        household: list[Series] = []
        intakes: dict[int, list[Series]] = {n: [] for n in intake_clients}
        for run_index in range(1, args.runs + 1):
            print(f"\nrun {run_index}/{args.runs}", flush=True)
            series = load_pages(args, args.clients, args.seconds, ["/sante/"], social.cookies)
            page_baseline.append(series)
            print(series.line(f"baseline /sante/, {args.clients} clients", None), flush=True)
            series = load_pages(args, args.clients, args.seconds, pages, social.cookies)
            household.append(series)
            print(series.line(f"household page, {args.clients} clients", page_baseline[-1].p50), flush=True)
            for n in intake_clients:
                series = load("127.0.0.1", args.port, n, args.seconds, ["/sante/"], social.cookies)
                baseline[n].append(series)
                print(series.line(f"baseline /sante/, {n} clients (Python)", None), flush=True)
                series = load_operation("127.0.0.1", args.port, n, args.seconds, accueil.cookies, intake)
                intakes[n].append(series)
                print(series.line(f"intake round trip, {n} clients", baseline[n][-1].p50), flush=True)

        print(
            f"\nmedian of {args.runs} runs; {args.households} households, {args.files} files of about {args.events} "
            f"timeline events, {args.seconds:.0f} s per measurement, granian {args.workers} workers x {args.threads} "
            f"threads, PostgreSQL, Redis, {os.cpu_count()} cores shared by server, database and load generator"
        )
        print(summary(f"baseline /sante/, {args.clients} clients", page_baseline, None))
        print(summary(f"household page, {args.clients} clients", household, page_baseline))
        for n in intake_clients:
            print(summary(f"baseline /sante/, {n} clients (Python)", baseline[n], None))
            print(summary(f"intake round trip, {n} clients", intakes[n], baseline[n]))
        print("(intake round trip = GET the form + POST it + GET the new request, timed as one operation)")
        print(verdict(f"household page, {args.clients} clients", household, HOUSEHOLD_P95_TARGET_MS))
        for n in intake_clients:
            print(verdict(f"intake round trip, {n} clients", intakes[n], INTAKE_P95_TARGET_MS))
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
