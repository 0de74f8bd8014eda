"""Under load: 50 signed-in officers on the case list page and the case list API.

The demo county is loaded, scaled up to ``LOAD_CASES`` cases (bulk-created with the events and
deadlines the intake and workflow services would have written) and ``LOAD_USERS`` case officers
spread over ten units; ``ipshield serve`` is started on loopback as a separate process, and as
many simulated officers (asyncio tasks with their own httpx client and cookies) sign in through
the sign-in form, then loop ``GET /workbench/cases/`` and ``GET /api/v1/cases`` with 0.5–1.5 s
of think time for ``LOAD_SECONDS``. It prints, per route: requests, errors (anything but a 200,
or no answer within 30 s), p50/p95/p99 and the machine's load average, and counts the lines the
server wrote to its log (waitress's "Task queue depth" warnings among them).

Before and after: with ``LOAD_BEFORE`` set to another checkout of IPShield (e.g.
``git worktree add /tmp/ipshield-before 84c27b3``), the same data set is also built and served
with that checkout's code (its ``src`` first on ``PYTHONPATH``), in turns with the current code
(before, after, before, after … for ``LOAD_ROUNDS`` rounds) so that both see the same machine,
and the figures are printed side by side with their ratios.

Run (results in benchmarks/results/load-<database>.json)::

    LOAD_BEFORE=/tmp/ipshield-before .venv/bin/python -m benchmarks load
    LOAD_BEFORE=/tmp/ipshield-before IPSHIELD_PG_PORT=54335 scripts/with-postgres \\
        .venv/bin/python -m benchmarks load

Settings: LOAD_CASES (50000), LOAD_USERS (50), LOAD_SECONDS (60), LOAD_ROUNDS (1),
LOAD_BEFORE (unset: measure the current code only), LOAD_AFTER (the checkout served as "after";
default this one), LOAD_SERVE_ARGS (extra ``ipshield serve``
options for the current code, e.g. ``--processes 2``), LOAD_REUSE=1 (SQLite: keep a data set
built by an earlier run, only migrating it).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N_CASES = int(os.environ.get("LOAD_CASES", "50000"))
N_USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
ROUNDS = int(os.environ.get("LOAD_ROUNDS", "1"))
N_UNITS = 10
PASSWORD = "Load-bench-2026"  # noqa: S105 - the benchmark's own throwaway accounts
ROUTES = {"workbench cases": "/workbench/cases/", "API cases": "/api/v1/cases"}
THINK = (0.5, 1.5)
TIMEOUT = 30.0
SIGN_IN_TIMEOUT = 120.0
READY_SECONDS = 180


# --- the data set (runs in a child process, with the served side's code) ----------------------


def prepare() -> None:
    """Build the data set in the configured database: demo data, officers, LOAD_CASES cases."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks._common import fresh_database

    data_dir = Path(os.environ["IPSHIELD_DATA_DIR"])
    marker = data_dir / "load-dataset.json"
    reuse = os.environ.get("LOAD_REUSE") == "1" and marker.exists()
    if reuse and json.loads(marker.read_text()).get("cases") == N_CASES:
        call_command("migrate", verbosity=0)
        print(f"  reusing the data set in {data_dir}", file=sys.stderr)
        return
    started = time.monotonic()
    fresh_database()
    from ipshield import demo

    demo.load()
    officers = _officers()
    count = _cases(officers)
    from ipshield.common.maintenance import database_optimize

    database_optimize()
    marker.write_text(json.dumps({"cases": N_CASES, "created": count}))
    print(
        f"  data set: {count} cases, {len(officers)} officers in "
        f"{time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )


def _units():
    from ipshield.accounts.models import Unit

    # The demo's units in a fixed order; officers and cases are spread over the first ten.
    return list(Unit.objects.order_by("id")[:N_UNITS])


def _officers():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from ipshield.accounts.models import Profile

    users = get_user_model()
    units = _units()
    hashed = make_password(PASSWORD)  # one hash for all: the sign-in still verifies it
    created = users.objects.bulk_create(
        [users(username=f"load{i:03d}", password=hashed) for i in range(N_USERS)]
    )
    Profile.objects.bulk_create(
        [
            Profile(user=user, display_name=f"办案{i:03d}", unit=units[i % len(units)])
            for i, user in enumerate(created)
        ]
    )
    group = Group.objects.get(name="case_officer")
    group.user_set.add(*created)
    return created


def _cases(officers) -> int:
    """LOAD_CASES cases at every stage, with the record entries and time limits that intake
    (received, triaged, deadline set) and the workflow (transitions) would have written."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from ipshield.cases import record
    from ipshield.cases.models import Case, CaseDeadline, CaseEvent, Source, TimeLimit, Track
    from ipshield.cases.workflow import FINAL, Status

    rng = random.Random(13)
    units = _units()
    officer_of = {o.profile.unit_id: o for o in officers}
    limits = {t.key: t for t in TimeLimit.objects.all()}
    statuses = [s for s, _ in Status.choices]
    sources = [s for s, _ in Source.choices]
    tracks = [t for t, _ in Track.choices]
    path = [Status.RECEIVED, Status.ACCEPTED, Status.INVESTIGATING, Status.DECIDED]
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    created = 0
    batch_size = 5000
    for start in range(0, N_CASES, batch_size):
        cases, plans = [], []
        for i in range(start, min(start + batch_size, N_CASES)):
            unit = units[i % len(units)]
            status = rng.choice(statuses)
            received = now - dt.timedelta(minutes=rng.randint(60, 60 * 24 * 700))
            final = status in FINAL
            key = rng.choice(sorted(limits)) if limits else ""
            limit = limits.get(key)
            due = None if final else today + dt.timedelta(days=rng.randint(-30, 90))
            cases.append(
                Case(
                    number=f"LD{i:010d}",
                    source=rng.choice(sources),
                    title=f"负载测试案件{i}：超市销售涉嫌假冒注册商标的红枣",
                    description="现场发现包装近似的商品，价格明显低于市场价。",
                    status=status,
                    track=rng.choice(tracks),
                    unit=unit,
                    infringer_name=f"某商行{i % 997}",
                    received_at=received,
                    accepted_at=received + dt.timedelta(days=1) if status != "received" else None,
                    deadline=due,
                    deadline_label=(limit.label if limit else "期限") if due else "",
                )
            )
            plans.append((status, received, key, limit, due, unit, officer_of.get(unit.id)))
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            events, deadlines = [], []
            for case, (status, received, key, limit, due, unit, officer) in zip(
                cases, plans, strict=True
            ):
                entries = [
                    ("received", None, {}, {"source": case.source, "unit": unit.id}, True),
                    ("triaged", None, {}, {"track": case.track, "unit": unit.id}, False),
                ]
                if due is not None and limit is not None:
                    entries.append(
                        ("deadline_set", None, {}, {"label": limit.label, "due": str(due)}, False)
                    )
                    deadlines.append(
                        CaseDeadline(
                            case=case,
                            key=key,
                            label=limit.label,
                            legal_source=limit.legal_source,
                            starts_on=received.date(),
                            due_on=due,
                        )
                    )
                previous = Status.RECEIVED
                for step in path[1:]:
                    if status == previous or status not in path:
                        break
                    entries.append(
                        ("transition", officer, {"status": previous}, {"status": step}, True)
                    )
                    previous = step
                prev_hash = record.GENESIS
                for seq, (verb, actor, before, after, public) in enumerate(entries, start=1):
                    event = CaseEvent(
                        case=case,
                        seq=seq,
                        verb=verb,
                        actor=actor,
                        unit=unit if actor else None,
                        at=received + dt.timedelta(minutes=seq),
                        before=before,
                        after=after,
                        public=public,
                        prev_hash=prev_hash,
                    )
                    event.hash = record._digest(event)
                    prev_hash = event.hash
                    events.append(event)
            CaseEvent.objects.bulk_create(events, batch_size=2000)
            CaseDeadline.objects.bulk_create(deadlines, batch_size=2000)
        created += len(cases)
    return created


# --- the simulated officers --------------------------------------------------------------------


async def _drive(base: str, server_pid: int) -> tuple[dict, dict, float, float | None]:
    samples: dict = {route: [] for route in ROUTES}
    samples["ready"] = []
    samples["go"] = asyncio.Event()
    errors: dict = {route: [] for route in ROUTES}
    # The deadline is only known once everyone has signed in: argon2 takes its time, so a few
    # at once, which also keeps the sign-ins out of the measured minutes.
    stop_box = [float("inf")]
    signing_in = asyncio.Semaphore(4)

    async def officer(i: int) -> None:
        import httpx

        rng = random.Random(i)
        async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as client:
            async with signing_in:
                await _sign_in(client, i, base)
            samples["ready"].append(i)
            await samples["go"].wait()
            await asyncio.sleep(rng.uniform(0, THINK[1]))
            while time.monotonic() < stop_box[0]:
                for route, url in ROUTES.items():
                    started = time.perf_counter()
                    try:
                        response = await client.get(url)
                        ok = response.status_code == 200
                        if not ok:
                            errors[route].append(str(response.status_code))
                    except httpx.HTTPError as error:
                        ok = False
                        errors[route].append(type(error).__name__)
                    if ok:
                        samples[route].append((time.perf_counter() - started) * 1000)
                    await asyncio.sleep(rng.uniform(*THINK))
                    if time.monotonic() >= stop_box[0]:
                        break

    tasks = [asyncio.create_task(officer(i)) for i in range(N_USERS)]
    while len(samples["ready"]) < N_USERS:
        failed = [t for t in tasks if t.done() and t.exception()]
        if failed:
            raise failed[0].exception()
        await asyncio.sleep(0.1)
    started = time.monotonic()
    stop_box[0] = started + SECONDS
    cpu_start = _server_cpu(server_pid)
    samples["go"].set()
    await asyncio.gather(*tasks)
    cpu_end = _server_cpu(server_pid)
    cpu = None if cpu_start is None or cpu_end is None else cpu_end - cpu_start
    return samples, errors, time.monotonic() - started, cpu


def _server_cpu(pid: int) -> float | None:
    """CPU seconds used so far by the server process and its children (Linux ``/proc``): what
    the requests cost, whatever else the machine is busy with."""
    clock = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo, seen = 0.0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        proc = Path(f"/proc/{current}")
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / clock
            for task in (proc / "task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            if current == pid:
                return None
    return total


async def _sign_in(client, index: int, base: str) -> None:
    page = await client.get("/login/", timeout=SIGN_IN_TIMEOUT)
    response = await client.post(
        "/login/",
        data={
            "username": f"load{index:03d}",
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
        },
        headers={"Referer": base + "/login/"},
        timeout=SIGN_IN_TIMEOUT,
    )
    if page.status_code != 200 or response.status_code != 302:
        raise RuntimeError(f"load{index:03d} could not sign in ({response.status_code})")


# --- the orchestration: one data set and one server per side ----------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load_average() -> float:
    return round(os.getloadavg()[0], 2)


def _side_env(side: str, src: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(src), str(ROOT)])
    base = os.environ.get("IPSHIELD_DATA_DIR", ".test-data/bench")
    env["IPSHIELD_DATA_DIR"] = str(Path(f"{base}-load-{side}").resolve())
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env.setdefault("IPSHIELD_ENV", "development")
    env.pop("DEBUG", None)
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = _side_database(os.environ["DATABASE_URL"], side)
    return env


def _side_database(url: str, side: str) -> str:
    """Each side gets its own PostgreSQL database next to the configured one."""
    import psycopg

    base, _, name = url.rpartition("/")
    side_name = f"{name}_load_{side}"
    if os.environ.get("LOAD_REUSE") != "1":
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{side_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{side_name}"')
    return f"{base}/{side_name}"


def _serve(env: dict[str, str], port: int, extra: list[str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "ipshield.cli", "serve", "--no-worker"]
    command += ["--host", "127.0.0.1", "--port", str(port), *extra]
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    import httpx

    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login/", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not answer")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _summary(samples: list[float], errors: list[str], seconds: float) -> dict[str, object]:
    from benchmarks._common import percentile

    def ms(p: float) -> object:
        return round(percentile(samples, p), 1) if samples else "-"

    return {
        "requests": len(samples) + len(errors),
        "errors": len(errors),
        "req_per_s": round((len(samples) + len(errors)) / seconds, 1),
        "p50_ms": ms(50),
        "p95_ms": ms(95),
        "p99_ms": ms(99),
        "max_ms": ms(100),
    }


def _measure(side: str, env: dict[str, str], extra: list[str], rnd: int) -> list[dict]:
    log = Path(env["IPSHIELD_DATA_DIR"]) / f"serve-round{rnd}.log"
    port = _free_port()
    server = _serve(env, port, extra, log)
    try:
        load_before = _load_average()
        samples, errors, seconds, cpu = asyncio.run(_drive(f"http://127.0.0.1:{port}", server.pid))
        load_after = _load_average()
    finally:
        _stop(server)
    text = log.read_text(errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    queue = sum("Task queue depth" in line for line in lines)
    rows = []
    for route in ROUTES:
        kinds = sorted(set(errors[route]))
        rows.append(
            {
                "side": side,
                "round": rnd,
                "route": route,
                **_summary(samples[route], errors[route], seconds),
                "error_kinds": ",".join(kinds) or "-",
                "load1": f"{load_before}->{load_after}",
                "log_lines": len(lines),
                "queue_warnings": queue,
                # Both routes together: the server's CPU time over the requests it answered.
                "server_cpu_ms_per_request": "-"
                if cpu is None
                else round(cpu * 1000 / max(1, sum(len(samples[r]) for r in ROUTES)), 1),
            }
        )
    return rows


def _ratio(before: object, after: object) -> str:
    if isinstance(before, int | float) and isinstance(after, int | float) and after:
        return f"{before / after:.1f}x"
    return "-"


def _compare(runs: list[dict]) -> list[dict]:
    """Per route and figure: before, after (medians over the rounds; counts summed) and
    before/after — above 1 is the factor by which the current code is faster."""
    import statistics

    rows = []
    for route in ROUTES:
        figures: dict[str, dict[str, object]] = {}
        for side in ("before", "after"):
            mine = [r for r in runs if r["side"] == side and r["route"] == route]
            if not mine:
                continue

            def median(key: str, rows: list[dict] = mine) -> object:
                values = [r[key] for r in rows if isinstance(r.get(key), int | float)]
                return round(statistics.median(values), 1) if values else "-"

            figures[side] = {
                "requests": sum(int(r["requests"]) for r in mine),
                "errors": sum(int(r["errors"]) for r in mine),
                **{k: median(k) for k in ("p50_ms", "p95_ms", "p99_ms")},
                # The server's log is one per run, shared by both routes.
                "server log lines": sum(int(r["log_lines"]) for r in mine),
                "server CPU ms per request (both routes)": median("server_cpu_ms_per_request"),
                "load average": " ".join(str(r["load1"]) for r in mine),
            }
        for figure in next(iter(figures.values())):
            before = figures.get("before", {}).get(figure, "-")
            after = figures.get("after", {}).get(figure, "-")
            timed = figure.endswith("_ms") or figure.startswith("server CPU")
            ratio = _ratio(before, after) if timed else "-"
            rows.append(
                {
                    "route": route,
                    "figure": figure,
                    "before": before,
                    "after": after,
                    "before/after": ratio,
                }
            )
    return rows


def main() -> None:
    from benchmarks._common import report

    vendor = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    sides: dict[str, tuple[Path, list[str]]] = {}
    before = os.environ.get("LOAD_BEFORE", "").strip()
    if before:
        sides["before"] = (Path(before).resolve() / "src", [])
    after = Path(os.environ.get("LOAD_AFTER", "").strip() or ROOT).resolve()
    sides["after"] = (after / "src", shlex.split(os.environ.get("LOAD_SERVE_ARGS", "")))
    envs = {}
    for side, (src, _extra) in sides.items():
        env = _side_env(side, src)
        envs[side] = env
        print(f"preparing '{side}' ({src}) on {vendor}, {N_CASES} cases …", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "benchmarks.load", "prepare"], env=env, check=True, cwd=ROOT
        )
    runs = []
    for rnd in range(1, ROUNDS + 1):
        for side, (_src, extra) in sides.items():
            print(
                f"round {rnd}: '{side}', {N_USERS} officers for {SECONDS:.0f} s "
                f"(load {_load_average()}) …",
                file=sys.stderr,
            )
            runs.extend(_measure(side, envs[side], extra, rnd))
    report(f"load-{vendor}-runs", runs)
    report(f"load-{vendor}", _compare(runs))


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        prepare()
    else:
        main()
