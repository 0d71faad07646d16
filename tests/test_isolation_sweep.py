"""Every route of the project, tried by the staff of another unit.

The sweep walks the URL resolver, so a route added later is tried without
anyone listing it here. Each id in a route is filled with an object of
``unit_a``; every account of ``unit_b`` (and ``unit_b``'s leader, a regional
leader) then requests it with GET and POST. A route that names an object of
``unit_a`` must answer 403 or 404 (or send the visitor to a sign-in page),
and no response, on any route, may show ``unit_a``'s convict. Afterwards
``unit_a``'s register must be exactly as it was.

A route whose ids the sweep cannot fill fails the test: add its keyword to
``TENANT_KWARGS`` or ``PLAIN_KWARGS`` below.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from cases import services
from cases.models import Event, EventKind, ExecutionCase, Unit, User
from monitoring.models import Deadline
from tests.conftest import TODAY, force_login_verified

# What the outsider must never see: unit_a's convict.
SECRET_NAME = "Trịnh Thị Bí Mật"
SECRET_ID_NUMBER = "031190001234"
SECRET_RESIDENCE = "Số 9 ngõ Kín, phường Thử Nghiệm"


@dataclass
class Objects:
    """One unit's objects that a route's ids can name."""

    case: ExecutionCase
    event: Event
    deadline: Deadline
    user: User
    _document: object = None

    def document(self):
        """A draft document of the case, made when a route first needs it."""
        if self._document is None:
            from documents import services as documents
            from documents.catalogue import FORMS

            code = next(iter(FORMS))
            fields = documents.draft_fields(code, self.case, self.user, TODAY)
            self._document = documents.create_document(
                self.case, code, fields, self.user
            )
        return self._document

    def violation(self):
        """A violation the prosecutor recorded on the case."""
        from violations.models import Violation

        found = Violation.objects.filter(case=self.case).first()
        if found is None:
            from violations import services as violations

            found = violations.add_manual(
                self.case,
                self.user,
                agency=self.case.judgment.court,
                title="Quyết định thi hành án ghi sai thời hạn",
                basis="Luật THAHS 2019, Điều 22",
                found_on=TODAY,
            )
        return found

    def action(self):
        """A draft recommendation citing that violation."""
        violation = self.violation()
        if violation.action_id is None:
            from violations import services as violations

            return violations.create_action(
                self.user, [violation], kind="recommendation"
            )
        return violation.action


# Ids of tenant objects: a route with one of these, filled with unit_a's
# object, is a foreign route for the outsider.
TENANT_KWARGS: dict[str, Callable[[Objects], object]] = {
    "pk": lambda objs: objs.case.pk,
    "event_pk": lambda objs: objs.event.pk,
    "deadline_pk": lambda objs: objs.deadline.pk,
    "violation_pk": lambda objs: objs.violation().pk,
    "action_pk": lambda objs: objs.action().pk,
    # The admin's object pages: the admin site itself is for staff only.
    "object_id": lambda objs: objs.case.pk,
    "version_id": lambda objs: objs.case.history.first().history_id,
    # The admin's password page of an account.
    "id": lambda objs: objs.user.pk,
    # A review round (đợt xét) of the case's own unit.
    "round_pk": lambda objs: _sweep_round(objs.case.unit).pk,
}
# Where an app's ``pk`` names its own object rather than a case.
APP_TENANT_KWARGS: dict[str, dict[str, Callable[[Objects], object]]] = {
    "documents": {"pk": lambda objs: objs.document().pk},
}
# Where one route's ``pk`` names yet another object.
ROUTE_TENANT_KWARGS: dict[str, dict[str, Callable[[Objects], object]]] = {
    "cases:cover_end": {"pk": lambda objs: _cover_in(objs.case.unit, objs.user).pk},
}


def _cover_in(unit: Unit, user: User):
    from cases.models import Cover

    cover, _ = Cover.objects.get_or_create(
        unit=unit,
        absent=user,
        cover=user,
        defaults={"start": TODAY, "end": TODAY + dt.timedelta(days=30)},
    )
    return cover


# Ids that name no tenant data.
PLAIN_KWARGS: dict[str, Callable[[Objects], object]] = {
    # A form's code and a template version: reference data of every unit.
    "code": lambda objs: _first_form_code(),
    "version": lambda objs: 1,
    "year": lambda objs: 2025,
    "app_label": lambda objs: "cases",
    "content_type_id": lambda objs: ContentType.objects.get_for_model(ExecutionCase).pk,
    "url": lambda objs: "khong-co",
}


def _sweep_round(unit: Unit):
    from monitoring.models import SweepRound

    sweep_round, _ = SweepRound.objects.get_or_create(
        scope=unit,
        defaults={
            "name": f"Đợt xét của {unit.code}",
            "kind": SweepRound.Kind.PROBATION_SHORTENING,
            "cut_off": TODAY,
        },
    )
    return sweep_round


def _first_form_code() -> str:
    from documents.catalogue import FORMS

    return next(iter(FORMS))


_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")


@dataclass
class Route:
    template: str  # "ho-so/{pk}/su-kien/{event_pk}/"
    kwargs: list[str]
    name: str

    @property
    def app(self) -> str:
        return self.name.split(":")[0] if ":" in self.name else ""


def _piece(pattern) -> str:
    """A pattern's text with each keyword as ``{name}``."""
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "regex") and text.startswith("^"):
        text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        text = _GROUP.sub(lambda m: "{" + m.group("name") + "}", text)
        return text.replace("\\", "")
    return _CONVERTER.sub(lambda m: "{" + m.group("name") + "}", text)


def _walk(patterns, prefix="", namespace="") -> list[Route]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            routes += _walk(pattern.url_patterns, prefix + _piece(pattern), inner)
        elif isinstance(pattern, URLPattern):
            template = prefix + _piece(pattern)
            routes.append(
                Route(
                    template=template,
                    kwargs=re.findall(r"{(\w+)}", template),
                    name=f"{namespace}{pattern.name or '(không tên)'}",
                )
            )
    return routes


def all_routes() -> list[Route]:
    return _walk(get_resolver().url_patterns)


def _fill(route: Route, values: dict[str, object]) -> str:
    return "/" + route.template.format(**{k: values[k] for k in route.kwargs})


def _variants(route: Route, foreign: Objects, own: Objects) -> list[str]:
    """Every foreign id alone among the outsider's own ids, and all foreign:
    a form or URL that mixes an own case with a foreign event must fail
    too."""
    unknown = [
        name
        for name in route.kwargs
        if name not in TENANT_KWARGS and name not in PLAIN_KWARGS
    ]
    assert not unknown, (
        f"The sweep cannot fill {unknown} in the route {route.name} "
        f"({route.template}); add them to TENANT_KWARGS or PLAIN_KWARGS."
    )
    tenant = {
        **TENANT_KWARGS,
        **APP_TENANT_KWARGS.get(route.app, {}),
        **ROUTE_TENANT_KWARGS.get(route.name, {}),
    }
    makers = {**PLAIN_KWARGS, **tenant}
    all_foreign = {name: makers[name](foreign) for name in route.kwargs}
    paths = [_fill(route, all_foreign)]
    for name in route.kwargs:
        if name in tenant:
            mixed = {k: makers[k](own) for k in route.kwargs}
            mixed[name] = tenant[name](foreign)
            paths.append(_fill(route, mixed))
    return list(dict.fromkeys(paths))


def _objects_of(unit: Unit, make_case, person: dict, user: User) -> Objects:
    case = make_case(unit, **person)
    event = services.add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 28),
        number="88/2025/QĐ-CA",
        user=user,
    )
    deadline = case.deadlines.first()
    assert deadline is not None, "the sweep needs a deadline on each case"
    return Objects(case=case, event=event, deadline=deadline, user=user)


def _snapshot(unit: Unit) -> dict:
    """unit_a's register as rows, to prove nothing changed."""
    from cases.models import Cover, Judgment, Person, Sentence
    from monitoring.models import DeadlineOverride
    from violations.models import Action, Violation

    rows = {}
    for model in (
        ExecutionCase,
        Event,
        Deadline,
        DeadlineOverride,
        Person,
        Judgment,
        Sentence,
        Violation,
        Action,
        Cover,
    ):
        manager = getattr(model, "all_objects", model.objects)
        rows[model.__name__] = sorted(
            (tuple(sorted(row.items())) for row in manager.filter(unit=unit).values()),
            key=repr,
        )
    return rows


def _is_sign_in_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith("/dang-nhap/") or location.startswith("/quan-tri/login/")
    )


@pytest.fixture
def outsiders(unit_b, prosecutor_b) -> list[User]:
    clerk_b = User.objects.create_user(
        "vanthu.b", password="x", full_name="Vũ Thị Mai", unit=unit_b, role="clerk"
    )
    leader_b = User.objects.create_user(
        "lanhdao.b", password="x", full_name="Đinh Văn Nam", unit=unit_b, role="leader"
    )
    return [prosecutor_b, clerk_b, leader_b]


def test_another_units_staff_reach_nothing_of_unit_a(
    unit_a, unit_b, prosecutor_a, outsiders, make_case, settings
):
    settings.DEBUG = False
    foreign = _objects_of(
        unit_a,
        make_case,
        {
            "full_name": SECRET_NAME,
            "id_number": SECRET_ID_NUMBER,
            "residence": SECRET_RESIDENCE,
            "prosecutor": prosecutor_a,
        },
        prosecutor_a,
    )
    own = _objects_of(unit_b, make_case, {"full_name": "Lý Văn Công"}, outsiders[0])
    # Made before the snapshot, so that it proves they too stay unchanged.
    foreign.action()
    _cover_in(unit_a, prosecutor_a)
    before = _snapshot(unit_a)
    routes = all_routes()
    assert any(route.kwargs for route in routes)

    failures = []
    for user in outsiders:
        client = Client(raise_request_exception=False)
        force_login_verified(client, user)
        for route in routes:
            for path in _variants(route, foreign, own):
                resolve(path)  # the filled route is a real route
                for method in ("get", "post"):
                    response = getattr(client, method)(path)
                    body = response.content.decode("utf-8", "replace")
                    label = f"{user.username} {method.upper()} {path} ({route.name})"
                    if any(
                        secret in body
                        for secret in (SECRET_NAME, SECRET_ID_NUMBER, SECRET_RESIDENCE)
                    ):
                        failures.append(f"{label}: shows unit_a's convict")
                    if response.status_code >= 500:
                        failures.append(f"{label}: {response.status_code}")
                    names_foreign = any(k in TENANT_KWARGS for k in route.kwargs)
                    if names_foreign and not (
                        response.status_code in (403, 404, 405)
                        or _is_sign_in_redirect(response)
                    ):
                        failures.append(f"{label}: answered {response.status_code}")
                    if "_auth_user_id" not in client.session:
                        # the route signed them out
                        force_login_verified(client, user)

    assert not failures, "\n".join(failures)
    assert _snapshot(unit_a) == before


def test_the_lists_of_another_unit_hold_nothing_of_unit_a(
    unit_a, unit_b, prosecutor_a, prosecutor_b, make_case, client_for
):
    make_case(unit_a, full_name=SECRET_NAME, prosecutor=prosecutor_a)
    client = client_for(prosecutor_b)

    # The search box echoes its words, so only part of the name is searched.
    for query in ("", "?q=Trịnh", "?q=bi mat", f"?unit={unit_a.pk}", "?status=open"):
        response = client.get("/ho-so/" + query)
        assert SECRET_NAME not in response.content.decode()


def test_an_unfillable_route_fails_the_sweep():
    route = Route(template="ho-so/{case_uuid}/", kwargs=["case_uuid"], name="x")

    with pytest.raises(AssertionError, match="cannot fill"):
        _variants(route, None, None)


def test_the_sweep_sees_the_routes_of_every_app():
    names = {route.name for route in all_routes()}

    assert {"cases:detail", "cases:event_edit", "monitoring:override"} <= names
    assert any(name.startswith("admin:") for name in names)
