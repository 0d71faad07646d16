"""The test cast: one city procuracy with two regional units and their staff.

Every view test draws its people from here, so that the outsider (a member
of ``unit_b``) can be tried on every route of ``unit_a``.
"""

import os

# First, ahead of every import. pytest-django reads the settings before
# pytest loads this file, so a bare `pytest` keeps SOTHULY_ENV=development in
# this process (`make test` sets the variable on its command line); this line
# still passes it to every process the tests start.
os.environ.setdefault("SOTHULY_ENV", "test")

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from cases.models import (
    Agency,
    ExecutionCase,
    Instance,
    SentenceKind,
    Sex,
    Unit,
    User,
)
from cases.services import (
    ConvictInput,
    CrimeInput,
    create_judgment,
    open_case,
)

# Every account of the cast has this password, for tests that sign in
# through the login form (browser tests); view tests use force_login.
PASSWORD = "Thu@nghiem2026"

# The day the tests treat as today: after the default judgment took effect.
TODAY = dt.date(2025, 6, 2)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 at Django's default cost takes a few hundred milliseconds per
    # account; the cast creates up to nine of them per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> dt.date:
    return TODAY


# Units -----------------------------------------------------------------------


@pytest.fixture
def province(db) -> Unit:
    return Unit.objects.create(
        code="T-TINH",
        name="Viện kiểm sát nhân dân thành phố Thử Nghiệm",
        header_name="VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ THỬ NGHIỆM",
        place_name="Thử Nghiệm",
        level=Unit.Level.PROVINCE,
    )


@pytest.fixture
def unit_a(province) -> Unit:
    return Unit.objects.create(
        code="T-KV1",
        name="Viện kiểm sát nhân dân khu vực 1 - Thử Nghiệm",
        header_name="VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC 1 - THỬ NGHIỆM",
        place_name="Thử Nghiệm",
        level=Unit.Level.REGIONAL,
        parent=province,
    )


@pytest.fixture
def unit_b(province) -> Unit:
    return Unit.objects.create(
        code="T-KV2",
        name="Viện kiểm sát nhân dân khu vực 2 - Thử Nghiệm",
        header_name="VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC 2 - THỬ NGHIỆM",
        place_name="Thử Nghiệm",
        level=Unit.Level.REGIONAL,
        parent=province,
    )


@pytest.fixture
def court_a(unit_a) -> Agency:
    return Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân khu vực 1 - Thử Nghiệm",
        province=unit_a,
    )


# People ----------------------------------------------------------------------


def _user(username: str, full_name: str, unit: Unit, role: str, **extra) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        full_name=full_name,
        unit=unit,
        role=role,
        **extra,
    )


@pytest.fixture
def prosecutor_a(unit_a) -> User:
    return _user("ksv.a", "Nguyễn Thị Hường", unit_a, User.Role.PROSECUTOR)


@pytest.fixture
def clerk_a(unit_a) -> User:
    return _user("vanthu.a", "Trần Văn Bình", unit_a, User.Role.CLERK)


@pytest.fixture
def leader_a(unit_a) -> User:
    return _user("lanhdao.a", "Lê Minh Châu", unit_a, User.Role.LEADER)


@pytest.fixture
def prosecutor_b(unit_b) -> User:
    return _user("ksv.b", "Phạm Quốc Dũng", unit_b, User.Role.PROSECUTOR)


@pytest.fixture
def province_leader(province) -> User:
    return _user("lanhdao.tinh", "Hoàng Thị Lan", province, User.Role.LEADER)


@pytest.fixture
def administrator(province) -> User:
    return _user(
        "quantri",
        "Đỗ Văn Khánh",
        province,
        User.Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )


def force_login_verified(client: Client, user: User) -> Client:
    """``client.force_login`` as a full sign-in would leave the session.

    An account that must use two-factor (leaders, administrators) is given
    an authenticator and its session marked as having passed the second
    step; tests of the sign-in itself use the login form instead.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sothuly.twofactor import has_device, requires_two_factor

    client.force_login(user)
    if requires_two_factor(user) or has_device(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="default")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(db) -> Callable[[User], Client]:
    """A test client signed in as the given user (see force_login_verified)."""

    def make(user: User) -> Client:
        return force_login_verified(Client(), user)

    return make


# Cases -----------------------------------------------------------------------

_JUDGMENT_FIELDS = {
    "number",
    "court",
    "instance",
    "pronounced_on",
    "effective_on",
    "first_instance_number",
    "first_instance_court",
    "first_instance_pronounced_on",
}
_OPEN_CASE_FIELDS = {"register_date", "recompute"}


@pytest.fixture
def make_case(db) -> Callable[..., ExecutionCase]:
    """Enter a judgment and one convict in a unit's register.

    Keywords naming a judgment field (``number``, ``court``,
    ``pronounced_on``, ``effective_on``, ``instance``, ...) go to
    ``create_judgment``, ``register_date`` and ``recompute`` to
    ``open_case``, everything else to ``ConvictInput``. The default is
    2 years' imprisonment for theft (Article 173) on a first-instance
    judgment pronounced 20/03/2025 that took effect on 22/04/2025.
    """

    def make(unit: Unit, **kw) -> ExecutionCase:
        judgment_kw = {
            "number": "12/2025/HS-ST",
            "instance": Instance.FIRST,
            "pronounced_on": dt.date(2025, 3, 20),
            "effective_on": dt.date(2025, 4, 22),
        }
        judgment_kw.update({k: kw.pop(k) for k in _JUDGMENT_FIELDS & kw.keys()})
        judgment_kw.setdefault("court", None)
        if judgment_kw["court"] is None:
            judgment_kw["court"] = _court_of(unit)
        open_kw = {"register_date": judgment_kw["effective_on"] or TODAY}
        open_kw.update({k: kw.pop(k) for k in _OPEN_CASE_FIELDS & kw.keys()})
        convict_kw = {
            "full_name": "Nguyễn Văn An",
            "sex": Sex.MALE,
            "birth_year": 1990,
            "sentence_kind": SentenceKind.PRISON,
            "term_years": 2,
            "crimes": [CrimeInput("173")],
        }
        convict_kw.update(kw)

        judgment = create_judgment(unit=unit, **judgment_kw)
        return open_case(judgment, ConvictInput(**convict_kw), **open_kw)

    return make


def _court_of(unit: Unit) -> Agency:
    """The unit's court (``court_a`` for ``unit_a`` once that exists)."""
    court = Agency.objects.filter(kind=Agency.Kind.COURT, province=unit).first()
    if court is None:
        court = Agency.objects.create(
            kind=Agency.Kind.COURT,
            name=f"Tòa án nhân dân - {unit.name}",
            province=unit,
        )
    return court
