"""The ``langso`` command.

``langso demo``      set up everything on the embedded SQLite database (or ``DATABASE_URL``):
                     migrate, load units and boundaries, the indicator catalogue, the demo
                     population, the demo logins, compute indicators; ``--serve`` then serves.
``langso serve``     serve the platform with gunicorn (static files by WhiteNoise).
``langso <command>`` any Django management command (compute, bench, load_units, …).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

DEMO_PASSWORD = "langso-demo"
# The reference commune and four other communes of Phú Thọ that get a synthetic population.
DEMO_PROVINCE = "25"


def _prepare_environment() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langso.config.settings")
    if os.environ.get("LANGSO_SECRET_KEY") or os.environ.get("LANGSO_DEBUG") == "1":
        return
    # A local install gets a random key kept beside its database, made once.
    var_dir = Path(os.environ.get("LANGSO_VAR_DIR", Path.cwd() / "var"))
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ["LANGSO_SECRET_KEY"] = key_file.read_text().strip()


def _serve(host: str, port: int, workers: int, background: bool = True, scheduler: bool = True) -> None:
    """Serve with gunicorn; with ``background`` also run the task worker (``langso db_worker``)
    that carries out queued work such as large Excel imports, and with ``scheduler`` the
    scheduler (``langso scheduler``) that enqueues the nightly indicator computation and the daily
    outbreak evaluation; both stop when gunicorn stops."""
    import atexit
    import subprocess

    from gunicorn.app.wsgiapp import run

    if background:
        worker = subprocess.Popen([sys.executable, "-m", "langso.cli", "db_worker", "--no-reload"])
        atexit.register(worker.terminate)
        if scheduler:
            jobs = subprocess.Popen([sys.executable, "-m", "langso.cli", "scheduler"])
            atexit.register(jobs.terminate)
    sys.argv = [
        "gunicorn", "langso.config.wsgi:application", "--bind", f"{host}:{port}",
        "--workers", str(workers), "--threads", "4", "--access-logfile", "-",
    ]
    run()


def _demo_logins(codes: list[str]) -> list[tuple[str, str]]:
    """Create (idempotently) the demo superuser, province officer and commune officers."""
    from langso.accounts.actions import ensure_user, grant_membership
    from langso.accounts.models import Role
    from langso.territory.models import AdministrativeUnit

    province = AdministrativeUnit.objects.current().provinces().get(code=DEMO_PROVINCE)
    logins: list[tuple[str, str, Any, Any]] = [
        ("admin", "Quản trị hệ thống / superuser", None, None),
        ("tinh.phutho", f"Văn phòng Điều phối NTM {province.full_name} / province officer", province,
         Role.PROVINCE_OFFICER),
    ]
    for commune in AdministrativeUnit.objects.current().communes().filter(code__in=codes).order_by("code"):
        logins.append((f"xa.{commune.code}", f"Cán bộ {commune.full_name} / commune officer", commune,
                       Role.COMMUNE_OFFICER))
    for username, label, unit, role in logins:
        user = ensure_user(None, username, DEMO_PASSWORD, full_name=label, is_superuser=unit is None, is_staff=True)
        if unit is not None:
            grant_membership(None, user, unit, role)
    return [(username, label) for username, label, _, _ in logins]


def demo(args: argparse.Namespace) -> None:
    """Set up the whole demo; every step is idempotent, so running it again changes nothing."""
    import django

    os.environ.setdefault("LANGSO_PUBLIC_URL", f"http://{args.host}:{args.port}")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from langso.addressing.demo import issue_demo_addresses
    from langso.criteria.demo import issue_demo_assessments
    from langso.economy.demo import issue_demo_economy
    from langso.health.demo import issue_demo_health
    from langso.participation.demo import issue_demo_participation
    from langso.payments.demo import issue_demo_payment_profiles
    from langso.registry import demo as population
    from langso.registry.models import Household

    say = print
    say("== Làng số: cài đặt dữ liệu mẫu / setting up the demo ==")
    call_command("migrate", verbosity=0)
    call_command("load_units")
    call_command("import_boundaries", shipped=True)
    call_command("load_indicators")
    codes = args.communes.split(",") if args.communes else list(population.tables()["demo_places"]["default_communes"])
    if Household.objects.filter(commune__code__in=codes, commune__valid_to__isnull=True).exists():
        say("Dân cư mẫu đã có, bỏ qua / demo population already present, skipped")
    else:
        call_command("generate_population", households=args.households, seed=args.seed, communes=",".join(codes))
        if connection.vendor == "postgresql":  # fresh statistics, or the planner scans after a bulk load
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    logins = _demo_logins(codes)
    say(f"Mã QR thanh toán / payment QR codes: {issue_demo_payment_profiles(args.seed, codes)}")
    say(f"Địa chỉ số / digital addresses: {issue_demo_addresses(args.seed, codes)}")
    say(f"Y tế / health: {issue_demo_health(args.seed, codes)}")
    say(f"Kinh tế nông thôn / rural economy: {issue_demo_economy(args.seed, codes)}")
    call_command("demo_pki")
    call_command("sign_demo_documents")
    # After the signing credentials (the residence service needs them) and the logins.
    say(f"Tham gia của người dân / participation: {issue_demo_participation(args.seed, codes)}")
    from langso.registry.demo.places import assign_village_origins

    say(f"Thôn thuộc xã cũ / villages' former communes: {assign_village_origins(codes)}")
    # History: the last month of districts (values on the former districts, Decision 924's district targets),
    # then the current period (the latest, which the dashboards show).
    call_command("compute", as_of="2025-06-30")
    call_command("compute")
    # Assessments read the computed indicator values.
    say(f"Tiêu chí NTM / new-rural criteria assessments: {issue_demo_assessments(args.seed, codes)}")

    say("")
    say(f"Tài khoản mẫu / demo logins (mật khẩu / password: {DEMO_PASSWORD})")
    for username, label in logins:
        say(f"  {username:<14} {label}")
    say(f"  {'yte.<mã xã>':<14} Trạm y tế xã / commune health worker (e.g. yte.{codes[0]})")
    say("Mã PIN ký số DEMO / demo signing PIN: 246810 — xác thực văn bản / verify: /verify/ — dịch vụ / services: /services/")
    say(f"Mở / open http://{args.host}:{args.port}/")
    if args.serve:
        _serve(args.host, args.port, args.workers, background=not args.no_task_worker,
               scheduler=not args.no_scheduler)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    _prepare_environment()
    if argv and argv[0] in {"demo", "serve"}:
        parser = argparse.ArgumentParser(prog=f"langso {argv[0]}")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-task-worker", action="store_true",
                            help="do not start the background task worker (run `langso db_worker` yourself)")
        parser.add_argument("--no-scheduler", action="store_true",
                            help="do not start the scheduler of recurring jobs (run `langso scheduler` yourself)")
        if argv[0] == "demo":
            parser.add_argument("--households", type=int, default=20_000,
                                help="households over the demo communes (default 20000)")
            parser.add_argument("--seed", type=int, default=2025)
            parser.add_argument("--communes", help="comma-separated commune codes (default: five Phú Thọ communes)")
            parser.add_argument("--serve", action="store_true", help="serve after set-up")
        args = parser.parse_args(argv[1:])
        if argv[0] == "demo":
            demo(args)
        else:
            _serve(args.host, args.port, args.workers, background=not args.no_task_worker,
                   scheduler=not args.no_scheduler)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["langso", *argv])


if __name__ == "__main__":
    main()
