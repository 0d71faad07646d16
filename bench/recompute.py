"""Time the nightly recomputation of every case against set-based SQL.

    python bench/recompute.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/sothuly_bench \\
        [--workers 1 2] [--chunk-size 2000] [--no-rerun] [--json out.json]

On a database made by ``bench/generate.py``:

1. ``monitoring.batch.recompute_cases`` over all cases, once per worker
   count, each time from empty deadline tables (the first computation of a
   register: every row inserted), then twice over the rows it left: as
   they are (the nightly run when nothing changed: no row written) and
   with every row replaced (``rewrite``, as after a rule edit). Each run is
   a fresh process, so its peak memory (RSS, with its worker processes)
   and CPU time are its own. Without autovacuum on the server, the
   deadline tables are analysed every 30 s during each run in its place.
2. The A5 and A7 due dates of every case in plain SQL: a working-day
   calendar for 2009-2035 from ``monitoring.calendar.get_calendar()`` in a
   temporary table, with each day's working-day ordinal and next working
   day (window functions); A5 = legal effect + 7 days rolled to the next
   working day, A7 = the 3rd working day after the QĐTHA. The SQL dates are
   checked against the engine's stored A5 and A7 rows.

Prints the figures, the ratio engine/SQL, the PostgreSQL settings that
matter and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import DEFAULT_URL, ROOT, say, setup_django  # noqa: E402

SETTINGS = [
    "server_version",
    "autovacuum",
    "shared_buffers",
    "work_mem",
    "maintenance_work_mem",
    "effective_cache_size",
    "synchronous_commit",
    "wal_level",
    "max_wal_size",
    "checkpoint_timeout",
    "checkpoint_completion_target",
    "max_parallel_workers_per_gather",
    "jit",
    "fsync",
    "full_page_writes",
]
CALENDAR_FIRST = "2009-01-01"
CALENDAR_LAST = "2035-12-31"


# The engine, one run per process ------------------------------------------------


def run_engine(args) -> dict:
    """One timed recomputation in this process (called by ``--child``)."""
    setup_django(args.database_url)
    from django.db import connection

    from cases.models import ExecutionCase
    from monitoring import batch

    if args.truncate:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE monitoring_deadline, monitoring_eligibilitydate, "
                "monitoring_datechange"
            )
    cases = ExecutionCase.objects.all()
    began = time.perf_counter()
    result = batch.recompute_cases(
        cases,
        reason="Đo hiệu năng",
        chunk_size=args.chunk_size,
        workers=args.child_workers,
        rewrite=args.rewrite,
    )
    seconds = time.perf_counter() - began
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "workers": args.child_workers,
        "from_empty": args.truncate,
        "rewrite": args.rewrite,
        "unchanged": result.unchanged,
        "cases": result.cases,
        "failed": result.failed,
        "problem_cases": result.problem_cases,
        "deadlines": result.deadlines,
        "eligibility": result.eligibility,
        "changes": result.changes,
        "seconds": seconds,
        "cases_per_second": result.cases / seconds,
        # ru_maxrss is in kilobytes on Linux; for children, the largest one.
        "peak_rss_mb": own.ru_maxrss / 1024,
        "peak_rss_children_mb": children.ru_maxrss / 1024,
        "cpu_seconds": own.ru_utime + own.ru_stime,
        "cpu_seconds_children": children.ru_utime + children.ru_stime,
    }


def engine_in_child(args, workers: int, truncate: bool, rewrite=False) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        "--database-url",
        args.database_url,
        "--chunk-size",
        str(args.chunk_size),
        "--child-workers",
        str(workers),
    ]
    if truncate:
        command.append("--truncate")
    if rewrite:
        command.append("--rewrite")
    child = subprocess.Popen(  # noqa: S603 - this script, with our own arguments
        command, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    analyses = 0
    while True:
        try:
            out, _ = child.communicate(timeout=ANALYZE_EVERY)
            break
        except subprocess.TimeoutExpired:
            analyses += _analyze_if_no_autovacuum()
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command, out)
    return {**json.loads(out.strip().splitlines()[-1]), "analyses": analyses}


# Without autovacuum (a server set up for tests may have it off) the deadline
# tables, emptied and refilled, would keep no statistics: the planner then
# reads each chunk's old rows with a sequential scan of the whole table, and
# the run slows down as the table grows. The benchmark stands in for
# autovacuum's ANALYZE, from this process, while the run goes on.
ANALYZE_EVERY = 30


def _analyze_if_no_autovacuum() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "on":
            return 0
        cursor.execute("ANALYZE monitoring_deadline, monitoring_eligibilitydate")
    return 1


# Set-based SQL -----------------------------------------------------------------

CALENDAR_SQL = """
CREATE TEMPORARY TABLE bench_calendar AS
SELECT day,
       working,
       -- working days up to and including this one
       count(*) FILTER (WHERE working) OVER (ORDER BY day) AS ordinal,
       -- this day if it is a working day, else the next working day
       min(day) FILTER (WHERE working) OVER (
           ORDER BY day ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING
       ) AS next_working
FROM bench_days;
ALTER TABLE bench_calendar ADD PRIMARY KEY (day);
CREATE INDEX ON bench_calendar (ordinal) WHERE working;
ANALYZE bench_calendar;
"""

# A5 (BLTTHS Art. 364): from the legal effect (first instance: the court's
# date, else pronouncement + 30 days rolled forward, + 1) or, on appeal,
# from the first-instance court's receipt of the ruling; + 7 days rolled to
# the next working day. A7 (Luật THAHS 2019 Art. 22(2)): the 3rd working
# day after the first QĐTHA (or its details.received_on).
DUES_SQL = """
CREATE TEMPORARY TABLE bench_sql_dues AS
WITH base AS (
    SELECT c.id AS case_id, s.kind, j.trial_stage, j.pronounced_on, j.effective_on
    FROM cases_executioncase c
    JOIN cases_judgment j ON j.id = c.judgment_id
    JOIN cases_sentence s ON s.case_id = c.id
),
appeal_received AS (
    SELECT case_id, min(date) AS day
    FROM cases_event
    WHERE kind = 'appeal_ruling_received_by_court' AND deleted_at IS NULL
    GROUP BY case_id
),
first_decision AS (
    SELECT DISTINCT ON (case_id)
           case_id, COALESCE((details ->> 'received_on')::date, date) AS day
    FROM cases_event
    WHERE kind = 'execution_decision_issued' AND deleted_at IS NULL
    ORDER BY case_id, date, id
),
a5_start AS (
    SELECT b.case_id,
           CASE WHEN b.trial_stage = 'first'
                THEN COALESCE(b.effective_on, window_end.next_working + 1)
                ELSE ar.day
           END AS start
    FROM base b
    LEFT JOIN bench_calendar window_end
           ON window_end.day = b.pronounced_on + 30
          AND b.trial_stage = 'first' AND b.effective_on IS NULL
    LEFT JOIN appeal_received ar ON ar.case_id = b.case_id
    WHERE b.kind IN ('prison', 'life', 'suspended', 'non_custodial_reform',
                     'expulsion')
)
SELECT b.case_id,
       a5.start AS a5_start,
       a5_due.next_working AS a5_due,
       fd.day AS a7_start,
       a7_due.day AS a7_due
FROM base b
LEFT JOIN a5_start a5 ON a5.case_id = b.case_id
LEFT JOIN bench_calendar a5_due ON a5_due.day = a5.start + 7
LEFT JOIN first_decision fd
       ON fd.case_id = b.case_id AND b.kind IN ('prison', 'life')
LEFT JOIN bench_calendar fd_cal ON fd_cal.day = fd.day
LEFT JOIN bench_calendar a7_due
       ON a7_due.working AND a7_due.ordinal = fd_cal.ordinal + 3
"""

CHECK_SQL = """
SELECT d.rule,
       count(*) AS compared,
       count(*) FILTER (
           WHERE COALESCE(d.computed_due, d.due)
                 IS DISTINCT FROM CASE d.rule WHEN 'A5' THEN s.a5_due
                                              ELSE s.a7_due END
              OR d.start IS DISTINCT FROM CASE d.rule WHEN 'A5' THEN s.a5_start
                                                  ELSE s.a7_start END
       ) AS different
FROM monitoring_deadline d
JOIN bench_sql_dues s ON s.case_id = d.case_id
WHERE d.rule IN ('A5', 'A7') AND (%s OR d.case_id %% 10 = 0)
GROUP BY d.rule
ORDER BY d.rule
"""

# Cases the SQL gives a date that the engine does not store (other than
# the cases whose facts conflict, for which the engine stores nothing).
MISSING_SQL = """
SELECT count(*) FILTER (WHERE s.a5_due IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM monitoring_deadline d
           WHERE d.case_id = s.case_id AND d.rule = 'A5')),
       count(*) FILTER (WHERE s.a7_due IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM monitoring_deadline d
           WHERE d.case_id = s.case_id AND d.rule = 'A7'))
FROM bench_sql_dues s
JOIN cases_executioncase c ON c.id = s.case_id
WHERE c.problems = '[]'::jsonb
"""


def run_sql(full_check: bool) -> dict:
    import datetime as dt

    from django.db import connection

    from monitoring.calendar import get_calendar

    cal = get_calendar()
    first = dt.date.fromisoformat(CALENDAR_FIRST)
    last = dt.date.fromisoformat(CALENDAR_LAST)
    days = [
        (first + dt.timedelta(days=n), cal.is_working_day(first + dt.timedelta(n)))
        for n in range((last - first).days + 1)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE IF EXISTS bench_sql_dues, bench_calendar, bench_days"
        )
        began = time.perf_counter()
        cursor.execute("CREATE TEMPORARY TABLE bench_days (day date, working bool)")
        with cursor.cursor.copy("COPY bench_days (day, working) FROM STDIN") as copy:
            for row in days:
                copy.write_row(row)
        for statement in CALENDAR_SQL.split(";"):
            if statement.strip():
                cursor.execute(statement)
        calendar_seconds = time.perf_counter() - began

        began = time.perf_counter()
        cursor.execute(DUES_SQL)
        cursor.execute("SELECT count(a5_due), count(a7_due) FROM bench_sql_dues")
        a5_rows, a7_rows = cursor.fetchone()
        dues_seconds = time.perf_counter() - began
        # Untimed: without statistics and an index the planner joins the
        # checks below by nested loops over the whole table.
        cursor.execute("CREATE INDEX ON bench_sql_dues (case_id)")
        cursor.execute("ANALYZE bench_sql_dues")

        began = time.perf_counter()
        cursor.execute(CHECK_SQL, [full_check])
        checked = {
            rule: {"compared": compared, "different": different}
            for rule, compared, different in cursor.fetchall()
        }
        cursor.execute(MISSING_SQL)
        missing_a5, missing_a7 = cursor.fetchone()
        cursor.execute(
            "SELECT d.case_id, d.rule, d.start, COALESCE(d.computed_due, d.due), "
            "s.a5_start, s.a5_due, s.a7_start, s.a7_due "
            "FROM monitoring_deadline d JOIN bench_sql_dues s USING (case_id) "
            "WHERE (d.rule = 'A5' AND COALESCE(d.computed_due, d.due) "
            "IS DISTINCT FROM s.a5_due) OR (d.rule = 'A7' AND "
            "COALESCE(d.computed_due, d.due) IS DISTINCT FROM s.a7_due) LIMIT 5"
        )
        examples = [[str(value) for value in row] for row in cursor.fetchall()]
        check_seconds = time.perf_counter() - began
    return {
        "calendar_days": len(days),
        "calendar_seconds": calendar_seconds,
        "seconds": dues_seconds,
        "a5_rows": a5_rows,
        "a7_rows": a7_rows,
        "checked": checked,
        "check_scope": "all cases" if full_check else "every 10th case",
        "sql_without_engine_row": {"A5": missing_a5, "A7": missing_a7},
        "different_examples": examples,
        "check_seconds": check_seconds,
    }


# The machine and the server ----------------------------------------------------


def machine() -> dict:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    disk = shutil.disk_usage("/work" if Path("/work").exists() else ROOT)
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "disk_free_gb": round(disk.free / 1e9, 1),
        "disk_total_gb": round(disk.total / 1e9, 1),
        "python": platform.python_version(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def server() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        settings = {}
        for name in SETTINGS:
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        settings["database_size"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT (SELECT count(*) FROM cases_executioncase), "
            "(SELECT count(*) FROM cases_event), "
            "pg_size_pretty(pg_total_relation_size('monitoring_deadline'))"
        )
        cases, events, deadline_size = cursor.fetchone()
    return {
        "settings": settings,
        "cases": cases,
        "events": events,
        "deadline_table_size": deadline_size,
    }


def report(results: dict) -> None:
    info = results["machine"]
    say(
        f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory_gb']} GB, "
        f"disk free {info['disk_free_gb']}/{info['disk_total_gb']} GB, "
        f"load average at start {info['load_average']}."
    )
    settings = results["server"]["settings"]
    say("PostgreSQL: " + ", ".join(f"{k}={v}" for k, v in settings.items()))
    say(
        f"Data: {results['server']['cases']} cases, {results['server']['events']} "
        "events."
    )
    for run in results["engine"]:
        kind = _run_kind(run)
        say(
            f"Engine, {run['workers']} worker(s), {kind}: {run['cases']} cases in "
            f"{run['seconds']:.1f} s = {run['cases_per_second']:.0f} cases/s; "
            f"{run['deadlines']} deadlines, {run['eligibility']} eligibility dates, "
            f"{run['changes']} moved dates, {run['problem_cases']} cases with "
            f"problems, {run['failed']} failed; peak RSS {run['peak_rss_mb']:.0f} MB "
            f"(largest worker {run['peak_rss_children_mb']:.0f} MB); CPU "
            f"{run['cpu_seconds'] + run['cpu_seconds_children']:.0f} s; "
            f"{run.get('analyses', 0)} ANALYZE in place of autovacuum."
        )
    sql = results["sql"]
    say(
        f"SQL: calendar of {sql['calendar_days']} days in "
        f"{sql['calendar_seconds']:.2f} s; A5 and A7 of every case in "
        f"{sql['seconds']:.1f} s ({sql['a5_rows']} A5, {sql['a7_rows']} A7)."
    )
    for rule, counts in sql["checked"].items():
        say(
            f"  {rule}: {counts['compared']} engine rows compared "
            f"({sql['check_scope']}), {counts['different']} different."
        )
    say(f"  SQL dates with no engine row: {sql['sql_without_engine_row']}.")
    for example in sql["different_examples"]:
        say(f"  different: {example}")
    for run in results["engine"]:
        say(
            f"Ratio engine/SQL ({run['workers']} worker(s), "
            f"{_run_kind(run)}): "
            f"{run['seconds'] / sql['seconds']:.1f}×"
        )


def _run_kind(run: dict) -> str:
    if run["from_empty"]:
        return "from empty tables"
    if run.get("rewrite"):
        return "replacing every row"
    return f"over its own rows, {run.get('unchanged', 0)} cases unchanged"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument(
        "--no-rerun",
        action="store_true",
        help="skip the run that replaces existing rows",
    )
    parser.add_argument(
        "--full-check",
        action="store_true",
        help="compare every case's A5/A7, not every 10th",
    )
    parser.add_argument(
        "--sql-only",
        action="store_true",
        help="only the SQL part, against the rows an earlier run left",
    )
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--truncate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rewrite", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        sys.stdout.write(json.dumps(run_engine(args)) + "\n")
        return

    setup_django(args.database_url)
    from django.core.management import call_command

    # A database generated before the latest migrations would fail every
    # chunk (and fall back to the slow path): bring it up to date first.
    call_command("migrate", verbosity=0)
    results = {"machine": machine(), "server": server(), "engine": []}
    say(f"Load average before the runs: {results['machine']['load_average']}")
    for workers in [] if args.sql_only else args.workers:
        say(f"Engine, {workers} worker(s), from empty tables …")
        results["engine"].append(engine_in_child(args, workers, truncate=True))
        # Each run's figures as soon as it ends: the next may take long.
        say(json.dumps(results["engine"][-1]))
    if not args.no_rerun and not args.sql_only:
        workers = max(args.workers)
        # The nightly run: nothing changed, so no row is written.
        say(f"Engine, {workers} worker(s), over its own rows (nothing changed) …")
        results["engine"].append(engine_in_child(args, workers, truncate=False))
        say(json.dumps(results["engine"][-1]))
        # After a rule edit that moves every date: every row replaced.
        say(f"Engine, {workers} worker(s), replacing every row …")
        results["engine"].append(
            engine_in_child(args, workers, truncate=False, rewrite=True)
        )
        say(json.dumps(results["engine"][-1]))
    say("Set-based SQL …")
    results["sql"] = run_sql(args.full_check)
    results["server"] = server()
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
