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
Needs a PostgreSQL server (DATABASE_URL's server, default postgres://root@127.0.0.1:5432/).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BENCH_USER = "bench-social"
BENCH_PASSWORD = "bench-guichet-mot-de-passe-long"  # noqa: S105 - local benchmark account


@dataclass
class Series:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed_s: float = 0.0
    fixed: tuple[int, float, float] | None = None  # (successes, p50, p95) when measured by wrk

    def stats(self) -> tuple[int, float, float]:
        if self.fixed is not None:
            return self.fixed
        lat = sorted(self.latencies_ms)
        if not lat:
            return 0, 0.0, 0.0
        return len(lat), statistics.median(lat), lat[min(len(lat) - 1, int(len(lat) * 0.95))]

    def line(self, label: str, baseline_p50: float | None) -> str:
        count, p50, p95 = self.stats()
        if not count:
            return f"{label:<28} no successful request ({self.errors} errors)"
        rps = count / self.elapsed_s if self.elapsed_s else 0.0
        ratio = f"  x{p50 / baseline_p50:5.1f} baseline p50" if baseline_p50 else ""
        return (
            f"{label:<28} n={count:>6}  p50={p50:7.1f} ms  p95={p95:7.1f} ms  "
            f"{rps:7.1f} req/s  errors={self.errors}{ratio}"
        )

    @property
    def p50(self) -> float:
        return self.stats()[1]


def run(cmd: list[str], env: dict[str, str]) -> None:
    print("$", shlex.join(cmd), flush=True)
    subprocess.run(cmd, env=env, check=True, cwd=ROOT)


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    admin_url = urllib.parse.urlparse(args.server_url)
    dbname = args.database
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", dbname):
        raise SystemExit("--database: lower-case letters, digits and _ only")
    psql = [
        "psql",
        "-h",
        admin_url.hostname or "127.0.0.1",
        "-U",
        admin_url.username or "root",
        "-d",
        "postgres",
        "-qc",
    ]
    exists = subprocess.run(
        [*psql[:-1], "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{dbname}'"],  # noqa: S608 - checked name
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists and args.fresh:
        subprocess.run([*psql, f"DROP DATABASE {dbname}"], check=True)
        exists = ""
    if not exists:
        subprocess.run([*psql, f"CREATE DATABASE {dbname}"], check=True)
    run([str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"], env)
    count = subprocess.run(
        [
            str(BIN / "python"),
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from guichet.households.models import Household; print(Household.objects.count())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if int(count or 0) < args.households:
        run(
            [str(BIN / "guichet"), "demo", "generate", "--households", str(args.households), "--seed", "1", "--reset"],
            env,
        )
    setup_user = (
        "from django.contrib.auth.models import Group\n"
        "from guichet.accounts.models import User\n"
        f"u, _ = User.objects.get_or_create(username={BENCH_USER!r})\n"
        f"u.set_password({BENCH_PASSWORD!r}); u.is_active = True; u.save()\n"
        "u.groups.set([Group.objects.get(name='travailleur_social')])\n"
    )
    subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "--no-imports", "-c", setup_user], env=env, check=True, cwd=ROOT
    )
    run([str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    subprocess.run([*psql[:-3], "-d", dbname, "-qc", "ANALYZE"], check=True)  # fresh bulk load: planner statistics


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


class Client:
    def __init__(self, host: str, port: int) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, http.client.HTTPResponse]:
        hdrs = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
        if path.endswith("&hx=1"):  # what the search box sends while the agent types (htmx partial)
            path = path[: -len("&hx=1")]
            hdrs["HX-Request"] = "true"
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=hdrs)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text, response

    def login(self) -> None:
        status, text, _ = self.request("GET", "/comptes/connexion/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if status != 200 or not token:
            raise SystemExit(f"login page not reachable (HTTP {status})")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": BENCH_USER, "password": BENCH_PASSWORD}
        )
        status, _, response = self.request(
            "POST",
            "/comptes/connexion/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": "https://127.0.0.1/comptes/connexion/"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login failed (HTTP {status}, location {response.getheader('Location')})")


def load(host: str, port: int, clients: int, seconds: float, paths: list[str], cookies: dict[str, str]) -> Series:
    """``clients`` threads, each with its own keep-alive connection, sharing one logged-in session
    (logging in 20 times would measure argon2, not the pages)."""
    series = Series()
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    deadline = [0.0]

    def worker(index: int) -> None:
        client = Client(host, port)
        client.cookies = dict(cookies)
        rng = random.Random(index)
        ready.wait()
        local: list[float] = []
        errors = 0
        while time.perf_counter() < deadline[0]:
            path = rng.choice(paths)
            start = time.perf_counter()
            try:
                status, _, _ = client.request("GET", path)
            except (OSError, http.client.HTTPException):
                errors += 1
                client = Client(host, port)
                client.cookies = dict(cookies)
                continue
            if status == 200:
                local.append((time.perf_counter() - start) * 1000)
            else:
                errors += 1
        with lock:
            series.latencies_ms.extend(local)
            series.errors += errors

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds + 0.05
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    series.elapsed_s = time.perf_counter() - started
    return series


WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter + 1
  local headers = {["Cookie"] = %(cookie)s, ["Host"] = "127.0.0.1", ["X-Forwarded-Proto"] = "https"}
  local path = paths[(counter %% #paths) + 1]
  if string.sub(path, -5) == "&hx=1" then
    path = string.sub(path, 1, -6)
    headers["HX-Request"] = "true"
  end
  return wrk.format("GET", path, headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_wrk(port: int, clients: int, seconds: float, paths: list[str], cookies: dict[str, str]) -> Series:
    """The same scenario driven by wrk (C, two threads): the load generator then takes far less of
    the two cores than Python threads would, so the figures describe the server."""
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    script = WRK_SCRIPT % {"paths": ", ".join(lua_string(p) for p in paths), "cookie": lua_string(cookie)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            ["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", handle.name,
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(handle.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    count, errors, duration_us, p50, p95 = line.split()[1:]
    return Series(
        latencies_ms=[], errors=int(errors), elapsed_s=int(duration_us) / 1e6,
        fixed=(int(count) - int(errors), float(p50), float(p95)),
    )  # fmt: skip


def wait_for(host: str, port: int, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/sante/", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=12000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="blocking threads per granian worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="guichet_bench")
    parser.add_argument("--server-url", default=os.environ.get("BENCH_PG_URL", "postgres://root@127.0.0.1:5432/"))
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the database")
    parser.add_argument("--python-client", action="store_true", help="use Python threads even when wrk is installed")
    args = parser.parse_args()

    url = urllib.parse.urlparse(args.server_url)
    env = {
        **os.environ,
        "DATABASE_URL": urllib.parse.urlunparse(url._replace(path=f"/{args.database}")),
        "GUICHET_DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        # Steady state of the household pages: the OpenFisca warm-up thread (10-15 s of CPU at worker
        # start, for the rights pages) would otherwise run during the first measurements.
        "GUICHET_WARM_OPENFISCA": "0",
        "GUICHET_VAR_DIR": str(ROOT / "var" / "bench"),
    }
    print("command:", shlex.join([sys.executable, *sys.argv]))
    prepare_database(args, env)
    ids, names = sample_targets(env)
    rng = random.Random(3)
    server_cmd = [
        str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(args.port),
        "--workers", str(args.workers), "--blocking-threads", str(args.threads), "--no-ws", "--log-level", "warning",
        "guichet.config.wsgi:application",
    ]  # fmt: skip
    print("$", shlex.join(server_cmd), flush=True)
    server = subprocess.Popen(server_cmd, env={**env, "PYTHONPATH": str(ROOT / "src")}, cwd=ROOT)
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
        use_wrk = shutil.which("wrk") is not None and not args.python_client
        print(f"load generator: {'wrk (2 threads)' if use_wrk else 'Python threads (install wrk for lighter load)'}")
        results = []
        for label, paths in scenarios:
            if use_wrk:
                series = load_wrk(args.port, args.clients, args.seconds, paths, agent.cookies)
            else:
                series = load("127.0.0.1", args.port, args.clients, args.seconds, paths, agent.cookies)
            results.append((label, series))
        baseline = results[0][1].p50
        print(
            f"\n{args.households} households, {args.clients} concurrent clients, {args.seconds:.0f} s each, "
            f"granian {args.workers} workers x {args.threads} threads, PostgreSQL, {os.cpu_count()} cores shared"
        )
        for label, series in results:
            print(series.line(label, None if label.startswith("baseline") else baseline))
        print("targets: detail p95 <= 250 ms and >= 100 req/s; name search p95 <= 100 ms")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
