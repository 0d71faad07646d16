"""Unit isolation in PostgreSQL: row-level security under the scope helpers.

The views already fetch every tenant row through ``cases.scoping``; these
policies are the second layer, so that a bug in a view, a raw query or a
forgotten filter still cannot read or change another unit's rows.

Policies
    Every tenant table gets one policy, ``sothuly_unit_scope``, with row
    level security enabled and forced (forced so that the table owner is
    held too: in CI and in a one-role deployment the application role owns
    its tables). A tenant table is the table of any concrete model with a
    ``unit`` foreign key to ``cases.Unit``: the ``TenantModel`` subclasses,
    their django-simple-history ``Historical*`` tables and
    ``cases.AdminAccessLog`` (an administrator's reads, themselves done in
    the ``all`` scope). The policies are (re)applied by a ``post_migrate``
    handler, so a model added later by anyone is covered by the next
    ``migrate`` without a migration of its own; the handler only touches a
    table whose policy is missing or out of date (the policy's comment
    carries a hash of its expression). ``EXEMPT`` lists the two tables with
    a unit column that are deliberately not tenant data.

Settings
    The policies read two settings: ``sothuly.scope`` (``all``, ``units`` or
    anything else, which means no rows) and ``sothuly.units`` (a comma list
    of unit ids, used with ``units``). A row is visible, and may be written,
    only when the scope is ``all`` or its ``unit_id`` is in the list. An
    unset setting reads as NULL and shows nothing: the database fails
    closed.

Web requests
    ``sothuly.middleware.RowLevelSecurityMiddleware`` runs each request in
    one transaction (ATOMIC_REQUESTS then makes the view a savepoint inside
    it, which still rolls a failed view back) and sets the scope with
    ``set_config(..., true)``, local to that transaction, from the user's
    readable units (``cases.scoping.readable_unit_ids``): their own unit, a
    provincial leader's own and the units below, ``all`` for an
    administrator (whose reads the application logs). A signed-out request
    gets no rows. The request's commit or rollback discards the local
    setting, so nothing reaches a pooled connection: one statement per
    request. Inside an enclosing transaction (a test's) the previous values
    are read and put back afterwards instead: two statements. Views that
    open their own ``transaction.atomic`` or lock rows with
    ``select_for_update`` (document numbering) get savepoints inside the
    request's transaction, whose locks last until the response is rendered.
    A streaming response (other than a file) is iterated in a second
    transaction with the same scope, since its body is produced after the
    middleware has returned.

Everything else
    Each new connection gets a session default from ``connection_created``:
    ``all`` in system processes (migrations, management commands such as
    ``seed_demo`` or ``import_cases``, the test runner), none in the web
    process (``sothuly/wsgi.py``, imported by runserver and gunicorn, calls
    ``mark_fail_closed``) and in Celery workers (``sothuly/celery.py``).
    Background jobs therefore name their scope: ``system_scope()`` for work
    across units, ``units_scope(ids)`` for one unit's work. Both also apply
    to connections opened inside the block (a reconnect, or the processes
    ``monitoring.batch`` forks), and both work in and out of a transaction
    (a session value outside one, so that a job's many transactions share
    it; put back on exit).

Roles
    Superusers and roles with BYPASSRLS ignore every policy. Migrations run
    as the tables' owner; the application connects as a role with neither
    attribute (README, "Row-level security"; ``.ci/run`` does the same).

What it does not do
    The scope is a setting the application itself makes, so code that can
    send arbitrary SQL as the application role could widen it; the policies
    guard against faulty views and forgotten filters, while SQL injection
    is kept out by the ORM and parameters. M2M link tables without a unit
    column carry only ids and are not covered.

On SQLite none of this exists: the application layer alone isolates units.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.apps import AppConfig, apps
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.http import FileResponse

logger = logging.getLogger(__name__)

SCOPE_SETTING = "sothuly.scope"
UNITS_SETTING = "sothuly.units"
POLICY = "sothuly_unit_scope"

# Tables with a unit column that hold no register data, by model label.
EXEMPT = {
    # Accounts: the sign-in reads them before anyone's scope is known, and a
    # user's unit is reference data, not a unit's register.
    "cases.user",
    # The installation's security log (sign-ins, failed sign-ins, exports):
    # written at sign-in before a scope exists, often with no unit at all,
    # and read only by administrators. It names accounts and object ids,
    # never a convict.
    "audit.auditlog",
}


class Scope(NamedTuple):
    scope: str
    units: str = ""


ALL = Scope("all")
NONE = Scope("none")

# The session default for new connections; mark_fail_closed() changes it.
_process_default: Scope = ALL
# The scope of the innermost scoped block in this thread or task, applied
# to connections opened inside it.
_active: ContextVar[Scope | None] = ContextVar("sothuly_rls_scope", default=None)


def units(unit_ids: Iterable[int]) -> Scope:
    return Scope("units", ",".join(str(int(pk)) for pk in unit_ids))


def scope_for(user) -> Scope:
    """The database scope of a signed-in user: what ``cases.scoping`` lets
    them read."""
    from cases.scoping import readable_unit_ids

    if user is None or not user.is_authenticated:
        return NONE
    if user.is_administrator:
        return ALL
    return units(readable_unit_ids(user))


# Policies ----------------------------------------------------------------------


def tenant_models(app_config: AppConfig | None = None) -> list:
    """Concrete models whose ``unit`` foreign key to Unit makes them tenant
    data (see ``EXEMPT`` for the exceptions)."""
    from cases.models import Unit

    models = app_config.get_models() if app_config else apps.get_models()
    found = []
    for model in models:
        opts = model._meta
        if opts.proxy or not opts.managed or opts.label_lower in EXEMPT:
            continue
        try:
            field = opts.get_field("unit")
        except FieldDoesNotExist:
            continue
        if field.concrete and field.many_to_one and field.related_model is Unit:
            found.append(model)
    return found


def policy_expression(column: str = "unit_id") -> str:
    # Each current_setting() sits in its own sub-select: PostgreSQL then
    # evaluates it once per query (an InitPlan) instead of once per row, and
    # the unit list can drive an index scan on the leading unit column.
    return (
        f"(SELECT current_setting('{SCOPE_SETTING}', true)) = 'all' OR ("
        f"(SELECT current_setting('{SCOPE_SETTING}', true)) = 'units' AND "
        f'"{column}" = ANY ((SELECT string_to_array('
        f"current_setting('{UNITS_SETTING}', true), ','))::bigint[]))"
    )


def _version(expression: str) -> str:
    digest = hashlib.sha256(expression.encode()).hexdigest()[:16]
    return f"sothuly unit scope {digest}"


def apply_policies(using: str = DEFAULT_DB_ALIAS, app_config=None) -> list[str]:
    """Enable, force and (re)create the policy on every tenant table that
    lacks it or has an older one; returns the tables changed."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    columns = {
        model._meta.db_table: model._meta.get_field("unit").column
        for model in tenant_models(app_config)
    }
    if not columns:
        return []

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname,
                   c.relrowsecurity AND c.relforcerowsecurity,
                   obj_description(p.oid, 'pg_policy')
            FROM pg_class c
            LEFT JOIN pg_policy p ON p.polrelid = c.oid AND p.polname = %s
            WHERE c.relkind IN ('r', 'p') AND c.relname = ANY(%s)
              AND pg_table_is_visible(c.oid)
            """,
            [POLICY, list(columns)],
        )
        present = {name: (forced, comment) for name, forced, comment in cursor}

    changed = []
    for table, column in sorted(columns.items()):
        if table not in present:
            # Not created yet: a migrate limited to some apps.
            continue
        expression = policy_expression(column)
        version = _version(expression)
        if present[table] == (True, version):
            continue
        name = connection.ops.quote_name(table)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {name}")
            cursor.execute(
                f"CREATE POLICY {POLICY} ON {name} "
                f"USING ({expression}) WITH CHECK ({expression})"
            )
            # The version is a hex digest of our own text: safe to inline
            # (COMMENT takes no parameters).
            cursor.execute(f"COMMENT ON POLICY {POLICY} ON {name} IS '{version}'")
            cursor.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
        changed.append(table)
    if changed:
        logger.info("Row-level security applied to %d tables", len(changed))
    return changed


def _on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    # Sent once per app after every migration ran (and after a test flush):
    # each app's tenant tables, and a cheap catalogue query when nothing
    # changed.
    apply_policies(using, app_config=sender)


# Scope settings ---------------------------------------------------------------


def _set(connection, scope: Scope, *, local: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, %s), set_config(%s, %s, %s)",
            [SCOPE_SETTING, scope.scope, local, UNITS_SETTING, scope.units, local],
        )


def _swap(connection, scope: Scope, *, local: bool) -> Scope:
    """Set ``scope`` and return the one it replaces, in one round trip (the
    pinned query counts of the pages include it)."""
    with connection.cursor() as cursor:
        # The materialised CTE is read before the outer row, and so before
        # its set_config() calls.
        cursor.execute(
            "WITH previous AS MATERIALIZED (SELECT current_setting(%s, true) "
            "AS scope, current_setting(%s, true) AS units) "
            "SELECT scope, units, set_config(%s, %s, %s), set_config(%s, %s, %s) "
            "FROM previous",
            [
                SCOPE_SETTING,
                UNITS_SETTING,
                SCOPE_SETTING,
                scope.scope,
                local,
                UNITS_SETTING,
                scope.units,
                local,
            ],
        )
        previous, previous_units, *_ = cursor.fetchone()
    return Scope(previous or "", previous_units or "")


def current_scope(using: str = DEFAULT_DB_ALIAS) -> Scope:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), current_setting(%s, true)",
            [SCOPE_SETTING, UNITS_SETTING],
        )
        scope, unit_list = cursor.fetchone()
    return Scope(scope or "", unit_list or "")


def _in_failed_transaction(connection) -> bool:
    if connection.needs_rollback:
        return True
    from psycopg.pq import TransactionStatus

    status = connection.connection.info.transaction_status
    return status == TransactionStatus.INERROR


@contextmanager
def scoped(scope: Scope, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block in ``scope``, then put the previous scope back.

    Inside a transaction the setting is local to it (a rollback undoes it
    too); outside one it is a session value, so that every transaction the
    block runs shares it.
    """
    connection = connections[using]
    outer = _active.get()
    _active.set(scope)
    if connection.vendor != "postgresql":
        try:
            yield
        finally:
            _active.set(outer)
        return

    connection.ensure_connection()
    raw = connection.connection
    local = connection.in_atomic_block
    previous = _swap(connection, scope, local=local)
    try:
        yield
    finally:
        _active.set(outer)
        _restore(connection, raw, previous, local)


def _restore(connection, raw, previous: Scope, local: bool) -> None:
    if connection.connection is None:
        # Closed inside the block; the next connection gets its default.
        return
    if connection.connection is not raw:
        # Reopened inside the block with the block's scope as its session
        # default: give it the default it would have had.
        previous, local = _active.get() or _process_default, False
    elif _in_failed_transaction(connection):
        # The rollback that must follow undoes a setting made in this
        # transaction; a session value from before it stays as it was.
        return
    try:
        _set(connection, previous, local=local)
    except DatabaseError:
        logger.exception("Could not restore the row-level security scope")
        if not connection.in_atomic_block:
            # A session that may keep a wider scope is not reused.
            connection.close()
        raise


def system_scope(using: str = DEFAULT_DB_ALIAS):
    """Every unit: for migrations, commands and jobs across units."""
    return scoped(ALL, using)


def units_scope(unit_ids: Iterable[int], using: str = DEFAULT_DB_ALIAS):
    """Only these units: for a background job working for one unit."""
    return scoped(units(unit_ids), using)


_role_checked = False


def _on_connection_created(sender, connection, **kwargs) -> None:
    global _role_checked
    if connection.vendor != "postgresql":
        return
    _set(connection, _active.get() or _process_default, local=False)
    if _process_default is NONE and not _role_checked:
        # Once per web or worker process: a role that passes through every
        # policy would silently undo all of the above.
        _role_checked = True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper OR rolbypassrls FROM pg_roles "
                "WHERE rolname = current_user"
            )
            if cursor.fetchone()[0]:
                logger.error(
                    "The database role bypasses row-level security (superuser "
                    "or BYPASSRLS): connect as a role without either (README)"
                )


def mark_fail_closed() -> None:
    """Make new connections of this process see no tenant rows until a
    request or a job sets its scope (the web process, Celery workers)."""
    global _process_default
    _process_default = NONE

    from django.conf import settings

    if not settings.configured:
        return
    for connection in connections.all(initialized_only=True):
        if (
            connection.vendor == "postgresql"
            and connection.connection is not None
            and not connection.in_atomic_block
        ):
            _set(connection, NONE, local=False)


def process_default() -> Scope:
    return _process_default


# Requests -----------------------------------------------------------------------


def handle_request(request, get_response):
    """The body of ``RowLevelSecurityMiddleware``."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return get_response(request)

    scope = scope_for(getattr(request, "user", None))
    with _request_transaction(connection, scope):
        response = get_response(request)

    if response.streaming and not isinstance(response, FileResponse):
        response.streaming_content = _stream_in_scope(
            connection, response.streaming_content, scope
        )
    return response


@contextmanager
def _request_transaction(connection, scope: Scope) -> Iterator[None]:
    if connection.in_atomic_block:
        # Already inside a transaction (a test's): set the scope in it and
        # put the previous one back afterwards.
        with scoped(scope, connection.alias):
            yield
        return

    # The usual case: the request's own transaction, whose end discards
    # the local setting, so one statement is all it costs.
    outer = _active.get()
    try:
        with transaction.atomic(using=connection.alias):
            _active.set(scope)
            _set(connection, scope, local=True)
            yield
    finally:
        _active.set(outer)


def _stream_in_scope(connection, content, scope: Scope):
    with _request_transaction(connection, scope):
        yield from content


class RowLevelSecurityConfig(AppConfig):
    """Connects the signal handlers; listed in INSTALLED_APPS."""

    name = "sothuly.rls"
    label = "sothuly_rls"
    verbose_name = "Row-level security"

    def ready(self) -> None:
        connection_created.connect(_on_connection_created, dispatch_uid=POLICY)
        post_migrate.connect(_on_post_migrate, dispatch_uid=POLICY)
