"""Fill an empty installation with a realistic demo: Hải Phòng's units,
accounts for every role, and a few thousand register entries with the
history a prosecutor would have entered.

Everything is drawn from ``random.Random(seed)`` and dated against a fixed
demo day, so that one seed always gives the same register. The cases are
planned in memory first (judgments, people, sentences, events), then the
court and document numbers are given in date order, and finally everything
is written through ``cases.services`` so that the demo holds exactly what
the screens would have produced.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from cases import services
from cases.management.commands.load_reference import (
    commune_name,
    commune_police_name,
    load_document,
    old_commune_name,
    parse_date,
    ward_label,
    ward_prefix,
)
from cases.models import (
    Agency,
    Custody,
    Event,
    EventKind,
    ExecutionCase,
    Instance,
    Judgment,
    Obligations,
    Person,
    Sentence,
    SentenceKind,
    Sex,
    SupplementaryKind,
    Unit,
    User,
)
from monitoring import dates
from monitoring.calendar import get_calendar
from monitoring.engine import propose_legal_effect
from monitoring.models import SweepRound
from violations.demo import seed_actions
from violations.receivers import deferred as violations_deferred

DEMO_PASSWORD = "Demo@2026!"  # noqa: S105 - the published password of the demo accounts
DEMO_URL = "http://127.0.0.1:8000/"
# The demo's "today": nothing is dated after it, whatever the clock says,
# so that a seed always gives the same data.
DEMO_TODAY = dt.date(2026, 12, 3)
FIRST_PRONOUNCED = dt.date(2023, 1, 3)
LAST_PRONOUNCED = dt.date(2026, 11, 27)

POLICE_REFORM = dt.date(2025, 3, 1)  # district police abolished (TTLT 02/2025)
COURT_REFORM = dt.date(2025, 7, 1)  # regional courts and procuracies
LAW_2025 = dt.date(2026, 7, 1)  # Luật THAHS 127/2025: commune police supervise

PROVINCIAL_COURT = "Tòa án nhân dân thành phố Hải Phòng"
HIGH_COURT = "Tòa án nhân dân cấp cao tại Hà Nội"
PROVINCIAL_AGENCY = "Cơ quan Thi hành án hình sự Công an thành phố Hải Phòng"
DETENTION_CENTRE = "Trại tạm giam Công an thành phố Hải Phòng"
PRISON_DEPARTMENT = (
    "Cục Cảnh sát quản lý trại giam, cơ sở giáo dục bắt buộc, trường giáo dưỡng"
    " - Bộ Công an"
)
PRISONS = [
    ("Trại giam Xuân Nguyên", 60),
    ("Trại giam Hoàng Tiến", 20),
    ("Trại giam Nam Hà", 10),
    ("Trại giam Ba Sao", 10),
]

# --- Vietnamese names --------------------------------------------------------

# Family names with their approximate share in the north (Nguyễn ~38 %).
FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4.5),
    ("Vũ", 4), ("Phan", 3), ("Đặng", 2.2), ("Bùi", 2.2), ("Đỗ", 2),
    ("Ngô", 1.4), ("Dương", 1.1), ("Đinh", 1), ("Đào", 1), ("Hồ", 0.8),
    ("Mai", 0.7), ("Lương", 0.6), ("Trịnh", 0.6), ("Đoàn", 0.6), ("Võ", 0.5),
    ("Cao", 0.5), ("Lý", 0.4), ("Tạ", 0.4), ("Phùng", 0.4), ("Lưu", 0.4),
    ("Huỳnh", 0.3), ("Vương", 0.3), ("Nghiêm", 0.2),
]  # fmt: skip
MALE_MIDDLE = [
    ("Văn", 40), ("Hữu", 6), ("Đức", 8), ("Minh", 7), ("Quang", 6), ("Công", 5),
    ("Thành", 4), ("Xuân", 4), ("Mạnh", 3), ("Duy", 3), ("Quốc", 3), ("Trọng", 3),
    ("Đình", 3), ("Ngọc", 2), ("Tiến", 2), ("Việt", 2), ("Hoàng", 2), ("Bá", 1),
]  # fmt: skip
FEMALE_MIDDLE = [
    ("Thị", 50), ("Ngọc", 8), ("Thu", 7), ("Thanh", 7), ("Minh", 5), ("Hồng", 5),
    ("Thùy", 4), ("Phương", 4), ("Kim", 3), ("Bích", 2), ("Diệu", 2), ("Khánh", 2),
]  # fmt: skip
MALE_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Long", "Nam", "Quân", "Sơn",
    "Tuấn", "Việt", "Thắng", "Toàn", "Hiếu", "Huy", "Khánh", "Phong", "Tùng",
    "Trung", "Đạt", "Hưng", "Kiên", "Lâm", "Mạnh", "Nghĩa", "Phúc", "Thành",
    "Thịnh", "Tiến", "Trường", "Vinh", "Duy", "Đông", "Giang", "Hào", "Hòa",
    "Hoàng", "Lợi", "Tài", "Thuận", "Tú", "Chiến", "Đức", "Hiệp", "Khải",
]  # fmt: skip
FEMALE_GIVEN = [
    "Anh", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Phương", "Thảo",
    "Trang", "Yến", "Hà", "Hằng", "Hoa", "Huyền", "Nga", "Nhung", "Oanh",
    "Quyên", "Thủy", "Thúy", "Trinh", "Vân", "Dung", "Giang", "Hiền", "Liên",
    "Loan", "Nhàn", "Duyên",
]  # fmt: skip
# A second middle name ("Nguyễn Thị Thu Hương") for some people.
SECOND_MIDDLE = {
    Sex.MALE: ["Minh", "Đức", "Quang", "Anh", "Hoàng"],
    Sex.FEMALE: ["Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim"],
}
HAMLETS = [
    "Thôn Đông", "Thôn Tây", "Thôn Nam", "Thôn Bắc", "Thôn Trung", "Thôn Thượng",
    "Thôn Hạ", "Thôn Đoài", "Thôn Tân Lập", "Thôn An Lạc", "Thôn Phú Xá",
    "Thôn Cẩm Khê", "Thôn Kim Sơn", "Thôn Đại Lộc", "Thôn Lương Khê",
]  # fmt: skip
# Ages at judgment, in bands with their weight.
AGE_BANDS = [
    ((16, 17), 3), ((18, 24), 22), ((25, 34), 33), ((35, 44), 22),
    ((45, 54), 12), ((55, 64), 6), ((65, 70), 2),
]  # fmt: skip

# --- Crimes and sentences ----------------------------------------------------

# Main penalty shares (prison ~45 %, suspended ~30 %, CTKGG ~12 %, fine ~6 %,
# warning ~2 %, life ~1 %). Death sentences are left out: their QĐTHA waits
# for the review and clemency procedure (BLTTHS Art. 367), which A5 does not
# model yet, so each would show as a false overdue. Expulsion concerns
# foreigners only.
KIND_WEIGHTS = [
    (SentenceKind.PRISON, 46),
    (SentenceKind.SUSPENDED, 30),
    (SentenceKind.NON_CUSTODIAL_REFORM, 12),
    (SentenceKind.FINE, 6),
    (SentenceKind.WARNING, 2),
    (SentenceKind.LIFE, 1),
]
# Which crimes lead to which penalty, by Penal Code article and weight.
KIND_CRIMES = {
    SentenceKind.PRISON: [
        ("173", 24), ("249", 13), ("251", 9), ("174", 8), ("134", 7), ("171", 3),
        ("321", 2.5), ("168", 2), ("260", 2), ("255", 1.5), ("322", 1.5),
        ("256", 1.2), ("170", 1.2), ("175", 1.2), ("318", 1.2), ("250", 0.8),
        ("178", 0.8), ("323", 1), ("330", 1), ("304", 0.6), ("145", 0.5),
        ("123", 0.4), ("141", 0.4), ("290", 0.4), ("327", 0.4), ("328", 0.3),
        ("341", 0.3), ("201", 0.3), ("353", 0.2), ("128", 0.2), ("188", 0.2),
        ("354", 0.1),
    ],
    SentenceKind.SUSPENDED: [
        ("173", 18), ("134", 12), ("321", 12), ("260", 10), ("174", 8),
        ("318", 4), ("175", 3), ("178", 3), ("323", 3), ("330", 3), ("322", 2),
        ("201", 2), ("341", 1.5), ("157", 1), ("128", 1), ("145", 1),
        ("188", 0.8), ("190", 0.8), ("353", 0.5), ("170", 0.5), ("242", 0.5),
        ("290", 0.5), ("355", 0.3),
    ],
    SentenceKind.NON_CUSTODIAL_REFORM: [
        ("173", 14), ("134", 14), ("321", 14), ("260", 10), ("318", 6),
        ("178", 5), ("175", 3), ("323", 3), ("201", 3), ("330", 3), ("157", 1.5),
        ("155", 1), ("242", 1), ("128", 1),
    ],
    SentenceKind.FINE: [
        ("321", 40), ("322", 10), ("201", 10), ("260", 8), ("190", 6),
        ("188", 5), ("341", 4), ("242", 4), ("318", 4), ("191", 3), ("323", 3),
    ],
    SentenceKind.WARNING: [
        ("318", 30), ("155", 15), ("134", 15), ("321", 15), ("178", 10),
        ("157", 5),
    ],
    SentenceKind.LIFE: [("251", 60), ("123", 25), ("168", 10), ("250", 5)],
}  # fmt: skip
# Prison terms by clause: (clause, weight, least months, most months).
CLAUSES = {
    "123": [("1", 60, 144, 240), ("2", 40, 84, 180)],
    "128": [("1", 100, 12, 60)],
    "134": [("1", 50, 6, 36), ("2", 35, 24, 72), ("3", 15, 60, 120)],
    "141": [("1", 100, 24, 84)],
    "145": [("1", 100, 12, 60)],
    "168": [("1", 70, 36, 120), ("2", 30, 84, 180)],
    "170": [("1", 100, 12, 60)],
    "171": [("1", 70, 12, 60), ("2", 30, 36, 120)],
    "173": [("1", 80, 6, 36), ("2", 17, 24, 84), ("3", 3, 84, 180)],
    "174": [("1", 60, 6, 36), ("2", 30, 24, 84), ("3", 10, 84, 180)],
    "249": [("1", 75, 24, 60), ("2", 20, 60, 120), ("3", 5, 120, 180)],
    "250": [("1", 60, 24, 84), ("2", 40, 84, 180)],
    "251": [("1", 50, 24, 84), ("2", 40, 84, 180), ("3", 10, 180, 240)],
    "255": [("1", 80, 24, 84), ("2", 20, 84, 180)],
    "256": [("1", 100, 24, 84)],
    "260": [("1", 70, 12, 60), ("2", 30, 36, 120)],
    "304": [("1", 100, 12, 60)],
    "318": [("1", 100, 3, 24)],
    "321": [("1", 85, 3, 36), ("2", 15, 36, 84)],
    "322": [("1", 85, 12, 60), ("2", 15, 60, 120)],
    "327": [("1", 100, 12, 60)],
    "353": [("1", 100, 24, 84)],
    "354": [("1", 100, 24, 84)],
}
DEFAULT_CLAUSES = [("1", 100, 6, 36)]
LIFE_CLAUSE = {"251": "4", "123": "1", "168": "4", "250": "4"}
# Main fines in millions of đồng (the clause 1 ranges of the articles).
FINE_RANGE = {
    "321": (20, 100), "322": (100, 300), "201": (50, 200), "260": (30, 100),
    "190": (100, 500), "188": (50, 300), "341": (30, 100), "242": (50, 300),
    "318": (5, 50), "191": (50, 300), "323": (10, 100),
}  # fmt: skip
# Share of women among convicts, by article; 8 % otherwise.
FEMALE_SHARE = {
    "174": 0.25, "249": 0.08, "251": 0.12, "321": 0.15, "201": 0.2,
    "327": 0.5, "328": 0.5, "175": 0.2, "323": 0.15, "134": 0.03, "260": 0.03,
}  # fmt: skip
# A second crime sometimes tried together with the first.
COMPANION = {"134": "318", "173": "171", "174": "341", "251": "249", "171": "173"}
# Drug offences often carry a supplementary fine (BLHS Art. 249-256).
DRUG_ARTICLES = ("249", "250", "251", "255", "256")

CANCEL_REASONS = [
    "Vào sổ trùng với hồ sơ đã thụ lý của cùng người bị kết án.",
    "Vào sổ nhầm: người bị kết án cư trú ngoài địa bàn đơn vị.",
    "Nhập sai số bản án, đã thụ lý lại theo số mới.",
]


# --- Plans -------------------------------------------------------------------


@dataclass
class EventPlan:
    kind: str
    date: dt.date
    agency: str | None = None
    details: dict = field(default_factory=dict)
    # (issuer, suffix, with year) of a numbered document
    doc: tuple[str, str, bool] | None = None
    number: str = ""


@dataclass
class JudgmentPlan:
    index: int
    unit: str
    district: dict
    court: str
    instance: str
    pronounced_on: dt.date
    effective_on: dt.date | None
    effect: dt.date  # the date the A5 clock uses for a first-instance judgment
    serious: bool
    first_instance_court: str | None = None
    first_instance_pronounced_on: dt.date | None = None
    number: str = ""
    first_instance_number: str = ""
    qdtha_issue: dt.date | None = None
    qdtha_drawn: bool = False
    delivered: dt.date | None = None


@dataclass
class CasePlan:
    index: int
    judgment: JudgmentPlan
    convict: dict
    register_date: dt.date
    prosecutor: int
    events: list[EventPlan]


class Timeline:
    """The events of one case; the first event after the demo day ends it,
    so that no later step exists without the earlier ones."""

    def __init__(self) -> None:
        self.events: list[EventPlan] = []
        self.stopped = False

    def add(self, kind, day, agency=None, details=None, doc=None) -> dt.date | None:
        if self.stopped or day is None:
            return None
        if day > DEMO_TODAY:
            self.stopped = True
            return None
        self.events.append(EventPlan(kind, day, agency, details or {}, doc))
        return day

    def first(self, kind: str) -> dt.date | None:
        return next((e.date for e in self.events if e.kind == kind), None)


def weighted(rng: random.Random, pairs):
    items = [item for item, _ in pairs]
    weights = [weight for _, weight in pairs]
    return rng.choices(items, weights)[0]


def vietnamese_name(rng: random.Random, sex: str) -> str:
    """Family name, middle name(s) and given name, in the Vietnamese order."""
    family = weighted(rng, FAMILY_NAMES)
    if sex == Sex.MALE:
        middle, givens = weighted(rng, MALE_MIDDLE), MALE_GIVEN
    else:
        middle, givens = weighted(rng, FEMALE_MIDDLE), FEMALE_GIVEN
    given = rng.choice(givens)
    while given == middle:
        given = rng.choice(givens)
    parts = [family, middle]
    if rng.random() < (0.12 if sex == Sex.FEMALE else 0.05):
        second = rng.choice(SECOND_MIDDLE[sex])
        if second not in (middle, given):
            parts.append(second)
    parts.append(given)
    return " ".join(parts)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def term_end(start: dt.date, months: int, days: int, credit_days: int) -> dt.date:
    """End of a term less credited days, with 30-day months
    (legal-rules.md, "Terms and fractions use one arithmetic")."""
    total = max(0, months * 30 + days - credit_days)
    whole_months, rest = divmod(total, 30)
    return dates.add_months(start, whole_months) + dt.timedelta(days=rest)


class Planner:
    """Draws the demo's judgments, convicts and event histories."""

    def __init__(self, seed: int, document: dict):
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.cal = get_calendar()
        self.city = document["city"]
        self.districts = document["districts"]
        self.regional_court = {
            agency["unit"]: agency["name"]
            for agency in document["agencies"]
            if agency["kind"] == "court"
            and (agency.get("unit") or "").startswith("HP-KV")
            and agency.get("valid_from") == document["communes_from"]
        }
        self.id_numbers: set[str] = set()

    # Calendar helpers

    def working_on_or_after(self, day: dt.date) -> dt.date:
        while not self.cal.is_working_day(day):
            day += dates.ONE_DAY
        return day

    def working_on_or_before(self, day: dt.date) -> dt.date:
        while not self.cal.is_working_day(day):
            day -= dates.ONE_DAY
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        if count <= 0:
            return self.working_on_or_after(day)
        return dates.after_working_days(day, count, self.cal).due

    def later(self, day: dt.date, low: int, high: int) -> dt.date:
        """A working day ``low``-``high`` calendar days after ``day``."""
        return self.working_on_or_after(day + dt.timedelta(self.rng.randint(low, high)))

    def within(self, start: dt.date, due: dt.date) -> dt.date:
        """A working day in [start, due], the due date being one."""
        span = (due - start).days
        options = [
            start + dt.timedelta(days=offset)
            for offset in range(span + 1)
            if self.cal.is_working_day(start + dt.timedelta(days=offset))
        ]
        return self.rng.choice(options or [due])

    # Geography

    def period_on(self, district: dict, day: dt.date) -> dict:
        """The district's name period in force on ``day`` (the last one
        after the districts were abolished)."""
        chosen = district["periods"][0]
        for period in district["periods"]:
            start = parse_date(period.get("valid_from"))
            if start is None or start <= day:
                chosen = period
        return chosen

    def court_on(self, district: dict, day: dt.date) -> str:
        if day >= COURT_REFORM:
            return self.regional_court[district["unit"]]
        return self.period_on(district, day)["court"]

    def executing_court_on(self, judgment: JudgmentPlan, day: dt.date) -> str:
        """The first-instance court, or its successor after the reform."""
        first = judgment.first_instance_court or judgment.court
        if first == PROVINCIAL_COURT:
            return first
        return self.court_on(judgment.district, day)

    def execution_agency_on(self, district: dict, day: dt.date) -> str:
        if day >= POLICE_REFORM:
            return PROVINCIAL_AGENCY
        return self.period_on(district, day)["execution_agency"]

    def commune_on(self, district: dict, ward: dict, day: dt.date) -> str:
        """The body supervising a convict at home on ``day``."""
        if day < COURT_REFORM:
            return old_commune_name(ward, self.period_on(district, day), self.city)
        if day < LAW_2025:
            return commune_name(ward["new"], self.city)
        return commune_police_name(ward["new"], self.city)

    def residence(self, district: dict, ward: dict, day: dt.date) -> str:
        rng = self.rng
        if day < COURT_REFORM:
            period = self.period_on(district, day)
            place = ward_label(ward, period)
            urban = ward_prefix(ward, period) in ("phường", "thị trấn")
        else:
            place = ward["new"]
            urban = not place.startswith("xã")
        if urban:
            hamlet = f"Tổ dân phố {rng.randint(1, 28)}"
        elif rng.random() < 0.3:
            hamlet = f"Thôn {rng.randint(1, 12)}"
        else:
            hamlet = rng.choice(HAMLETS)
        return f"{hamlet}, {place}, {self.city}"

    # People

    def birth_date(self, day: dt.date) -> dt.date:
        low, high = weighted(self.rng, AGE_BANDS)
        age = self.rng.randint(low, high)
        birth = dt.date(day.year - age - 1, 1, 1) + dt.timedelta(
            self.rng.randint(0, 364)
        )
        while age_on(birth, day) > age:
            birth += dt.timedelta(days=30)
        while age_on(birth, day) < max(16, min(age, 70)):
            birth -= dt.timedelta(days=30)
        return birth

    def id_number(self, sex: str, birth: dt.date) -> str:
        """CCCD: province 031, century/sex digit, year, six random digits."""
        century = 0 if birth.year < 2000 else 2
        digit = century + (1 if sex == Sex.FEMALE else 0)
        while True:
            number = (
                f"031{digit}{birth.year % 100:02d}{self.rng.randint(0, 999999):06d}"
            )
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    # Sentences

    def months(self, low: int, high: int) -> int:
        """A term between ``low`` and ``high`` months, lighter ones more
        likely, in the round figures courts use."""
        raw = low + (high - low) * self.rng.random() ** 1.8
        step = 3 if raw < 12 else 6 if raw < 60 else 12
        if step == 12 and self.rng.random() < 0.3:
            step = 6
        value = int(round(raw / step) * step)
        return min(max(value, low), high)

    def sentence(self, kind: str, article: str) -> dict:
        rng = self.rng
        result: dict = {"sentence_kind": kind}
        clause = "1"
        if kind == SentenceKind.PRISON:
            clauses = CLAUSES.get(article, DEFAULT_CLAUSES)
            clause, _, low, high = rng.choices(clauses, [c[1] for c in clauses])[0]
            total = self.months(low, high)
            result["serious"] = high > 180
        elif kind == SentenceKind.LIFE:
            clause = LIFE_CLAUSE[article]
            total = 0
            result["serious"] = True
        elif kind == SentenceKind.SUSPENDED:
            _, _, low, high = CLAUSES.get(article, DEFAULT_CLAUSES)[0]
            total = self.months(max(6, min(low, 24)), min(high, 36))
            probation = 2 * total
            if rng.random() < 0.25:
                probation += rng.choice([-12, -6, 6, 12])
            probation = min(max(probation, 12, total), 60)
            result["probation_years"], result["probation_months"] = divmod(
                probation, 12
            )
        elif kind == SentenceKind.NON_CUSTODIAL_REFORM:
            total = self.months(6, rng.choice([18, 24, 36]))
        else:
            total = 0
        if kind == SentenceKind.FINE:
            low, high = FINE_RANGE.get(article, (10, 50))
            result["fine_amount"] = rng.randrange(low, high + 1, 5) * 1_000_000
        result["term_years"], result["term_months"] = divmod(total, 12)
        result["crimes"] = [services.CrimeInput(article, clause)]
        companion = COMPANION.get(article)
        if companion and kind != SentenceKind.WARNING and rng.random() < 0.08:
            result["crimes"].append(services.CrimeInput(companion, "1"))
        supplementary = []
        if article in DRUG_ARTICLES and rng.random() < 0.4:
            supplementary.append(
                services.SupplementaryInput(
                    SupplementaryKind.FINE,
                    fine_amount=rng.randrange(5, 51, 5) * 1_000_000,
                )
            )
        if article == "251" and total >= 84 and rng.random() < 0.2:
            supplementary.append(
                services.SupplementaryInput(
                    SupplementaryKind.RESIDENCE_BAN, years=rng.randint(1, 5)
                )
            )
        result["supplementary"] = supplementary
        return result

    # Judgments

    def pronounced_day(self) -> dt.date:
        span = (LAST_PRONOUNCED - FIRST_PRONOUNCED).days
        day = FIRST_PRONOUNCED + dt.timedelta(self.rng.randint(0, span))
        day = self.working_on_or_after(day)
        return day if day <= LAST_PRONOUNCED else self.working_on_or_before(day)

    def judgment(self, index: int, district: dict, serious: bool) -> JudgmentPlan:
        rng = self.rng
        day = self.pronounced_day()
        appeal = rng.random() < 0.09 and day - FIRST_PRONOUNCED > dt.timedelta(30)
        if not appeal:
            court = self.first_court(district, day, serious)
            proposed = propose_legal_effect(day, self.cal).date
            effective: dt.date | None = proposed
            draw = rng.random()
            if proposed > DEMO_TODAY or 0.86 <= draw < 0.98:
                effective = None
            elif draw >= 0.98:
                # Served late on an absent defendant: the court's papers
                # give a later date than the proposed one.
                late = proposed + dt.timedelta(rng.randint(5, 20))
                effective = late if late <= DEMO_TODAY else proposed
            return JudgmentPlan(
                index=index,
                unit=district["unit"],
                district=district,
                court=court,
                instance=Instance.FIRST,
                pronounced_on=day,
                effective_on=effective,
                effect=effective or proposed,
                serious=serious,
            )
        first_day = self.working_on_or_before(day - dt.timedelta(rng.randint(45, 150)))
        first_court = self.first_court(district, first_day, serious)
        return JudgmentPlan(
            index=index,
            unit=district["unit"],
            district=district,
            court=HIGH_COURT if first_court == PROVINCIAL_COURT else PROVINCIAL_COURT,
            instance=Instance.APPEAL,
            pronounced_on=day,
            # Appeal judgments take effect when pronounced (BLTTHS Art. 355).
            effective_on=day if rng.random() < 0.9 else None,
            effect=day,
            serious=serious,
            first_instance_court=first_court,
            first_instance_pronounced_on=first_day,
        )

    def first_court(self, district: dict, day: dt.date, serious: bool) -> str:
        # Before the reform, crimes punishable by more than 15 years were
        # tried at first instance by the provincial court (BLTTHS Art. 268).
        if serious and day < COURT_REFORM:
            return PROVINCIAL_COURT
        return self.court_on(district, day)

    # Convicts

    def convict(self, judgment: JudgmentPlan, sentence: dict, article: str) -> dict:
        rng = self.rng
        kind = sentence["sentence_kind"]
        day = judgment.first_instance_pronounced_on or judgment.pronounced_on
        sex = Sex.FEMALE if rng.random() < FEMALE_SHARE.get(article, 0.08) else Sex.MALE
        birth = self.birth_date(day)
        ward = rng.choice(judgment.district["wards"])
        data = {
            "full_name": vietnamese_name(rng, sex),
            "sex": sex,
            "birth_date": birth,
            "id_number": self.id_number(sex, birth),
            "ward": ward,
            **sentence,
        }
        data["custody"], data["detention"] = self.custody(kind, data, day)
        return data

    def custody(self, kind: str, data: dict, day: dt.date):
        rng = self.rng
        total = data["term_years"] * 12 + data["term_months"]
        if kind == SentenceKind.LIFE or (
            kind == SentenceKind.PRISON
            and total > 4
            and rng.random() < (0.85 if total > 36 else 0.55)
        ):
            held = (
                rng.randint(2, 10)
                if kind == SentenceKind.LIFE
                else rng.randint(2, min(10, total - 3))
            )
            start = day - dt.timedelta(days=held * 30 + rng.randint(0, 29))
            return Custody.DETAINED, [(start, None)]
        if kind in (SentenceKind.WARNING, SentenceKind.FINE) or rng.random() > 0.25:
            return Custody.AT_LIBERTY, []
        # Held for a while before trial, then released on bail.
        start = day - dt.timedelta(days=rng.randint(90, 360))
        length = rng.randint(3, 9) if rng.random() < 0.5 else rng.randint(30, 120)
        return Custody.AT_LIBERTY, [(start, start + dt.timedelta(days=length - 1))]

    # Events

    def events(self, judgment: JudgmentPlan, convict: dict) -> Timeline:
        tl = Timeline()
        district = judgment.district
        kind = convict["sentence_kind"]

        # The judgment reaches the procuracy; an appeal ruling reaches the
        # first-instance court, which starts A5.
        delivered_by = (
            judgment.court if judgment.court in (PROVINCIAL_COURT, HIGH_COURT) else None
        )
        # One delivery per judgment (BLTTHS Art. 262): co-defendants' cases
        # record the first one's day. Drawn for each convict all the same, so
        # that a seed gives the rest of the register it always gave.
        drawn = self.add_working_days(judgment.pronounced_on, self.rng.randint(1, 8))
        if judgment.delivered is None:
            judgment.delivered = drawn
        delivered = judgment.delivered
        tl.add(
            EventKind.JUDGMENT_DELIVERED,
            delivered,
            delivered_by or self.court_on(district, delivered),
        )
        start = judgment.effect
        if judgment.instance == Instance.APPEAL:
            received = self.later(judgment.pronounced_on, 5, 25)
            start = tl.add(
                EventKind.APPEAL_RULING_RECEIVED_BY_COURT,
                received,
                self.executing_court_on(judgment, received),
            )
            if start is None:
                return tl

        if kind == SentenceKind.WARNING:
            # Executed in the courtroom once the judgment takes effect.
            tl.add(EventKind.COMPLETED, start)
            return tl
        if kind == SentenceKind.FINE:
            if self.rng.random() < 0.7:
                tl.add(EventKind.COMPLETED, self.later(start, 30, 240))
            return tl

        issue = self.qdtha_issue(judgment, start)
        court = self.executing_court_on(judgment, issue) if issue else None
        if not tl.add(
            EventKind.EXECUTION_DECISION_ISSUED,
            issue,
            court,
            doc=(court, "QĐ-CA", True),
        ):
            return tl
        self.sending(tl, judgment, issue)

        if kind == SentenceKind.PRISON and convict["custody"] == Custody.AT_LIBERTY:
            self.prison_at_liberty(tl, judgment, convict, issue)
        elif kind in (SentenceKind.PRISON, SentenceKind.LIFE):
            self.prison_detained(tl, judgment, convict, issue)
        else:
            self.community(tl, judgment, convict, issue)
        return tl

    def qdtha_issue(self, judgment: JudgmentPlan, start: dt.date) -> dt.date | None:
        """One QĐTHA date per judgment: co-defendants get theirs together."""
        if judgment.qdtha_drawn:
            return judgment.qdtha_issue
        judgment.qdtha_drawn = True
        rng = self.rng
        due = dates.after_days(start, 7, self.cal).due
        recent = due > DEMO_TODAY - dt.timedelta(days=75)
        if rng.random() < (0.22 if recent else 0.012):
            issue = None  # never issued: an overdue A5
        elif rng.random() < 0.12:
            late = 1 + min(int(rng.expovariate(1 / 12)), 120)
            issue = self.working_on_or_after(due + dt.timedelta(days=late))
        else:
            issue = self.within(start, due)
        judgment.qdtha_issue = issue
        return issue

    def sending(self, tl: Timeline, judgment: JudgmentPlan, issue: dt.date) -> None:
        """A7/A8: the QĐTHA is sent to the procuracy within 3 working days;
        the register knows the sending date, the receipt date, or both."""
        rng = self.rng
        if rng.random() < 0.10:
            days = rng.randint(4, 15)
        else:
            days = weighted(rng, [(0, 20), (1, 35), (2, 25), (3, 20)])
        sent = self.add_working_days(issue, days) if days else issue
        mode = rng.random()
        if mode < 0.65:
            tl.add(
                EventKind.EXECUTION_DECISION_SENT,
                sent,
                self.executing_court_on(judgment, sent),
                {"recipient": "procuracy"},
            )
        if mode < 0.40:
            tl.add(EventKind.EXECUTION_DECISION_RECEIVED, self.later(sent, 1, 4))
        elif mode >= 0.65:
            tl.add(EventKind.EXECUTION_DECISION_RECEIVED, sent)

    def prison_at_liberty(self, tl, judgment, convict, issue) -> None:
        rng = self.rng
        district = judgment.district
        served = self.later(issue, 1, 10)
        served = tl.add(
            EventKind.EXECUTION_DECISION_SERVED,
            served,
            self.executing_court_on(judgment, served),
        )
        if not served:
            return
        due = dates.after_days(served, 7, self.cal).due
        draw = rng.random()
        began = None
        if draw < 0.06:
            began = self.postponement(tl, judgment, served)
        elif draw < 0.78:
            began = tl.add(
                EventKind.REPORTED_TO_SERVE, self.within(served + dates.ONE_DAY, due)
            )
        elif draw < 0.88:
            began = tl.add(EventKind.REPORTED_TO_SERVE, self.later(due, 1, 30))
        else:
            escort = self.add_working_days(due, rng.randint(2, 10))
            agency = self.execution_agency_on(district, escort)
            if not tl.add(
                EventKind.ESCORT_DECISION_ISSUED,
                escort,
                agency,
                doc=(agency, "QĐ-THAHS", False),
            ):
                return
            if draw < 0.96:
                day = self.add_working_days(escort, rng.randint(1, 7))
                began = tl.add(
                    EventKind.ESCORTED, day, self.execution_agency_on(district, day)
                )
            else:
                fled = tl.add(EventKind.ABSCONDED, self.later(escort, 1, 5))
                if not fled:
                    return
                wanted = self.add_working_days(fled, rng.randint(3, 15))
                agency = self.execution_agency_on(district, wanted)
                if not tl.add(
                    EventKind.WANTED_NOTICE_ISSUED,
                    wanted,
                    agency,
                    doc=(agency, "QĐ-TN", False),
                ):
                    return
                if rng.random() < 0.5:
                    return
                caught = self.later(wanted, 20, 400)
                began = tl.add(
                    EventKind.RECAPTURED,
                    caught,
                    self.execution_agency_on(district, caught),
                )
        if began:
            self.serve_prison(tl, convict, began, credit=self.credit(convict, 1))

    def postponement(self, tl, judgment, served) -> dt.date | None:
        """B: the convict asks for a postponement; the court grants it."""
        rng = self.rng
        district = judgment.district
        asked = self.later(served, 1, 5)
        court = self.executing_court_on(judgment, asked)
        if not tl.add(EventKind.POSTPONEMENT_REQUESTED, asked, court):
            return None
        granted = self.add_working_days(asked, rng.randint(2, 7))
        court = self.executing_court_on(judgment, granted)
        until = dates.add_months(granted, rng.randint(3, 12)) - dates.ONE_DAY
        if not tl.add(
            EventKind.POSTPONEMENT_GRANTED,
            granted,
            court,
            {"until": until.isoformat()},
            doc=(court, "QĐ-HPT", True),
        ):
            return None
        tl.add(EventKind.POSTPONEMENT_DECISION_RECEIVED, self.later(granted, 1, 6))
        day = self.add_working_days(granted, rng.randint(1, 5))
        tl.add(
            EventKind.AGENCY_RECEIVED_POSTPONEMENT_DECISION,
            day,
            self.execution_agency_on(district, day),
        )
        if rng.random() < 0.8:
            notice = dates.before_days(until, 7, self.cal).due
            notice = self.working_on_or_before(notice - dt.timedelta(rng.randint(0, 4)))
            tl.add(
                EventKind.POSTPONEMENT_EXPIRY_NOTIFIED,
                notice,
                self.executing_court_on(judgment, notice),
            )
        return tl.add(EventKind.REPORTED_TO_SERVE, self.later(until, 1, 7))

    def prison_detained(self, tl, judgment, convict, issue) -> None:
        """A9: the detention centre serves the QĐTHA, the provincial agency
        files and the ministry decides where the term is served."""
        rng = self.rng
        late = rng.random() < 0.08
        received = tl.add(
            EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
            self.add_working_days(
                issue, rng.randint(5, 12) if late else rng.randint(1, 4)
            ),
            DETENTION_CENTRE,
        )
        if not received:
            return
        tl.add(
            EventKind.EXECUTION_DECISION_SERVED,
            self.add_working_days(received, rng.randint(0, 1)),
            DETENTION_CENTRE,
        )
        reported = tl.add(
            EventKind.CONVICT_REPORTED_TO_PROVINCE,
            self.add_working_days(
                received, rng.randint(4, 8) if late else rng.randint(1, 3)
            ),
            DETENTION_CENTRE,
        )
        if not reported:
            return
        filed = tl.add(
            EventKind.PROVINCIAL_FILE_COMPLETED,
            self.add_working_days(reported, rng.randint(2, 5)),
            PROVINCIAL_AGENCY,
        )
        custody_start = convict["detention"][0][0]
        total = convict["term_years"] * 12 + convict["term_months"]
        end = None
        if convict["sentence_kind"] == SentenceKind.PRISON:
            end = term_end(custody_start, total, 0, 0)
        place = None
        # A9c: the Ministry's body decides the place for every convict in
        # custody; with under a year left it keeps them in the camp.
        decided = filed and tl.add(
            EventKind.PLACE_OF_SERVING_DECIDED,
            self.add_working_days(filed, rng.randint(2, 6)),
            PRISON_DEPARTMENT,
        )
        if decided and (end is None or (end - filed).days > 365):
            place = weighted(rng, PRISONS)
            if not tl.add(
                EventKind.ADMITTED_TO_PRISON, self.later(decided, 10, 45), place
            ):
                return
        if end is not None:
            self.complete_prison(tl, end, place or DETENTION_CENTRE)

    def serve_prison(self, tl, convict, began: dt.date, credit: int) -> None:
        total = convict["term_years"] * 12 + convict["term_months"]
        end = term_end(began, total, 0, credit)
        place = DETENTION_CENTRE
        if (end - began).days > 365 and self.rng.random() < 0.9:
            place = weighted(self.rng, PRISONS)
            if not tl.add(
                EventKind.ADMITTED_TO_PRISON, self.later(began, 20, 60), place
            ):
                return
        self.complete_prison(tl, end, place)

    def complete_prison(self, tl, end: dt.date, place: str) -> None:
        # F2: the prison notifies two months ahead; now and then late.
        notice = dates.add_months(end, -2) + dt.timedelta(
            days=self.rng.choice([-6, -4, -3, -2, -1, 0, 0, 5, 12])
        )
        if tl.events and notice <= tl.events[-1].date:
            # Under two months left on arrival: the notice can only be late.
            notice = self.later(tl.events[-1].date, 1, 10)
        if notice < end:
            tl.add(EventKind.PRISON_RELEASE_NOTICE, notice, place)
        if not tl.add(EventKind.COMPLETED, end, place):
            return
        suffix = "GCN-TTG" if place == DETENTION_CENTRE else "GCN-TG"
        if tl.add(
            EventKind.COMPLETION_CERTIFICATE_ISSUED,
            end,
            place,
            doc=(place, suffix, False),
        ):
            tl.add(EventKind.COMPLETION_CERTIFICATE_RECEIVED, self.later(end, 3, 20))

    def credit(self, convict: dict, ratio: int) -> int:
        """Days of pre-trial detention credited (1:1 prison, 1:3 CTKGG)."""
        days = sum(
            (end - start).days + 1
            for start, end in convict["detention"]
            if end is not None
        )
        return days * ratio

    def community(self, tl, judgment, convict, issue) -> None:
        """Suspended sentences and CTKGG: D4-D6, E4-E5, and from 1 July 2026
        the commune police's steps (R-C1, R-C2)."""
        rng = self.rng
        district, ward = judgment.district, convict["ward"]
        late = rng.random() < 0.10
        received = self.add_working_days(
            issue, rng.randint(6, 15) if late else rng.randint(1, 5)
        )
        if received >= LAW_2025:
            police = commune_police_name(ward["new"], self.city)
            if not tl.add(EventKind.COMMUNE_POLICE_RECEIVED_DECISION, received, police):
                return
            summoned = tl.add(
                EventKind.SUMMONED_TO_COMMUNE,
                self.add_working_days(received, self.step(0.12, 1, 3, 4, 10)),
                police,
            )
            if summoned:
                intake = tl.add(
                    EventKind.INTAKE_REPORTED,
                    self.add_working_days(summoned, self.step(0.1, 1, 3, 4, 8)),
                    police,
                )
                plan = tl.add(
                    EventKind.SUPERVISION_PLAN_ISSUED,
                    self.add_working_days(
                        intake or summoned, self.step(0.1, 1, 4, 6, 10)
                    ),
                    police,
                )
                month = plan
                while month:
                    month = dates.add_months(month.replace(day=1), 1)
                    signed = month + dt.timedelta(
                        rng.randint(5, 11) if rng.random() < 0.08 else rng.randint(0, 4)
                    )
                    month = tl.add(EventKind.MONTHLY_REPORT_SIGNED, signed, police)
        else:
            agency = self.execution_agency_on(district, received)
            if not tl.add(
                EventKind.AGENCY_RECEIVED_EXECUTION_DECISION, received, agency
            ):
                return
            summoned = self.add_working_days(received, self.step(0.12, 1, 3, 4, 10))
            if tl.add(
                EventKind.SUMMONED_TO_COMMUNE,
                summoned,
                self.commune_on(district, ward, summoned),
            ):
                opened = self.add_working_days(summoned, self.step(0.08, 1, 3, 4, 8))
                tl.add(
                    EventKind.SUPERVISION_FILE_OPENED,
                    opened,
                    self.commune_on(district, ward, opened),
                )
        if tl.stopped:
            return

        # When the term ends: probation runs from the first-instance
        # pronouncement (D2), CTKGG from the agency's receipt (E2).
        term = convict["term_years"] * 12 + convict["term_months"]
        if convict["sentence_kind"] == SentenceKind.SUSPENDED:
            start = judgment.first_instance_pronounced_on or judgment.pronounced_on
            months = convict["probation_years"] * 12 + convict["probation_months"]
            end = term_end(start, months, 0, 0)
            if months >= 24 and rng.random() < 0.08:
                end = self.shortening(tl, judgment, start, months) or end
        else:
            end = term_end(received, term, 0, self.credit(convict, 3))
        if tl.stopped:
            return
        summoned = tl.first(EventKind.SUMMONED_TO_COMMUNE)
        if summoned and rng.random() < 0.03:
            breach = summoned + dt.timedelta(rng.randint(30, 200))
            if breach < end:
                tl.add(
                    EventKind.BREACH_RECORDED,
                    breach,
                    self.commune_on(district, ward, breach),
                    {"second": False},
                )
        if tl.stopped or end > DEMO_TODAY:
            return
        tl.add(EventKind.COMPLETED, end)
        certified = self.add_working_days(end, self.step(0.1, 0, 3, 5, 20))
        agency = self.execution_agency_on(district, certified)
        if tl.add(
            EventKind.COMPLETION_CERTIFICATE_ISSUED,
            certified,
            agency,
            doc=(agency, "GCN-THAHS", False),
        ):
            tl.add(
                EventKind.COMPLETION_CERTIFICATE_RECEIVED, self.later(certified, 2, 10)
            )

    def shortening(self, tl, judgment, start, months) -> dt.date | None:
        """D11: after half the probation the court may shorten it."""
        rng = self.rng
        district = judgment.district
        half = term_end(start, 0, (months * 30 + 1) // 2, 0)
        report = self.later(half, 10, 60)
        agency = self.execution_agency_on(district, report)
        if not tl.add(EventKind.COMMUNE_REPORT_RECEIVED, report, agency):
            return None
        proposed = self.later(report, 3, 7)
        if not tl.add(
            EventKind.SHORTENING_PROPOSED,
            proposed,
            self.execution_agency_on(district, proposed),
        ):
            return None
        decided = self.add_working_days(proposed, rng.randint(3, 7))
        court = self.executing_court_on(judgment, decided)
        cut = rng.choice([3, 6, 6, 9, 12])
        if not tl.add(
            EventKind.PROBATION_SHORTENED,
            decided,
            court,
            {"by": {"years": 0, "months": cut, "days": 0}},
            doc=(court, "QĐ-TA", True),
        ):
            return None
        tl.add(
            EventKind.SHORTENING_SENT,
            self.add_working_days(decided, rng.randint(1, 4)),
            court,
        )
        return max(term_end(start, months - cut, 0, 0), decided + dates.ONE_DAY)

    def step(
        self, late_share: float, low: int, high: int, late_low: int, late_high: int
    ) -> int:
        if self.rng.random() < late_share:
            return self.rng.randint(late_low, late_high)
        return self.rng.randint(low, high)

    # The whole register

    def register_date(self, judgment: JudgmentPlan, tl: Timeline) -> dt.date:
        """Entered a few days after the QĐTHA (or the judgment) arrived."""
        received = tl.first(EventKind.EXECUTION_DECISION_RECEIVED)
        sent = tl.first(EventKind.EXECUTION_DECISION_SENT)
        delivered = tl.first(EventKind.JUDGMENT_DELIVERED)
        base = received or (sent + dt.timedelta(days=2) if sent else None)
        if base is None or self.rng.random() < 0.3:
            base = delivered or self.later(judgment.pronounced_on, 1, 3)
        day = self.later(base, 0, 4)
        return max(min(day, DEMO_TODAY), judgment.pronounced_on)

    def plan(self, total: int) -> list[CasePlan]:
        rng = self.rng
        district_weights = [(d, d["weight"]) for d in self.districts]
        cases: list[CasePlan] = []
        index = 0
        while len(cases) < total:
            district = weighted(rng, district_weights)
            size = min(weighted(rng, [(1, 80), (2, 14), (3, 6)]), total - len(cases))
            kind = weighted(rng, KIND_WEIGHTS)
            article = weighted(rng, KIND_CRIMES[kind])
            kinds = [kind]
            for _ in range(size - 1):
                # Co-defendants share the crime; their penalties may differ.
                other = kind if rng.random() < 0.6 else weighted(rng, KIND_WEIGHTS)
                if article not in dict(KIND_CRIMES[other]):
                    other = kind
                kinds.append(other)
            sentences = [self.sentence(kind, article) for kind in kinds]
            serious = any(sentence.get("serious") for sentence in sentences)
            judgment = self.judgment(index, district, serious)
            for position, sentence in enumerate(sentences):
                convict = self.convict(judgment, sentence, article)
                tl = self.events(judgment, convict)
                register = self.register_date(judgment, tl)
                convict["residence"] = self.residence(
                    district, convict["ward"], register
                )
                prosecutor = 0 if rng.random() < 0.55 else 1
                cases.append(
                    CasePlan(
                        index=index * 10 + position,
                        judgment=judgment,
                        convict=convict,
                        register_date=register,
                        prosecutor=prosecutor,
                        events=tl.events,
                    )
                )
            index += 1
        self.number(cases)
        return cases

    def number(self, cases: list[CasePlan]) -> None:
        """Court and document numbers run per issuer and year in date order,
        with the gaps left by documents outside this register."""
        rng = self.rng
        entries = []
        seen = set()
        for case in cases:
            judgment = case.judgment
            if judgment.index not in seen:
                seen.add(judgment.index)
                suffix = "HS-PT" if judgment.instance == Instance.APPEAL else "HS-ST"
                entries.append(
                    ((judgment.court, judgment.pronounced_on.year, suffix, True),
                     judgment.pronounced_on, judgment.index, judgment, "number")
                )  # fmt: skip
                if judgment.first_instance_court:
                    day = judgment.first_instance_pronounced_on
                    entries.append(
                        ((judgment.first_instance_court, day.year, "HS-ST", True),
                         day, judgment.index, judgment, "first_instance_number")
                    )  # fmt: skip
            for position, event in enumerate(case.events):
                if event.doc:
                    issuer, suffix, with_year = event.doc
                    entries.append(
                        ((issuer, event.date.year, suffix, with_year),
                         event.date, case.index * 100 + position, event, "number")
                    )  # fmt: skip
        entries.sort(key=lambda entry: (entry[0], entry[1], entry[2]))
        counters: dict[tuple, int] = defaultdict(int)
        for key, _, _, target, attribute in entries:
            _, year, suffix, with_year = key
            counters[key] += 1 + rng.choice([0, 0, 0, 1, 1, 2])
            value = counters[key]
            number = (
                f"{value:02d}/{year}/{suffix}" if with_year else f"{value:02d}/{suffix}"
            )
            setattr(target, attribute, number)


# --- Writing -----------------------------------------------------------------

REGIONAL_ROLES = [
    ("ksv", User.Role.PROSECUTOR),
    ("ksv2", User.Role.PROSECUTOR),
    ("lanhdao", User.Role.LEADER),
    ("vanthu", User.Role.CLERK),
]


def demo_users(rng: random.Random, units: list[Unit]) -> list[User]:
    """The demo accounts; existing ones are left as they are."""
    specs = []
    for unit in units:
        if unit.level == Unit.Level.PROVINCE:
            specs.append(("lanhdao.tinh", unit, User.Role.LEADER, False))
            specs.append(("quantri", unit, User.Role.ADMIN, True))
            continue
        suffix = unit.code.split("-")[-1].lower()
        specs.extend(
            (f"{prefix}.{suffix}", unit, role, False) for prefix, role in REGIONAL_ROLES
        )
    # One hash for every account: PBKDF2 takes a third of a second each.
    password = make_password(DEMO_PASSWORD)
    users = []
    for username, unit, role, admin in specs:
        sex = Sex.FEMALE if rng.random() < 0.45 else Sex.MALE
        full_name = vietnamese_name(rng, sex)
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "unit": unit,
                "role": role,
                "is_staff": admin,
                "is_superuser": admin,
                "password": password,
            },
        )
        users.append(user)
    return users


def demo_devices(users: list[User]) -> list[tuple[str, str]]:
    """A confirmed authenticator for every demo account that must use
    two-factor, with a secret fixed by the account name, so a newcomer can
    type it into an app (or ``oathtool --totp -b SECRET``). Returns
    (account, base32 secret) for the summary."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sothuly.twofactor import requires_two_factor

    rows = []
    for user in sorted(users, key=lambda user: user.username):
        if not requires_two_factor(user):
            continue
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            # Published with the demo, like its password: never a real secret.
            raw = hashlib.sha256(f"sothuly-demo:{user.username}".encode()).digest()
            device = TOTPDevice.objects.create(
                user=user, name="default", key=raw[:20].hex()
            )
        rows.append((user.username, base64.b32encode(device.bin_key).decode()))
    return rows


def write_cases(plans: list[CasePlan], units: dict[str, Unit], users: list[User]):
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    prosecutors = defaultdict(list)
    for user in sorted(users, key=lambda user: user.username):
        if user.role == User.Role.PROSECUTOR:
            prosecutors[user.unit_id].append(user)
    judgments = {}
    written = []
    for plan in sorted(plans, key=lambda plan: (plan.register_date, plan.index)):
        draft = plan.judgment
        unit = units[draft.unit]
        judgment = judgments.get(draft.index)
        if judgment is None:
            judgment = services.create_judgment(
                unit=unit,
                number=draft.number,
                court=agencies[draft.court],
                instance=draft.instance,
                pronounced_on=draft.pronounced_on,
                effective_on=draft.effective_on,
                first_instance_number=draft.first_instance_number,
                first_instance_court=agencies.get(draft.first_instance_court or ""),
                first_instance_pronounced_on=draft.first_instance_pronounced_on,
            )
            judgments[draft.index] = judgment
        convict = plan.convict
        prosecutor = prosecutors[unit.pk][plan.prosecutor]
        case = services.open_case(
            judgment,
            services.ConvictInput(
                full_name=convict["full_name"],
                sex=convict["sex"],
                sentence_kind=convict["sentence_kind"],
                birth_date=convict["birth_date"],
                id_number=convict["id_number"],
                residence=convict["residence"],
                custody=convict["custody"],
                term_years=convict["term_years"],
                term_months=convict["term_months"],
                probation_years=convict.get("probation_years", 0),
                probation_months=convict.get("probation_months", 0),
                fine_amount=convict.get("fine_amount"),
                crimes=convict["crimes"],
                supplementary=convict["supplementary"],
                detention=convict["detention"],
                prosecutor=prosecutor,
            ),
            register_date=plan.register_date,
            recompute=False,
        )
        for event in sorted(plan.events, key=lambda event: event.date):
            services.add_event(
                case,
                kind=event.kind,
                date=event.date,
                number=event.number,
                agency=agencies[event.agency] if event.agency else None,
                details=event.details,
                user=prosecutor,
                recompute=False,
            )
        written.append(case)
    return written


def recompute(case_ids, batch: int = 400) -> None:
    """Status and deadlines of each case, through the services, with the
    rows they read fetched in batches rather than case by case."""
    ids = list(case_ids)
    for first in range(0, len(ids), batch):
        cases = (
            ExecutionCase.objects.filter(pk__in=ids[first : first + batch])
            .select_related(
                "sentence", "judgment__court", "judgment__first_instance_court"
            )
            .prefetch_related("events")
            .order_by("pk")
        )
        for case in cases:
            services.recompute_case(case)


# What the civil-judgment agencies reported of fines, court fees and
# compensation, for about a third of the cases (the rest: nothing recorded).
OBLIGATION_DRAWS = [
    ("", 66),
    (Obligations.SETTLED, 14),
    (Obligations.PARTLY, 9),
    (Obligations.OUTSTANDING, 8),
    (Obligations.NONE, 3),
]
OBLIGATION_NOTES = {
    Obligations.PARTLY: [
        "Còn {amount} đồng án phí hình sự",
        "Đã nộp một phần tiền bồi thường, còn {amount} đồng",
    ],
    Obligations.OUTSTANDING: [
        "Chưa nộp {amount} đồng án phí hình sự sơ thẩm",
        "Chưa bồi thường {amount} đồng cho người bị hại",
    ],
}


def record_obligations(rng: random.Random, cases: list[ExecutionCase]) -> None:
    """Property obligations as the civil-judgment agency reported them,
    dated after the register entry, for review rounds to name."""
    changed = []
    for case in cases:
        state = weighted(rng, OBLIGATION_DRAWS)
        if not state:
            continue
        case.obligations = state
        if state != Obligations.NONE:
            start = max(case.register_date, DEMO_TODAY - dt.timedelta(days=300))
            case.obligations_on = start + dt.timedelta(
                days=rng.randint(0, (DEMO_TODAY - start).days)
            )
        notes = OBLIGATION_NOTES.get(state)
        if notes:
            amount = rng.choice([2, 3, 5, 8, 12, 20, 35]) * 100_000
            case.obligations_note = rng.choice(notes).format(
                amount=f"{amount:,}".replace(",", ".")
            )
        changed.append(case)
    ExecutionCase.objects.bulk_update(
        changed, ["obligations", "obligations_on", "obligations_note"], batch_size=500
    )


def seed_rounds(provinces: list[Unit]) -> None:
    """The province's review rounds of the coming weeks, so that the lists of
    "Đợt xét" are not empty in the demo."""
    plans = [
        (
            "Đợt xét giảm thời hạn chấp hành án phạt tù dịp Tết Nguyên đán 2027",
            SweepRound.Kind.PRISON_REDUCTION,
            dt.date(2027, 1, 31),
            "BLHS Điều 63",
        ),
        (
            "Đợt xét tha tù trước thời hạn có điều kiện cuối năm 2026",
            SweepRound.Kind.CONDITIONAL_RELEASE,
            dt.date(2026, 12, 31),
            "BLHS Điều 66",
        ),
        (
            "Đợt xét rút ngắn thời gian thử thách tháng 12/2026",
            SweepRound.Kind.PROBATION_SHORTENING,
            dt.date(2026, 12, 31),
            "BLHS Điều 65 khoản 4",
        ),
        (
            "Đợt xét giảm thời hạn cải tạo không giam giữ tháng 12/2026",
            SweepRound.Kind.CTKGG_REDUCTION,
            dt.date(2026, 12, 31),
            "BLHS Điều 63",
        ),
    ]
    for province in provinces:
        for name, kind, cut_off, basis in plans:
            SweepRound.objects.get_or_create(
                scope=province,
                kind=kind,
                cut_off=cut_off,
                defaults={
                    "name": name,
                    "basis": basis,
                    "obstacles_from": cut_off - dt.timedelta(days=365),
                },
            )


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu trình diễn: danh mục Hải Phòng, tài khoản mẫu và vài nghìn "
        "hồ sơ thụ lý 2023-2026. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên."
        )
        parser.add_argument("--cases", type=int, default=3200, help="Số hồ sơ cần tạo.")

    def handle(self, *args, **options):
        began = time.perf_counter()
        seed, total = options["seed"], options["cases"]
        if total < 1:
            raise CommandError("Số hồ sơ phải lớn hơn 0.")

        call_command("load_reference", stdout=self.stdout)
        document = load_document()
        codes = [unit["code"] for unit in document["units"]]
        units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
        ordered = [units[code] for code in codes]
        regional = [unit for unit in ordered if unit.level == Unit.Level.REGIONAL]

        with transaction.atomic():
            users = demo_users(random.Random(f"{seed}:users"), ordered)  # noqa: S311
            secrets = demo_devices(users)
            existing = ExecutionCase.objects.filter(unit__in=regional).count()
            if existing:
                self.stdout.write(
                    f"Dữ liệu mẫu đã có ({existing} hồ sơ trong các VKSND khu vực): "
                    "bỏ qua bước tạo hồ sơ."
                )
            else:
                self.generate(seed, total, document, units, users)

        self.summary(ordered, began)
        self.secrets(secrets)

    def generate(self, seed, total, document, units, users) -> None:
        planner = Planner(seed, document)
        plans = planner.plan(total)
        regional = [
            unit for unit in units.values() if unit.level == Unit.Level.REGIONAL
        ]

        # One history row per save costs 40 % of the run: history is
        # written in batches afterwards instead, one creation row per object
        # in its final state. DEBUG off spares the query log.
        with override_settings(SIMPLE_HISTORY_ENABLED=False, DEBUG=False):
            cases = write_cases(plans, units, users)
            with violations_deferred(reason="Dữ liệu trình diễn (seed_demo)"):
                recompute(case.pk for case in cases)

            # A few entries cancelled after the fact (vào sổ nhầm, trùng).
            rng = planner.rng
            candidates = [
                case
                for case in cases
                if case.register_date <= DEMO_TODAY - dt.timedelta(days=10)
            ]
            count = min(len(candidates), max(1, total // 400))
            for case in rng.sample(candidates, count):
                on = min(planner.later(case.register_date, 1, 10), DEMO_TODAY)
                services.cancel_case(case, on=on, reason=rng.choice(CANCEL_REASONS))
            record_obligations(rng, cases)
        seed_rounds([unit for unit in units.values() if unit.parent_id is None])
        for model in (Judgment, Person, ExecutionCase, Sentence, Event):
            model.history.bulk_history_create(
                model.objects.filter(unit__in=regional).order_by("pk"),
                batch_size=500,
                default_change_reason="Dữ liệu trình diễn (seed_demo)",
            )
        self.stdout.write(f"Đã tạo {len(cases)} hồ sơ thụ lý.")
        actions = seed_actions(regional, DEMO_TODAY)
        self.stdout.write(f"Đã lập {actions} văn bản kiến nghị mẫu.")

    def summary(self, units: list[Unit], began: float) -> None:
        write = self.stdout.write
        counts = Counter(
            ExecutionCase.objects.filter(unit__in=units).values_list(
                "unit_id", flat=True
            )
        )
        logins = [
            ("ksv.kv1", "Kiểm sát viên"),
            ("lanhdao.kv1", "Lãnh đạo đơn vị"),
            ("vanthu.kv1", "Văn thư"),
            ("lanhdao.tinh", "Lãnh đạo đơn vị (đọc mọi khu vực)"),
            ("quantri", "Quản trị hệ thống"),
        ]
        by_name = {
            user.username: user
            for user in User.objects.filter(
                username__in=[name for name, _ in logins]
            ).select_related("unit")
        }
        rows = [
            (name, DEMO_PASSWORD, by_name[name].unit.name, role)
            for name, role in logins
            if name in by_name
        ]
        write("")
        write(f"Địa chỉ: {DEMO_URL}")
        write("")
        self.table(["Tên đăng nhập", "Mật khẩu", "Đơn vị", "Vai trò"], rows)
        write(
            "Các khu vực khác: ksv.kvN, ksv2.kvN, lanhdao.kvN, vanthu.kvN (N = 1..7), "
            "cùng mật khẩu."
        )
        write("")
        self.table(
            ["Đơn vị", "Số hồ sơ"],
            [(unit.name, f"{counts.get(unit.pk, 0):>8}") for unit in units]
            + [("Tổng cộng", f"{sum(counts.values()):>8}")],
        )
        write(f"Thời gian chạy: {time.perf_counter() - began:.1f} giây.")

    def secrets(self, rows: list[tuple[str, str]]) -> None:
        write = self.stdout.write
        write("")
        write(
            "Xác thực hai bước: lãnh đạo và quản trị nhập thêm mã 6 chữ số từ ứng "
            "dụng xác thực có khóa dưới đây (hoặc: oathtool --totp -b KHÓA)."
        )
        self.table(["Tài khoản", "Khóa TOTP (base32)"], rows)

    def table(self, headers: list[str], rows: list[tuple]) -> None:
        widths = [
            max(len(str(row[column])) for row in [headers, *rows])
            for column in range(len(headers))
        ]
        line = "+".join("-" * (width + 2) for width in widths)
        self.stdout.write(f"+{line}+")
        for position, row in enumerate([headers, *rows]):
            cells = " | ".join(
                str(value).ljust(width)
                for value, width in zip(row, widths, strict=True)
            )
            self.stdout.write(f"| {cells} |")
            if position == 0:
                self.stdout.write(f"+{line}+")
        self.stdout.write(f"+{line}+")
