"""``langso bench``: demo generation rate and full indicator recompute time on a fresh database.

    langso bench --households 100000                       # temporary SQLite file
    langso bench --households 1000000 --database postgres  # new database langso_bench_<random>
    langso bench --households 100000 --json

The measuring runs in a child process whose environment points at the fresh database
(``DATABASE_URL``, ``LANGSO_VAR_DIR``), so nothing of the caller's database or settings is touched:

1. create the database (a SQLite file in a temporary directory, or ``CREATE DATABASE`` on the
   PostgreSQL server of ``DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432``);
2. ``migrate``; ``load_units``; ``import_boundaries --shipped`` (Phú Thọ's 148 communes),
   through ``call_command`` in the child;
3. generate N households over every current commune of Phú Thọ (:mod:`langso.registry.demo`),
   then ``VACUUM ANALYZE`` / ``ANALYZE`` as a production database would have had;
4. time the full recompute :func:`langso.indicators.engine.compute` and, beside it, a
   hand-written baseline: ONE statement with a single ``GROUP BY`` commune over residents joined
   to households computing the same counts (households, households with GPS, residents, adults
   15+, adults with an online payment account), alternating runs, best of ``--repeat``;
5. drop the database / delete the directory (``--keep`` keeps it and prints where).

Targets (docs/benchmarks.md, design ARCHITECTURE "Performance"): generation ≥ 20,000
households/s; recompute of 1,000,000 households ≤ 10 s on PostgreSQL and ≤ 1.5 × the baseline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

PROVINCE = "25"  # Phú Thọ: the province whose boundaries ship with the platform

# The baseline: what a DBA would write by hand for the registry's five counts. Households are
# counted through their head (one living head per household, a constraint of the registry).
BASELINE_SQL = """
SELECT r.commune_id,
       SUM(CASE WHEN r.relation_to_head = 'head' THEN 1 ELSE 0 END) AS households,
       SUM(CASE WHEN r.relation_to_head = 'head' AND h.latitude IS NOT NULL AND h.longitude IS NOT NULL
                THEN 1 ELSE 0 END) AS households_located,
       COUNT(*) AS residents,
       SUM(CASE WHEN r.date_of_birth <= %(adult_born_by)s THEN 1 ELSE 0 END) AS adults,
       SUM(CASE WHEN r.date_of_birth <= %(adult_born_by)s AND r.has_online_payment_account
                THEN 1 ELSE 0 END) AS adults_with_payment_account
FROM registry_resident r
JOIN registry_household h ON h.id = r.household_id
WHERE r.date_of_birth <= %(as_of)s
  AND (r.died_on IS NULL OR r.died_on > %(as_of)s)
  AND (r.moved_out_on IS NULL OR r.moved_out_on > %(as_of)s)
  AND (h.registered_on IS NULL OR h.registered_on <= %(as_of)s)
  AND (h.dissolved_on IS NULL OR h.dissolved_on > %(as_of)s)
GROUP BY r.commune_id
"""
BASELINE_METRICS = {  # baseline column → metric code of registry/metrics.py
    "households": "registry.households",
    "households_located": "registry.households_located",
    "residents": "registry.residents",
    "adults": "registry.adults",
    "adults_with_payment_account": "registry.adults_with_payment_account",
}


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def run_baseline(as_of: dt.date) -> dict[int, dict[str, int]]:
    """Run :data:`BASELINE_SQL` on the default connection: ``{commune_id: {column: count}}``."""
    params = {"as_of": as_of, "adult_born_by": years_before(as_of, 15)}
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, params)
        columns = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(columns[1:], map(int, row[1:]))) for row in cursor.fetchall()}


class Command(BaseCommand):
    # The bench measures the database: URL and template checks are not its business and would
    # make it fail on an unrelated half-edited view.
    requires_system_checks: list[str] = []
    help = (
        "Đo tốc độ sinh dữ liệu và tính lại chỉ tiêu trên một cơ sở dữ liệu mới / Benchmark demo generation "
        "and the full indicator recompute on a fresh database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--households", type=int, default=100_000)
        parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--chunk-size", type=int, default=10_000)
        parser.add_argument("--repeat", type=int, default=3, help="runs of compute and baseline (best is kept)")
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument("--keep", action="store_true", help="keep the database and print its URL")
        # internal: run the measured steps in the current database (the child process)
        parser.add_argument("--worker", action="store_true", help="(internal) measure in this database")

    def handle(self, *args, **options) -> None:
        if options["worker"]:
            self.stdout.write(json.dumps(self._measure(options)))
            return
        results = self._orchestrate(options)
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(format_table(results))

    # --- parent: a fresh database, child processes, clean-up ----------------------------------

    def _orchestrate(self, options: dict[str, Any]) -> dict[str, Any]:
        workdir = tempfile.mkdtemp(prefix="langso-bench-")
        env = {**os.environ, "LANGSO_VAR_DIR": workdir, "LANGSO_DEBUG": "0",
               "LANGSO_SECRET_KEY": secrets.token_hex(32), "DJANGO_SETTINGS_MODULE": "langso.config.settings"}
        env.pop("LANGSO_TESTING", None)
        server_url = dbname = None
        if options["database"] == "postgres":
            server_url = _server_url(os.environ.get("DATABASE_URL", ""))
            dbname = f"langso_bench_{secrets.token_hex(4)}"
            _admin_sql(server_url, f'CREATE DATABASE "{dbname}"')
            env["DATABASE_URL"] = _with_dbname(server_url, dbname)
        else:
            env["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
        try:
            worker = ["bench", "--worker", "--households", str(options["households"]), "--seed", str(options["seed"]),
                      "--chunk-size", str(options["chunk_size"]), "--repeat", str(options["repeat"])]
            out = self._child(worker, env)
            results = json.loads(out.strip().splitlines()[-1])
        finally:
            if options["keep"]:
                self.stderr.write(f"kept: DATABASE_URL={env['DATABASE_URL']} LANGSO_VAR_DIR={workdir}")
            else:
                if dbname:
                    _admin_sql(server_url, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                shutil.rmtree(workdir, ignore_errors=True)
        results["database"] = options["database"]
        results["machine"] = _machine()
        return results

    def _child(self, argv: list[str], env: dict[str, str]) -> str:
        proc = subprocess.run([sys.executable, "-m", "django", *argv], env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise CommandError(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n"
                               f"{proc.stderr[-4000:]}")
        return proc.stdout

    # --- child: generate, then time compute and the baseline ----------------------------------

    def _measure(self, options: dict[str, Any]) -> dict[str, Any]:
        from django.utils import timezone

        from langso.registry import demo
        from langso.territory.models import AdministrativeUnit

        setup: dict[str, float] = {}
        for name, argv, kwargs in [("migrate", ["migrate"], {"interactive": False, "verbosity": 0}),
                                   ("load_units", ["load_units"], {}),
                                   ("import_boundaries", ["import_boundaries"], {"shipped": True})]:
            t0 = time.perf_counter()
            call_command(*argv, stdout=open(os.devnull, "w"), **kwargs)
            setup[name] = round(time.perf_counter() - t0, 2)
        as_of = timezone.localdate()
        units = list(AdministrativeUnit.objects.current().communes().filter(province__code=PROVINCE).order_by("code"))
        if not units:
            raise CommandError(f"no current commune in province {PROVINCE}: did load_units run?")
        demo.tune_connection_for_bulk()
        cpu = time.process_time()
        report = demo.generate_population(None, units, options["households"], seed=options["seed"],
                                          chunk_size=options["chunk_size"], as_of=as_of)
        cpu = time.process_time() - cpu
        out: dict[str, Any] = {
            "households": report.households, "residents": report.residents, "businesses": report.businesses,
            "communes_generated": len(units),
            "generation": {
                "seconds": round(report.seconds, 3),
                "households_per_s": round(report.households / max(report.seconds, 1e-9)),
                "residents_per_s": round(report.residents / max(report.seconds, 1e-9)),
                "generate_thread_seconds": round(report.generate_seconds, 3),  # writer waiting for rows
                "write_seconds": round(report.write_seconds, 3),
                # CPU of this process (both threads; SQLite works in-process, PostgreSQL does not)
                "process_cpu_seconds": round(cpu, 3),
                "chunks": report.chunks,
                "chunk_size": options["chunk_size"],
                "producer": report.producer,
                "writers": report.writers,
            },
            "as_of": as_of.isoformat(),
            "setup_seconds": setup,
        }
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")
        out["analyze_seconds"] = round(time.perf_counter() - t0, 3)

        try:
            from langso.indicators.engine import compute
        except ImportError as exc:  # the engine is the lead's; the generation numbers still count
            compute = None
            out["compute_error"] = f"engine not available: {exc}"
        baseline_runs, compute_runs, compute_internal = [], [], []
        baseline = {}
        result = None
        for _ in range(max(1, options["repeat"])):
            t0 = time.perf_counter()
            baseline = run_baseline(as_of)
            baseline_runs.append(round(time.perf_counter() - t0, 4))
            if compute is not None:
                t0 = time.perf_counter()
                result = compute(as_of=as_of)
                compute_runs.append(round(time.perf_counter() - t0, 4))
                compute_internal.append(round(result.seconds, 4))
        out["baseline"] = {"runs": baseline_runs, "best": min(baseline_runs),
                           "totals": {k: sum(v[k] for v in baseline.values()) for k in BASELINE_METRICS}}
        if result is not None:
            out["compute"] = {"runs": compute_runs, "best": min(compute_runs), "reported_seconds": compute_internal,
                              "values_written": result.values_written, "communes": result.communes}
            if hasattr(result, "query_seconds"):
                out["compute"]["query_seconds"] = round(result.query_seconds, 4)
            out["ratio_compute_to_baseline"] = round(min(compute_runs) / min(baseline_runs), 2)
            out["counts_match"] = _compare_with_engine(baseline, as_of)
        return out


def _compare_with_engine(baseline: dict[int, dict[str, int]], as_of: dt.date) -> bool | str:
    """True when the engine's per-commune counts of the five registry metrics equal the baseline's."""
    try:
        from langso.indicators.engine import count_metrics
    except ImportError:
        return "not checked (no count_metrics)"
    counts = count_metrics(list(BASELINE_METRICS.values()), as_of)
    for column, code in BASELINE_METRICS.items():
        engine = {k: v for k, v in counts[code].items() if v}
        ours = {k: v[column] for k, v in baseline.items() if v[column]}
        if engine != ours:
            return f"mismatch in {code}"
    return True


def _server_url(database_url: str) -> str:
    """The PostgreSQL server to create the bench database on: ``DATABASE_URL`` if it is PostgreSQL."""
    if database_url.startswith(("postgres://", "postgresql://")):
        return database_url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def _with_dbname(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{dbname}", parts.query, parts.fragment))


def _admin_sql(server_url: str, sql: str) -> None:
    """Run ``sql`` (CREATE/DROP DATABASE) on the server's maintenance database, outside a transaction."""
    import psycopg

    with psycopg.connect(_with_dbname(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        with open("/proc/meminfo") as f:
            info["memory_gb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                        cwd=os.path.dirname(__file__)).stdout.strip()
    except OSError:
        pass
    return info


def format_table(r: dict[str, Any]) -> str:
    """The results as a plain-text table."""
    g = r["generation"]
    lines = [
        f"langso bench — {r['database']}, {r['households']:,} households, {r['residents']:,} residents, "
        f"{r['businesses']:,} businesses over {r['communes_generated']} communes (as of {r['as_of']})",
        f"machine: {r['machine']}",
        f"setup (s): {r['setup_seconds']}   analyze: {r['analyze_seconds']} s",
        "",
        f"{'step':<38}{'seconds':>10}{'rate':>26}",
        f"{'generation (end to end)':<38}{g['seconds']:>10.2f}{g['households_per_s']:>15,} hh/s",
        f"{'':<38}{'':>10}{g['residents_per_s']:>15,} res/s",
        f"{'  waiting for rows (' + g['producer'] + ' producer)':<38}{g['generate_thread_seconds']:>10.2f}",
        f"{'  writing (sum over ' + str(g['writers']) + ' writer(s))':<38}{g['write_seconds']:>10.2f}",
        f"{'  CPU of this process':<38}{g['process_cpu_seconds']:>10.2f}",
        f"{'baseline: one GROUP BY (best)':<38}{r['baseline']['best']:>10.3f}",
    ]
    if "compute" in r:
        c = r["compute"]
        lines.append(f"{'compute() full recompute (best)':<38}{c['best']:>10.3f}"
                     f"{c['values_written']:>15,} values")
        if "query_seconds" in c:
            lines.append(f"{'  of which counting queries (last run)':<38}{c['query_seconds']:>10.3f}")
        lines.append(f"{'ratio compute / baseline':<38}{r['ratio_compute_to_baseline']:>10.2f}")
        lines.append(f"counts equal to the engine's: {r['counts_match']}")
    else:
        lines.append(f"compute(): {r.get('compute_error')}")
    return "\n".join(lines)
