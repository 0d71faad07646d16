"""Which units a user may read and change.

Every view fetches tenant data through these helpers: a row outside the
user's scope is a 404, and a read-only scope trying to write gets a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases.models import AdminAccessLog, ExecutionCase, Unit, User


def readable_unit_ids(user: User) -> list[int]:
    if user.is_administrator:
        return list(Unit.objects.values_list("pk", flat=True))
    if user.unit_id is None:
        return []
    if user.role == User.Role.LEADER and user.unit.level == Unit.Level.PROVINCE:
        return user.unit.descendant_ids()
    return [user.unit_id]


def writable_unit_ids(user: User) -> list[int]:
    """Only a unit's own staff change its register; an administrator
    manages reference data and accounts, not cases."""
    if user.is_administrator or user.unit_id is None:
        return []
    return [user.unit_id]


def can_write(user: User, unit_id: int) -> bool:
    return unit_id in writable_unit_ids(user)


def cases_for(user: User):
    return ExecutionCase.objects.filter(unit_id__in=readable_unit_ids(user))


def record_admin_read(
    request, unit_id: int | None, case: ExecutionCase | None = None
) -> None:
    """Record an administrator's read of a unit's cases (``None``: a list
    across every unit)."""
    user = request.user
    if user.is_administrator and (unit_id is None or unit_id != user.unit_id):
        AdminAccessLog.objects.create(
            user=user, unit_id=unit_id, case=case, path=request.path[:500]
        )


def get_case(request, pk: int, *, write: bool = False) -> ExecutionCase:
    """The case with this id if the user may see it; 404 otherwise."""
    case = (
        cases_for(request.user)
        .select_related(
            "unit",
            "person",
            "judgment__court",
            "judgment__first_instance_court",
            "sentence",
            "prosecutor",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("Không tìm thấy hồ sơ.")
    if write and not can_write(request.user, case.unit_id):
        raise PermissionDenied("Bạn chỉ được xem hồ sơ này, không được sửa.")
    record_admin_read(request, case.unit_id, case)
    return case
