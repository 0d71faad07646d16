"""Response times of the morning pages, and the nightly job's duration.

    python bench/dashboards.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/sothuly_bench \\
        [--unit HP-KV1] [--province HP] [--requests 40] [--warmup 5] \\
        [--as-of 2026-12-03] [--skip-nightly] [--json out.json]

Runs on a database made by ``generate.py`` whose deadlines ``recompute.py``
(or ``manage.py recompute_deadlines``) computed. Migrates it (the dashboard
indexes), runs ANALYZE, then requests each page through Django's test
client, middleware and templates included, signed in as:

- the prosecutor of ``--unit`` with the most cases: their work list;
- a leader of ``--unit`` (made here): the work list of every prosecutor, the
  unit dashboard, the deadline list behind "overdue";
- a leader of ``--province`` (made here): the province dashboard.

Prints p50/p95/max per page, then times ``monitoring.jobs.run_monitoring``
(first run of the day, and a second run that finds every alert already
there; the job reads only the cases with something to alert about, which
``run.cases`` counts), and the machine and server (as ``recompute.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import DEFAULT_URL, say, setup_django  # noqa: E402
from recompute import machine, server  # noqa: E402


def _user(username: str, unit, role: str):
    from cases.models import User

    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"full_name": f"Bench {role}", "unit": unit, "role": role},
    )
    return user


def _client(user):
    """A test client signed in as ``user``, past the second step of sign-in
    when two-factor is installed (a confirmed TOTP device in the session)."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:
        return client
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def time_page(client, url: str, requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "url": url,
        "requests": requests,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
    }


def run(args) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from cases.models import ExecutionCase, Unit, User
    from monitoring import dashboard_views, jobs
    from monitoring.models import Alert, Deadline

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    as_of = args.as_of or timezone.localdate()
    # The pages judge statuses on this day.
    dashboard_views.today = lambda: as_of

    unit = Unit.objects.get(code=args.unit)
    province = Unit.objects.get(code=args.province)
    busiest = (
        ExecutionCase.objects.filter(unit=unit, prosecutor__isnull=False)
        .values("prosecutor_id")
        .annotate(total=Count("pk"))
        .order_by("-total")
        .first()
    )
    prosecutor = User.objects.get(pk=busiest["prosecutor_id"])
    leader = _user(f"bench.lanhdao.{unit.code.lower()}", unit, User.Role.LEADER)
    chief = _user(f"bench.lanhdao.{province.code.lower()}", province, "leader")
    sizes = {
        "unit_cases": ExecutionCase.objects.filter(unit=unit).count(),
        "unit_deadlines": Deadline.objects.filter(unit=unit).count(),
        "province_cases": ExecutionCase.objects.filter(
            unit_id__in=province.descendant_ids()
        ).count(),
        "prosecutor_cases": busiest["total"],
    }
    say(
        f"{args.unit}: {sizes['unit_cases']} cases, {sizes['unit_deadlines']} "
        f"deadlines; {args.province}: {sizes['province_cases']} cases; the "
        f"prosecutor's own cases: {sizes['prosecutor_cases']}; as of {as_of}."
    )

    pages = [
        ("work list, prosecutor's own", prosecutor, "/viec-cua-toi/"),
        ("work list, leader (every prosecutor)", leader, "/viec-cua-toi/?ksv="),
        ("unit dashboard", leader, "/giam-sat/"),
        ("deadlines behind 'overdue'", leader, "/giam-sat/thoi-han/?status=overdue"),
        ("province dashboard", chief, "/giam-sat/toan-tinh/"),
    ]
    results = []
    for label, user, url in pages:
        figures = time_page(_client(user), url, args.requests, args.warmup)
        figures["page"] = label
        results.append(figures)
        say(
            f"  {label:40} p50 {figures['p50_ms']:7.1f} ms  p95 "
            f"{figures['p95_ms']:7.1f} ms  max {figures['max_ms']:7.1f} ms"
        )

    nightly = []
    if not args.skip_nightly:
        Alert.objects.filter(day=as_of).delete()
        for label in ("first run of the day", "second run (alerts exist)"):
            start = time.perf_counter()
            record = jobs.run_monitoring(as_of)
            seconds = time.perf_counter() - start
            nightly.append(
                {
                    "run": label,
                    "seconds": round(seconds, 1),
                    "cases": record.cases,
                    "alerts_created": record.alerts_created,
                    "errors": len(record.errors),
                }
            )
            say(
                f"  nightly job, {label}: {seconds:.1f} s, {record.cases} cases "
                f"with alerts, {record.alerts_created} alerts created, "
                f"{len(record.errors)} errors"
            )
    return {
        "sizes": sizes,
        "as_of": as_of.isoformat(),
        "pages": results,
        "nightly": nightly,
        "machine": machine(),
        "server": server(),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--unit", default="HP-KV1")
    parser.add_argument("--province", default="HP")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--skip-nightly", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)

    setup_django(args.database_url)
    results = run(args)
    info = results["machine"]
    say(
        f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory_gb']} GB, "
        f"load average at the end {info['load_average']}; PostgreSQL "
        f"{results['server']['settings']['server_version']}, shared_buffers "
        f"{results['server']['settings']['shared_buffers']}, database "
        f"{results['server']['settings']['database_size']}."
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
