"""What the HTTP benchmarks share: a PostgreSQL benchmark database filled with the synthetic commune,
the platform under granian with the production settings, a keep-alive client that logs in, and N
concurrent clients (Python threads, one keep-alive connection each) measured for a fixed time.

Used by ``http_load.py`` and ``household_page.py``; not a benchmark by itself.
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
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BENCH_USER = "bench-social"
BENCH_PASSWORD = "bench-guichet-mot-de-passe-long"  # noqa: S105 - local benchmark account


# --- CPU time of the server and of the database, read from /proc (Linux), per measured operation ---

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
CPU_PROBES: dict[str, Callable[[], float]] = {}
"""Named probes (« serveur », « PostgreSQL ») sampled before and after each measurement: seconds of
CPU used so far. Registered by ``start_server``; on a noisy machine, CPU per operation is steadier
than latency."""


def _proc_stats() -> Iterator[tuple[int, str, int, float]]:
    """(pid, command name, parent pid, CPU seconds) of every process: its own user + system time
    and that of its children that have ended (a server's recycled connections and workers)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                text = stat.read()
        except OSError:  # gone meanwhile
            continue
        comm = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        yield int(entry.name), comm, int(fields[1]), ticks / CLOCK_TICKS


def process_tree_cpu(root: int) -> float:
    stats = list(_proc_stats())
    children: dict[int, list[int]] = {}
    for pid, _, ppid, _ in stats:
        children.setdefault(ppid, []).append(pid)
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(children.get(pid, []))
    return sum(cpu for pid, _, _, cpu in stats if pid in tree)


def postgres_cpu() -> float:
    """The PostgreSQL server's processes on this machine (its backends live as long as the
    server's persistent connections, so their CPU is counted)."""
    return sum(cpu for _, comm, _, cpu in _proc_stats() if comm.startswith("postgres"))


def cpu_sample() -> dict[str, float]:
    return {name: probe() for name, probe in CPU_PROBES.items()}


@dataclass
class Series:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed_s: float = 0.0
    fixed: tuple[int, float, float] | None = None  # (successes, p50, p95) when measured by wrk
    cpu_s: dict[str, float] = field(default_factory=dict)  # CPU seconds used during the measurement

    def cpu_per_op(self) -> dict[str, float]:
        count = self.stats()[0]
        return {name: 1000 * seconds / count for name, seconds in self.cpu_s.items()} if count else {}

    def cpu_text(self) -> str:
        per_op = self.cpu_per_op()
        return ("  CPU/op: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in per_op.items())) if per_op else ""

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
            f"{rps:7.1f} req/s  errors={self.errors}{ratio}{self.cpu_text()}"
        )

    @property
    def p50(self) -> float:
        return self.stats()[1]

    @property
    def p95(self) -> float:
        return self.stats()[2]

    @property
    def rps(self) -> float:
        return self.stats()[0] / self.elapsed_s if self.elapsed_s else 0.0


def run(cmd: list[str], env: dict[str, str]) -> None:
    print("$", shlex.join(cmd), flush=True)
    subprocess.run(cmd, env=env, check=True, cwd=ROOT)


def add_server_arguments(parser: argparse.ArgumentParser, *, database: str) -> None:
    """The options of the database and the server that every HTTP benchmark takes (after its own
    ``--households``, ``--clients``, ``--seconds``)."""
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="blocking threads per granian worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default=database)
    parser.add_argument("--server-url", default=os.environ.get("BENCH_PG_URL", "postgres://root@127.0.0.1:5432/"))
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the database")
    parser.add_argument("--python-client", action="store_true", help="use Python threads even when wrk is installed")


def bench_env(args: argparse.Namespace) -> dict[str, str]:
    """The production settings (DEBUG off) on the benchmark database."""
    url = urllib.parse.urlparse(args.server_url)
    return {
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
        # Production runs with Redis (Celery broker, cache, sessions read from the cache): so does the
        # benchmark, on a database of its own. No task is started by the pages measured.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
    }


def prepare_database(
    args: argparse.Namespace,
    env: dict[str, str],
    users: Sequence[tuple[str, str]] = ((BENCH_USER, "travailleur_social"),),
) -> None:
    """Create the database if needed, migrate it, generate the synthetic commune when it holds fewer
    than ``args.households`` households, and give each of ``users`` (username, group) the benchmark
    password."""
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
    setup_user = "from django.contrib.auth.models import Group\nfrom guichet.accounts.models import User\n"
    for username, group in users:
        setup_user += (
            f"u, _ = User.objects.get_or_create(username={username!r})\n"
            f"u.set_password({BENCH_PASSWORD!r}); u.is_active = True; u.save()\n"
            f"u.groups.set([Group.objects.get(name={group!r})])\n"
        )
    subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "--no-imports", "-c", setup_user], env=env, check=True, cwd=ROOT
    )
    run([str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    subprocess.run([*psql[:-3], "-d", dbname, "-qc", "ANALYZE"], check=True)  # fresh bulk load: planner statistics


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

    def login(self, username: str = BENCH_USER, password: str = BENCH_PASSWORD) -> None:
        status, text, _ = self.request("GET", "/comptes/connexion/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if status != 200 or not token:
            raise SystemExit(f"login page not reachable (HTTP {status})")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        )
        status, _, response = self.request(
            "POST",
            "/comptes/connexion/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": "https://127.0.0.1/comptes/connexion/"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login failed (HTTP {status}, location {response.getheader('Location')})")


Operation = Callable[[Client, random.Random], bool]
"""One measured operation of a client (one or several requests); True when it succeeded."""


def load_operation(
    host: str, port: int, clients: int, seconds: float, cookies: dict[str, str], operation: Operation
) -> Series:
    """``clients`` threads, each with its own keep-alive connection, sharing one logged-in session
    (logging in 20 times would measure argon2, not the pages), each repeating ``operation`` for
    ``seconds``; the latency of a sample is the whole operation's."""
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
            start = time.perf_counter()
            try:
                succeeded = operation(client, rng)
            except (OSError, http.client.HTTPException):
                errors += 1
                client = Client(host, port)
                client.cookies = dict(cookies)
                continue
            if succeeded:
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
    cpu_before = cpu_sample()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    series.elapsed_s = time.perf_counter() - started
    cpu_after = cpu_sample()
    series.cpu_s = {name: cpu_after[name] - cpu_before[name] for name in cpu_before}
    return series


def load(host: str, port: int, clients: int, seconds: float, paths: list[str], cookies: dict[str, str]) -> Series:
    """GET a page drawn from ``paths`` (HTTP 200 expected), over and over: see ``load_operation``."""

    def get(client: Client, rng: random.Random) -> bool:
        status, _, _ = client.request("GET", rng.choice(paths))
        return status == 200

    return load_operation(host, port, clients, seconds, cookies, get)


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


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """granian (WSGI, ``args.workers`` processes x ``args.threads`` blocking threads) on ``args.port``."""
    server_cmd = [
        str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(args.port),
        "--workers", str(args.workers), "--blocking-threads", str(args.threads), "--no-ws", "--log-level", "warning",
        "guichet.config.wsgi:application",
    ]  # fmt: skip
    print("$", shlex.join(server_cmd), flush=True)
    server = subprocess.Popen(server_cmd, env={**env, "PYTHONPATH": str(ROOT / "src")}, cwd=ROOT)
    if Path("/proc/self/stat").exists():
        CPU_PROBES["serveur"] = lambda: process_tree_cpu(server.pid)
        CPU_PROBES["PostgreSQL"] = postgres_cpu
    return server


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=20)


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
    cpu_before = cpu_sample()
    try:
        output = subprocess.run(
            ["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", handle.name,
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(handle.name)
    cpu_after = cpu_sample()
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    count, errors, duration_us, p50, p95 = line.split()[1:]
    return Series(
        latencies_ms=[], errors=int(errors), elapsed_s=int(duration_us) / 1e6,
        fixed=(int(count) - int(errors), float(p50), float(p95)),
        cpu_s={name: cpu_after[name] - cpu_before[name] for name in cpu_before},
    )  # fmt: skip


def load_generator(args: argparse.Namespace) -> str:
    use_wrk = shutil.which("wrk") is not None and not args.python_client
    return "wrk (2 threads)" if use_wrk else "Python threads (install wrk for a lighter load generator)"


def load_pages(
    args: argparse.Namespace, clients: int, seconds: float, paths: list[str], cookies: dict[str, str]
) -> Series:
    """GET ``paths`` with wrk when it is installed (and ``--python-client`` not given), else ``load``."""
    if shutil.which("wrk") is not None and not args.python_client:
        return load_wrk(args.port, clients, seconds, paths, cookies)
    return load("127.0.0.1", args.port, clients, seconds, paths, cookies)
