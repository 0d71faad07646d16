"""Row-level security: PostgreSQL keeps each unit's rows to itself even when
a query forgets the scope helpers (sothuly/rls.py).

The "views" here are plain functions run through RowLevelSecurityMiddleware
with raw SQL, exactly the kind of query the application layer cannot
check. On SQLite these tests skip: there the application layer alone
isolates units (tests/test_isolation_sweep.py, tests/test_hostile.py).
"""

import json
import os
import threading

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, connections, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from cases.models import ExecutionCase, RegisterSequence, User
from monitoring.models import Deadline
from sothuly import rls
from sothuly.middleware import RowLevelSecurityMiddleware


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Row-level security is PostgreSQL's; on SQLite the application "
            "layer alone isolates units."
        )


def _bypasses_rls() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def policies_apply(postgresql):
    """Skip where the connected role passes through every policy (a local
    superuser); CI connects as sothuly_app, and there
    test_the_application_role_is_held_by_the_policies makes sure of it."""
    if _bypasses_rls():
        pytest.skip(
            "The database role is a superuser or has BYPASSRLS, so no policy "
            "applies; connect as a role like .ci/run's sothuly_app."
        )


def _request_as(user, view):
    request = RequestFactory().get("/thu-rls/")
    request.user = user
    return RowLevelSecurityMiddleware(view)(request)


def _raw_units(table: str = "cases_executioncase") -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id FROM {table} ORDER BY unit_id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _raw_units_view(request):
    return HttpResponse(json.dumps(_raw_units()), content_type="application/json")


@pytest.fixture
def two_cases(make_case, unit_a, unit_b):
    return make_case(unit_a), make_case(unit_b)


# Reads -----------------------------------------------------------------------


def test_a_raw_query_in_a_request_for_unit_a_sees_no_row_of_unit_b(
    policies_apply, two_cases, prosecutor_a, unit_a, unit_b
):
    response = _request_as(prosecutor_a, _raw_units_view)

    assert json.loads(response.content) == [unit_a.pk]
    # Back in the system scope of the test, both are there: the request's
    # scope did not outlive it.
    assert sorted(_raw_units()) == sorted([unit_a.pk, unit_b.pk])


def test_history_rows_of_another_unit_are_hidden_too(
    policies_apply, two_cases, prosecutor_a, unit_a
):
    def view(request):
        units = _raw_units("cases_historicalexecutioncase")
        return HttpResponse(json.dumps(units))

    assert set(json.loads(_request_as(prosecutor_a, view).content)) == {unit_a.pk}


def test_a_provincial_leader_sees_the_units_below(
    policies_apply, two_cases, province_leader, unit_a, unit_b
):
    response = _request_as(province_leader, _raw_units_view)

    assert json.loads(response.content) == sorted([unit_a.pk, unit_b.pk])


def test_an_administrator_sees_every_unit(
    policies_apply, two_cases, administrator, unit_a, unit_b
):
    response = _request_as(administrator, _raw_units_view)

    assert json.loads(response.content) == sorted([unit_a.pk, unit_b.pk])


def test_a_signed_out_request_sees_no_tenant_row(policies_apply, two_cases):
    response = _request_as(AnonymousUser(), _raw_units_view)

    assert json.loads(response.content) == []


def test_a_user_without_a_unit_sees_nothing(policies_apply, two_cases, unit_a):
    drifter = User.objects.create_user(
        username="khong.don.vi", password="x", role=User.Role.PROSECUTOR
    )

    assert json.loads(_request_as(drifter, _raw_units_view).content) == []


def test_a_streamed_response_is_produced_in_the_request_scope(
    policies_apply, two_cases, prosecutor_a, unit_a
):
    def view(request):
        # The body runs after the middleware has returned.
        return StreamingHttpResponse(json.dumps(_raw_units()) for _ in range(1))

    response = _request_as(prosecutor_a, view)

    assert json.loads(b"".join(response.streaming_content)) == [unit_a.pk]


# Writes ----------------------------------------------------------------------


def test_an_update_of_unit_b_inside_unit_a_scope_changes_nothing(
    policies_apply, two_cases, prosecutor_a
):
    case_b = two_cases[1]
    deadlines_b = Deadline.objects.filter(case=case_b).count()
    changed = {}

    def view(request):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_executioncase SET register_number = 'sửa trộm' "
                "WHERE id = %s",
                [case_b.pk],
            )
            changed["updated"] = cursor.rowcount
            cursor.execute(
                "DELETE FROM monitoring_deadline WHERE case_id = %s", [case_b.pk]
            )
            changed["deleted"] = cursor.rowcount
        return HttpResponse()

    _request_as(prosecutor_a, view)

    assert changed == {"updated": 0, "deleted": 0}
    case_b.refresh_from_db()
    assert case_b.register_number != "sửa trộm"
    assert deadlines_b > 0
    assert Deadline.objects.filter(case=case_b).count() == deadlines_b


def test_an_insert_with_unit_b_inside_unit_a_scope_is_refused(
    policies_apply, prosecutor_a, unit_a, unit_b
):
    outcome = {}

    def view(request):
        for unit in (unit_b, unit_a):
            try:
                with transaction.atomic():
                    RegisterSequence.objects.create(unit=unit, year=2031)
            except DatabaseError as error:
                outcome[unit.code] = str(error)
            else:
                outcome[unit.code] = "ok"
        return HttpResponse()

    _request_as(prosecutor_a, view)

    assert "row-level security" in outcome[unit_b.code]
    assert outcome[unit_a.code] == "ok"
    assert list(
        RegisterSequence.objects.filter(year=2031).values_list("unit", flat=True)
    ) == [unit_a.pk]


def test_moving_a_row_to_another_unit_is_refused(
    policies_apply, two_cases, prosecutor_a, unit_b
):
    case_a = two_cases[0]
    outcome = {}

    def view(request):
        try:
            with transaction.atomic():
                ExecutionCase.objects.filter(pk=case_a.pk).update(unit=unit_b)
        except DatabaseError as error:
            outcome["error"] = str(error)
        return HttpResponse()

    _request_as(prosecutor_a, view)

    assert "row-level security" in outcome["error"]


# Scopes outside requests -------------------------------------------------------


def test_with_no_scope_set_a_query_returns_nothing(policies_apply, two_cases):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('sothuly.scope', '', true)")
        assert _raw_units() == []
        assert ExecutionCase.objects.count() == 0


def test_system_scope_sees_every_unit_and_then_gives_the_scope_back(
    policies_apply, two_cases, unit_a, unit_b
):
    with rls.units_scope([unit_a.pk]):
        assert _raw_units() == [unit_a.pk]
        with rls.system_scope():
            assert sorted(_raw_units()) == sorted([unit_a.pk, unit_b.pk])
        assert _raw_units() == [unit_a.pk]
    assert rls.current_scope() == rls.ALL


def test_a_failing_view_leaves_no_scope_behind(policies_apply, prosecutor_a):
    def view(request):
        raise RuntimeError("hỏng")

    with pytest.raises(RuntimeError):
        _request_as(prosecutor_a, view)

    assert rls.current_scope() == rls.ALL


def test_a_background_task_names_its_scope(
    policies_apply, two_cases, monkeypatch, unit_a, unit_b
):
    """A worker process sees nothing by itself; the task's own
    system_scope() lets it recompute every unit's cases."""
    from monitoring import services, tasks

    seen = {}

    def recompute_all(reason):
        seen["units"] = sorted(_raw_units())
        return len(seen["units"])

    monkeypatch.setattr(services, "recompute_all", recompute_all)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('sothuly.scope', 'none', true)")
        tasks.recompute_all_cases("thử")

    assert seen["units"] == sorted([unit_a.pk, unit_b.pk])


def test_a_web_process_connection_starts_with_no_scope(postgresql, monkeypatch):
    """sothuly/wsgi.py marks the web process: its connections see nothing
    until the middleware sets a request's scope. Checked on a connection of
    another thread, opened while the mark is on."""
    monkeypatch.setattr(rls, "_process_default", rls.NONE)
    found = {}

    def probe():
        try:
            found["scope"] = rls.current_scope()
            with rls.system_scope():
                found["inside"] = rls.current_scope()
            found["after"] = rls.current_scope()
        finally:
            connections.close_all()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()

    assert found == {"scope": rls.NONE, "inside": rls.ALL, "after": rls.NONE}


# Coverage and roles --------------------------------------------------------------


def test_every_table_with_a_unit_column_has_the_policy_enabled_and_forced(
    postgresql,
):
    exempt = {apps.get_model(label)._meta.db_table for label in rls.EXEMPT}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   EXISTS (SELECT 1 FROM pg_policies p
                           WHERE p.schemaname = n.nspname
                             AND p.tablename = c.relname
                             AND p.policyname = %s
                             AND p.cmd = 'ALL')
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
              AND a.attname = 'unit_id' AND NOT a.attisdropped
            ORDER BY c.relname
            """,
            [rls.POLICY],
        )
        tables = {name: flags for name, *flags in cursor.fetchall()}

    unprotected = {
        name: flags
        for name, flags in tables.items()
        if name not in exempt and flags != [True, True, True]
    }
    assert unprotected == {}
    # The register's main tables are among them, so the query finds them.
    for name in ("cases_executioncase", "cases_historicalevent", "monitoring_deadline"):
        assert tables[name] == [True, True, True]
    # And every model rls.tenant_models() knows is one of them.
    assert {m._meta.db_table for m in rls.tenant_models()} == set(tables) - exempt


def test_policies_are_applied_again_only_when_missing(postgresql):
    assert rls.apply_policies() == []

    with connection.cursor() as cursor:
        cursor.execute(f"DROP POLICY {rls.POLICY} ON cases_cover")
        cursor.execute("ALTER TABLE cases_cover NO FORCE ROW LEVEL SECURITY")

    assert rls.apply_policies() == ["cases_cover"]
    assert rls.apply_policies() == []


@pytest.mark.skipif(
    not os.environ.get("CI"),
    reason="Only CI promises a role without SUPERUSER and BYPASSRLS.",
)
def test_the_application_role_is_held_by_the_policies(postgresql):
    assert not _bypasses_rls()


# Settings (run on every database) ------------------------------------------------


def test_the_middleware_runs_right_after_authentication():
    middleware = settings.MIDDLEWARE
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")

    assert middleware[auth + 1] == "sothuly.middleware.RowLevelSecurityMiddleware"
