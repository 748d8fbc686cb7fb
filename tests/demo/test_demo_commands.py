"""The generate_population and bench commands (the timed runs themselves live in docs/benchmarks.md)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from langso.registry.management.commands import bench
from langso.registry.models import Household, Resident

AS_OF = dt.date(2026, 11, 29)


def test_generate_population_command(demo_units):
    out = io.StringIO()
    call_command("generate_population", "--communes", "09154,07900", "--households", "200", "--seed", "3",
                 "--as-of", "2026-11-29", stdout=out)
    assert Household.objects.count() == 200
    assert set(Household.objects.values_list("commune__code", flat=True)) == {"09154", "07900"}
    assert "200 hộ / households" in out.getvalue() and "households/s" in out.getvalue()


def test_generate_population_by_province(demo_units):
    call_command("generate_population", "--province", "25", "--households", "90", "--as-of", "2026-11-29",
                 stdout=io.StringIO())
    assert Household.objects.filter(commune__province=demo_units["province"]).count() == 90
    assert Household.objects.values("commune").distinct().count() == 3


def test_generate_population_refuses_a_populated_commune(demo_units):
    call_command("generate_population", "--communes", "09154", "--households", "10", stdout=io.StringIO())
    with pytest.raises(CommandError, match="fresh database"):
        call_command("generate_population", "--communes", "09154", "--households", "10", stdout=io.StringIO())
    assert Household.objects.count() == 10


def test_generate_population_names_unknown_communes(demo_units):
    with pytest.raises(CommandError, match="99999"):
        call_command("generate_population", "--communes", "09154,99999", stdout=io.StringIO())
    assert not Household.objects.exists()


def test_baseline_counts_what_the_registry_holds(demo_units):
    from langso.registry import demo

    demo.generate_population(None, [demo_units["vinh_phu"], demo_units["mai_chau"]], 300, seed=4, as_of=AS_OF)
    counts = bench.run_baseline(AS_OF)
    assert set(counts) == {demo_units["vinh_phu"].pk, demo_units["mai_chau"].pk}
    total = {key: sum(row[key] for row in counts.values()) for key in bench.BASELINE_METRICS}
    adult_born_by = dt.date(2011, 11, 29)
    assert total["households"] == Household.objects.count() == 300
    assert total["households_located"] == Household.objects.filter(latitude__isnull=False).count()
    assert total["residents"] == Resident.objects.count()
    assert total["adults"] == Resident.objects.filter(date_of_birth__lte=adult_born_by).count()
    assert total["adults_with_payment_account"] == Resident.objects.filter(
        date_of_birth__lte=adult_born_by, has_online_payment_account=True).count()


def test_years_before_handles_leap_days():
    assert bench.years_before(dt.date(2026, 11, 29), 15) == dt.date(2011, 11, 29)
    assert bench.years_before(dt.date(2028, 2, 29), 15) == dt.date(2013, 2, 28)


def test_bench_database_urls():
    assert bench._server_url("") == "postgres://postgres@127.0.0.1:5432/postgres"
    assert bench._server_url("sqlite:///x.db") == "postgres://postgres@127.0.0.1:5432/postgres"
    assert bench._server_url("postgres://u:p@db:5433/prod") == "postgres://u:p@db:5433/prod"
    assert bench._with_dbname("postgres://u:p@db:5433/prod?sslmode=require", "langso_bench_1") == (
        "postgres://u:p@db:5433/langso_bench_1?sslmode=require")


def test_format_table():
    results = {
        "database": "sqlite", "households": 10, "residents": 35, "businesses": 1, "communes_generated": 148,
        "as_of": "2026-11-29", "machine": {"cpus": 2}, "setup_seconds": {"migrate": 1.0}, "analyze_seconds": 0.1,
        "generation": {"seconds": 0.5, "households_per_s": 20, "residents_per_s": 70, "generate_thread_seconds": 0.2,
                       "write_seconds": 0.3, "process_cpu_seconds": 0.4, "producer": "thread",
                       "writers": 1},
        "baseline": {"best": 0.01},
        "compute": {"best": 0.012, "values_written": 8, "query_seconds": 0.005},
        "ratio_compute_to_baseline": 1.2, "counts_match": True,
    }
    table = bench.format_table(results)
    assert "ratio compute / baseline" in table and "1.20" in table and "20 hh/s" in table
    del results["compute"]
    results["compute_error"] = "engine not available"
    assert "engine not available" in bench.format_table(results)
