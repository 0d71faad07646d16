"""The deadline rules as data: rule sets, each a list of rule rows.

Pure: no Django imports. ``default_rule_sets()`` is what a new installation
starts with (loaded into the database by a migration, then edited by an
administrator); the engine evaluates whatever rows it is given.

Rule IDs and legal bases are those of shared/domain/legal-rules.md. The
2010 and 2025 sets start as copies of the 2019 durations marked
"căn cứ chưa đối chiếu" (basis not yet checked against that law), except
the changes of the 2025 law that are known (commune police, R-C rules).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

# What starts a rule's clock.
EVENT = "event"  # an event of ``start_events`` (its date, or details.received_on)
LEGAL_EFFECT = "legal_effect"  # A5: legal effect, or an appeal ruling's receipt
PRONOUNCED = "pronounced"  # A4, A4b: the pronouncement
UNTIL = "until"  # B7a, B7b: a postponement's last day (details.until)
TERM_END = "term_end"  # D6, E5: the last day of probation or of CTKGG
PRISON_END = "prison_end"  # F2: the last day of a prison term
LIMITATION = "limitation"  # L1: legal effect + the limitation period

TRIGGERS = [EVENT, LEGAL_EFFECT, PRONOUNCED, UNTIL, TERM_END, PRISON_END, LIMITATION]
UNITS = ["cal", "wd", "mo", "yr"]

COMMUNITY = ("suspended", "non_custodial_reform")
CUSTODIAL = ("prison", "life")
QDTHA_KINDS = ("prison", "life", "suspended", "non_custodial_reform", "expulsion")
ENDING_EVENTS = ("death", "termination_decision_issued")


@dataclass(frozen=True)
class RuleDef:
    """One rule row. Durations and bases are data an administrator edits."""

    code: str
    title: str
    trigger: str
    duration: int
    unit: str
    responsible: str
    responsible_kind: str
    basis: str
    action: str = ""
    start_events: tuple[str, ...] = ()
    start_details: dict = field(default_factory=dict)
    start_offset_days: int = 0
    stop_events: tuple[str, ...] = ()
    stop_details: dict = field(default_factory=dict)
    fallback_stop_events: tuple[str, ...] = ()
    lapse_events: tuple[str, ...] = ENDING_EVENTS
    before: bool = False
    kinds: tuple[str, ...] = ()
    custody: str = ""
    instances: tuple[str, ...] = ()
    needs_supplementary: bool = False
    repeat: bool = False
    warn_days: int | None = None
    verified: bool = True
    note: str = ""

    @property
    def warning_days(self) -> int:
        """Default warning period of legal-rules.md unless the row sets one."""
        if self.warn_days is not None:
            return self.warn_days
        if self.unit in ("mo", "yr"):
            return 30
        if self.duration <= 3:
            return 1
        if self.duration <= 7:
            return 2
        if self.duration <= 30:
            return 5
        return 30

    @property
    def duration_label(self) -> str:
        unit = {"cal": "ngày", "wd": "ngày làm việc", "mo": "tháng", "yr": "năm"}
        text = f"{self.duration:02d} {unit[self.unit]}"
        return f"{text} trước" if self.before else text


@dataclass(frozen=True)
class RuleSetDef:
    """A rule set and the settings that answer legal-rules.md's open
    questions (Q1, Q2, Q3, Q15), printed wherever they matter."""

    code: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    basis_checked: bool
    rules: tuple[RuleDef, ...]
    exclude_start_day: bool = True
    roll_forward: bool = True
    lateness_in_working_days: bool = False
    legal_effect_window_days: int = 30
    note: str = ""

    def rule(self, code: str) -> RuleDef | None:
        return next((rule for rule in self.rules if rule.code == code), None)


UNCHECKED = "căn cứ chưa đối chiếu"


def _rules_2019() -> list[RuleDef]:
    court = "court"
    agency = "execution_agency"
    return [
        RuleDef(
            "A4",
            "Tòa án sơ thẩm giao bản án cho VKS cùng cấp",
            PRONOUNCED,
            10,
            "cal",
            "Tòa án xét xử sơ thẩm",
            court,
            "BLTTHS 2015, Điều 262 khoản 1",
            "Kiến nghị Tòa án",
            stop_events=("judgment_delivered",),
            instances=("first",),
            lapse_events=(),
        ),
        RuleDef(
            "A4b",
            "Tòa án phúc thẩm gửi bản án, quyết định phúc thẩm",
            PRONOUNCED,
            10,
            "cal",
            "Tòa án xét xử phúc thẩm",
            court,
            "BLTTHS 2015, Điều 262 khoản 2",
            "Kiến nghị Tòa án",
            stop_events=("judgment_delivered",),
            instances=("appeal",),
            lapse_events=(),
        ),
        RuleDef(
            "A5",
            "Tòa án ra quyết định thi hành án",
            LEGAL_EFFECT,
            7,
            "cal",
            "Chánh án Tòa án đã xét xử sơ thẩm",
            court,
            "BLTTHS 2015, Điều 364 khoản 1-2",
            "Yêu cầu Tòa án ra quyết định thi hành án (Mẫu 09/TH)",
            stop_events=("execution_decision_issued", "entrustment_issued"),
            kinds=QDTHA_KINDS,
            lapse_events=(*ENDING_EVENTS, "execution_started", "completed"),
        ),
        RuleDef(
            "A6",
            "Tòa án được ủy thác ra quyết định thi hành án",
            EVENT,
            7,
            "cal",
            "Chánh án Tòa án được ủy thác",
            court,
            "BLTTHS 2015, Điều 364 khoản 2 đoạn 2",
            "Yêu cầu Tòa án ra QĐTHA",
            start_events=("entrustment_received",),
            stop_events=("execution_decision_issued",),
            kinds=QDTHA_KINDS,
        ),
        RuleDef(
            "A7",
            "Tòa án gửi quyết định thi hành án phạt tù",
            EVENT,
            3,
            "wd",
            "Tòa án đã ra quyết định thi hành án",
            court,
            "Luật THAHS 2019, Điều 22 khoản 2",
            "Kiến nghị Tòa án",
            start_events=("execution_decision_issued",),
            stop_events=("execution_decision_sent",),
            stop_details={"recipient": "procuracy"},
            fallback_stop_events=("execution_decision_received",),
            kinds=CUSTODIAL,
            lapse_events=(),
        ),
        RuleDef(
            "A8",
            "Tòa án gửi quyết định thi hành án treo, CTKGG, tử hình",
            EVENT,
            3,
            "wd",
            "Tòa án đã ra quyết định thi hành án",
            court,
            "Luật THAHS 2019, Điều 84 khoản 2, Điều 96 khoản 2, Điều 77 khoản 2",
            "Kiến nghị Tòa án",
            start_events=("execution_decision_issued",),
            stop_events=("execution_decision_sent",),
            stop_details={"recipient": "procuracy"},
            fallback_stop_events=("execution_decision_received",),
            kinds=("suspended", "non_custodial_reform", "death"),
            lapse_events=(),
        ),
        RuleDef(
            "A9a",
            "Trại tạm giam tống đạt QĐTHA và báo cáo cơ quan THAHS tỉnh",
            EVENT,
            3,
            "wd",
            "Trại tạm giam / cơ quan THAHS",
            "detention_centre",
            "Luật THAHS 2019, Điều 23 khoản 1",
            "Kiến nghị",
            start_events=("agency_received_execution_decision",),
            stop_events=("convict_reported_to_province",),
            kinds=CUSTODIAL,
            custody="detained",
        ),
        RuleDef(
            "A9b",
            "Cơ quan THAHS tỉnh hoàn chỉnh hồ sơ, lập danh sách",
            EVENT,
            5,
            "wd",
            "Cơ quan THAHS Công an cấp tỉnh",
            agency,
            "Luật THAHS 2019, Điều 23 khoản 1",
            "Kiến nghị",
            start_events=("convict_reported_to_province",),
            stop_events=("provincial_file_completed",),
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "A9c",
            "Cơ quan quản lý THAHS quyết định nơi chấp hành án",
            EVENT,
            5,
            "wd",
            "Cơ quan quản lý THAHS thuộc Bộ Công an",
            agency,
            "Luật THAHS 2019, Điều 23 khoản 2",
            "Kiến nghị",
            start_events=("provincial_file_completed",),
            stop_events=("place_of_serving_decided",),
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "A10",
            "Người bị kết án tại ngoại có mặt để chấp hành án",
            EVENT,
            7,
            "cal",
            "Người bị kết án",
            "convict",
            "Luật THAHS 2019, Điều 22 khoản 1, Điều 23 khoản 4; "
            "BLTTHS Điều 364 khoản 3",
            "Yêu cầu áp giải thi hành án (Mẫu 11/TH)",
            start_events=("execution_decision_served",),
            stop_events=(
                "reported_to_serve",
                "escorted",
                "admitted_to_prison",
                "recaptured",
            ),
            lapse_events=(
                "postponement_granted",
                "wanted_notice_issued",
                "execution_started",
                "completed",
                *ENDING_EVENTS,
            ),
            kinds=CUSTODIAL,
            custody="at_liberty",
        ),
        RuleDef(
            "B3",
            "Tòa án xem xét, quyết định hoãn chấp hành án",
            EVENT,
            7,
            "cal",
            "Chánh án Tòa án đã ra QĐTHA",
            court,
            "Luật THAHS 2019, Điều 24 khoản 1-2; TTLT 01/2021 Điều 7",
            "Kiến nghị, yêu cầu ra quyết định",
            start_events=("postponement_requested",),
            stop_events=("postponement_granted", "postponement_refused"),
            repeat=True,
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "B4",
            "Tòa án gửi quyết định hoãn chấp hành án",
            EVENT,
            3,
            "wd",
            "Tòa án đã ra quyết định hoãn",
            court,
            "Luật THAHS 2019, Điều 24 khoản 3",
            "Kiến nghị Tòa án",
            start_events=("postponement_granted",),
            stop_events=("postponement_decision_received",),
            repeat=True,
            lapse_events=(),
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "B6a",
            "Cơ quan THAHS triệu tập người được hoãn đến UBND xã cam kết",
            EVENT,
            3,
            "wd",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 25 khoản 2",
            "Kiến nghị",
            start_events=("agency_received_postponement_decision",),
            stop_events=("summoned_to_commune",),
            repeat=True,
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "B6b",
            "UBND xã lập hồ sơ quản lý người được hoãn",
            EVENT,
            3,
            "wd",
            "UBND cấp xã",
            "commune",
            "Luật THAHS 2019, Điều 25 khoản 3",
            "Kiến nghị",
            start_events=("summoned_to_commune",),
            stop_events=("supervision_file_opened",),
            kinds=CUSTODIAL,
            repeat=True,
            note="Bắt đầu tính từ ngày triệu tập, cam kết: gần nhất với ngày UBND xã "
            "nhận bản sao quyết định (thiết kế, chưa đối chiếu thực tiễn).",
        ),
        RuleDef(
            "B7a",
            "Tòa án thông báo hết thời hạn hoãn (ít nhất 07 ngày trước)",
            UNTIL,
            7,
            "cal",
            "Chánh án Tòa án đã ra quyết định hoãn",
            court,
            "Luật THAHS 2019, Điều 25 khoản 6",
            "Kiến nghị Tòa án",
            before=True,
            start_events=("postponement_granted",),
            stop_events=("postponement_expiry_notified",),
            lapse_events=("postponement_cancelled", *ENDING_EVENTS),
            repeat=True,
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "B7b",
            "Người được hoãn có mặt chấp hành án khi hết thời hạn hoãn",
            UNTIL,
            7,
            "cal",
            "Người được hoãn; cơ quan THAHS áp giải",
            "convict",
            "Luật THAHS 2019, Điều 25 khoản 6",
            "Yêu cầu áp giải thi hành án",
            start_events=("postponement_granted",),
            stop_events=("reported_to_serve", "escorted", "admitted_to_prison"),
            lapse_events=(
                "postponement_granted",
                "postponement_cancelled",
                *ENDING_EVENTS,
            ),
            repeat=True,
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "B8a",
            "Tòa án xem xét hủy quyết định hoãn",
            EVENT,
            3,
            "wd",
            "Tòa án đã ra quyết định hoãn",
            court,
            "Luật THAHS 2019, Điều 25 khoản 4; TTLT 01/2021 Điều 8",
            "Kiến nghị",
            start_events=("cancellation_proposed",),
            start_details={"of": "postponement"},
            stop_events=("postponement_cancelled",),
            repeat=True,
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "B8b",
            "Tòa án gửi quyết định hủy hoãn, hủy tạm đình chỉ",
            EVENT,
            3,
            "wd",
            "Tòa án đã ra quyết định hủy",
            court,
            "Luật THAHS 2019, Điều 25 khoản 4; TTLT 01/2021 Điều 8",
            "Kiến nghị",
            start_events=("postponement_cancelled", "suspension_cancelled"),
            stop_events=("cancellation_sent",),
            repeat=True,
            lapse_events=(),
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "C2",
            "Tòa án xem xét hồ sơ đề nghị tạm đình chỉ",
            EVENT,
            7,
            "cal",
            "Chánh án Tòa án cấp tỉnh nơi người chấp hành án đang chấp hành",
            court,
            "Luật THAHS 2019, Điều 36 khoản 1, 3; TTLT 02/2021 Điều 9",
            "Kiến nghị",
            start_events=("suspension_file_received_by_court",),
            stop_events=("suspension_granted", "suspension_refused"),
            repeat=True,
            verified=False,
            note="Điều 36 chỉ thấy qua nguồn thứ cấp.",
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "C5",
            "Tòa án xem xét hủy quyết định tạm đình chỉ",
            EVENT,
            3,
            "wd",
            "Tòa án đã ra quyết định tạm đình chỉ",
            court,
            "TTLT 02/2021, Điều 11",
            "Kiến nghị",
            start_events=("cancellation_proposed",),
            start_details={"of": "suspension"},
            stop_events=("suspension_cancelled",),
            repeat=True,
            kinds=CUSTODIAL,
        ),
        RuleDef(
            "D4",
            "Cơ quan THAHS triệu tập người được hưởng án treo đến UBND xã",
            EVENT,
            3,
            "wd",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 85 khoản 1",
            "Kiến nghị",
            start_events=("agency_received_execution_decision",),
            stop_events=("summoned_to_commune",),
            kinds=("suspended",),
        ),
        RuleDef(
            "D5",
            "UBND xã lập hồ sơ giám sát, giáo dục người hưởng án treo",
            EVENT,
            7,
            "cal",
            "UBND cấp xã",
            "commune",
            "Luật THAHS 2019, Điều 85 khoản 2-3",
            "Kiến nghị",
            start_events=("summoned_to_commune",),
            stop_events=("supervision_file_opened",),
            kinds=("suspended",),
        ),
        RuleDef(
            "D6",
            "Cấp giấy chứng nhận chấp hành xong thời gian thử thách",
            TERM_END,
            0,
            "cal",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 85 khoản 4",
            "Kiến nghị",
            stop_events=(
                "completion_certificate_issued",
                "completion_certificate_received",
            ),
            lapse_events=("revocation_decided", *ENDING_EVENTS),
            kinds=("suspended",),
        ),
        RuleDef(
            "D7",
            "Tòa án ra quyết định đình chỉ khi người hưởng án treo chết",
            EVENT,
            3,
            "wd",
            "Tòa án đã ra QĐTHA",
            court,
            "Luật THAHS 2019, Điều 85 khoản 5",
            "Kiến nghị",
            start_events=("death",),
            stop_events=("termination_decision_issued",),
            kinds=("suspended",),
            lapse_events=(),
        ),
        RuleDef(
            "D8a",
            "Người hưởng án treo có mặt sau khi bị lập biên bản vi phạm",
            EVENT,
            7,
            "cal",
            "Người được hưởng án treo",
            "convict",
            "Luật THAHS 2019, Điều 93 khoản 1",
            "Lập biên bản lần hai, đề nghị hủy án treo",
            start_events=("breach_recorded",),
            start_details={"second": False},
            stop_events=("reported_to_serve", "summoned_to_commune"),
            lapse_events=("breach_recorded", *ENDING_EVENTS),
            kinds=("suspended",),
            repeat=True,
        ),
        RuleDef(
            "D8b",
            "Cơ quan THAHS lập hồ sơ đề nghị hủy án treo",
            EVENT,
            3,
            "wd",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 93 khoản 1; TTLT 01/2023 Điều 14 khoản 1 điểm a",
            "Kiến nghị",
            start_events=("breach_recorded",),
            start_details={"second": True},
            start_offset_days=7,
            stop_events=("revocation_proposed",),
            kinds=("suspended",),
            note="Tính từ khi hết 07 ngày sau biên bản lần hai.",
        ),
        RuleDef(
            "D9a",
            "Cơ quan THAHS lập hồ sơ đề nghị hủy án treo (vi phạm nhiều lần)",
            EVENT,
            5,
            "wd",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 93 khoản 3; BLHS Điều 65 khoản 5",
            "Kiến nghị",
            start_events=("breach_recorded",),
            start_details={"second": True},
            stop_events=("revocation_proposed",),
            kinds=("suspended",),
            note="Bắt đầu từ biên bản vi phạm lần hai, thay cho báo cáo của UBND xã "
            "(danh mục sự kiện chưa có báo cáo này).",
        ),
        RuleDef(
            "D9b",
            "Tòa án mở phiên họp xét hủy án treo",
            EVENT,
            5,
            "wd",
            "Tòa án",
            court,
            "Luật THAHS 2019, Điều 93 khoản 5",
            "Kiến nghị",
            start_events=("revocation_proposed",),
            stop_events=("revocation_decided",),
            kinds=("suspended",),
        ),
        RuleDef(
            "D9c",
            "Tòa án gửi quyết định hủy án treo",
            EVENT,
            3,
            "wd",
            "Tòa án",
            court,
            "Luật THAHS 2019, Điều 93 khoản 5",
            "Kiến nghị",
            start_events=("revocation_decided",),
            stop_events=("revocation_sent",),
            kinds=("suspended",),
            lapse_events=(),
        ),
        RuleDef(
            "D11a",
            "Cơ quan THAHS đề nghị rút ngắn thời gian thử thách",
            EVENT,
            7,
            "cal",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 90 khoản 2; TTLT 03/2021",
            "Kiến nghị",
            start_events=("commune_report_received",),
            stop_events=("shortening_proposed",),
            kinds=("suspended",),
            repeat=True,
        ),
        RuleDef(
            "D11b",
            "Tòa án mở phiên họp xét rút ngắn thời gian thử thách",
            EVENT,
            7,
            "cal",
            "Tòa án",
            court,
            "Luật THAHS 2019, Điều 90 khoản 4",
            "Kiến nghị",
            start_events=("shortening_proposed",),
            stop_events=("probation_shortened",),
            kinds=("suspended",),
            repeat=True,
        ),
        RuleDef(
            "D11c",
            "Tòa án gửi quyết định rút ngắn thời gian thử thách",
            EVENT,
            3,
            "wd",
            "Tòa án",
            court,
            "Luật THAHS 2019, Điều 90 khoản 5",
            "Kiến nghị",
            start_events=("probation_shortened",),
            stop_events=("shortening_sent",),
            kinds=("suspended",),
            repeat=True,
            lapse_events=(),
        ),
        RuleDef(
            "E4a",
            "Cơ quan THAHS triệu tập người chấp hành án CTKGG đến UBND xã",
            EVENT,
            3,
            "wd",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 97 khoản 1",
            "Kiến nghị",
            start_events=("agency_received_execution_decision",),
            stop_events=("summoned_to_commune",),
            kinds=("non_custodial_reform",),
        ),
        RuleDef(
            "E4b",
            "UBND xã lập hồ sơ giám sát người chấp hành án CTKGG",
            EVENT,
            7,
            "cal",
            "UBND cấp xã",
            "commune",
            "Luật THAHS 2019, Điều 97 khoản 2-3",
            "Kiến nghị",
            start_events=("summoned_to_commune",),
            stop_events=("supervision_file_opened",),
            kinds=("non_custodial_reform",),
        ),
        RuleDef(
            "E5",
            "Cấp giấy chứng nhận chấp hành xong án phạt CTKGG",
            TERM_END,
            0,
            "cal",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 97 khoản 4",
            "Kiến nghị",
            stop_events=(
                "completion_certificate_issued",
                "completion_certificate_received",
            ),
            kinds=("non_custodial_reform",),
        ),
        RuleDef(
            "E6",
            "Tòa án ra quyết định đình chỉ khi người chấp hành án CTKGG chết",
            EVENT,
            3,
            "wd",
            "Tòa án đã ra QĐTHA",
            court,
            "Luật THAHS 2019, Điều 97 khoản 5",
            "Kiến nghị",
            start_events=("death",),
            stop_events=("termination_decision_issued",),
            kinds=("non_custodial_reform",),
            lapse_events=(),
        ),
        RuleDef(
            "E8",
            "Cơ quan THAHS đề nghị giảm thời hạn chấp hành án CTKGG",
            EVENT,
            7,
            "cal",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 103 khoản 1-2; TTLT 04/2021 Điều 6-8",
            "Kiến nghị",
            start_events=("commune_report_received",),
            stop_events=("reduction_proposed",),
            kinds=("non_custodial_reform",),
            repeat=True,
            verified=False,
            note="Điều 103 chưa đọc được; giả định như D11 (07 ngày).",
        ),
        RuleDef(
            "E9",
            "Tòa án xét miễn chấp hành án CTKGG",
            EVENT,
            15,
            "cal",
            "Tòa án",
            court,
            "Luật THAHS 2019, Điều 104",
            "Kiến nghị",
            start_events=("exemption_file_prepared",),
            stop_events=("exempted",),
            kinds=("non_custodial_reform",),
        ),
        RuleDef(
            "F2",
            "Trại giam thông báo trước 02 tháng khi người chấp hành án hết hạn tù",
            PRISON_END,
            2,
            "mo",
            "Trại giam, trại tạm giam",
            "prison",
            "Luật THAHS 2019, Điều 46 khoản 1, Điều 107 khoản 1, Điều 112 khoản 1, "
            "Điều 125 khoản 1, Điều 129 khoản 1",
            "Kiến nghị",
            before=True,
            stop_events=("prison_release_notice",),
            kinds=("prison",),
            lapse_events=("conditional_release_granted", "amnesty", *ENDING_EVENTS),
        ),
        RuleDef(
            "F4a",
            "Cơ quan THAHS lập hồ sơ thi hành hình phạt bổ sung",
            EVENT,
            5,
            "wd",
            "Cơ quan THAHS",
            agency,
            "Luật THAHS 2019, Điều 107 khoản 3, 112 khoản 3, 125 khoản 3, 129 khoản 3",
            "Kiến nghị",
            start_events=("supplementary_file_received",),
            stop_events=("supplementary_file_opened",),
        ),
        RuleDef(
            "F4b",
            "UBND xã triệu tập, lập hồ sơ giám sát hình phạt bổ sung",
            EVENT,
            7,
            "cal",
            "UBND cấp xã",
            "commune",
            "Luật THAHS 2019, Điều 107 khoản 4, 112 khoản 4",
            "Kiến nghị",
            start_events=("supplementary_file_opened",),
            stop_events=("summoned_to_commune",),
        ),
        RuleDef(
            "F7",
            "Tòa án đình chỉ thi hành hình phạt bổ sung khi người chấp hành án chết",
            EVENT,
            3,
            "wd",
            "Tòa án",
            court,
            "Luật THAHS 2019, Điều 107 khoản 6, 112 khoản 6, 125 khoản 6, 129 khoản 7",
            "Kiến nghị",
            start_events=("death",),
            stop_events=("termination_decision_issued",),
            kinds=CUSTODIAL,
            needs_supplementary=True,
            lapse_events=(),
        ),
        RuleDef(
            "G3a",
            "VKS cấp tỉnh có ý kiến về hồ sơ tha tù trước thời hạn",
            EVENT,
            15,
            "cal",
            "Viện kiểm sát cấp tỉnh",
            "procuracy",
            "Luật THAHS 2019, Điều 57; BLTTHS Điều 368 khoản 3",
            "",
            start_events=("release_file_received",),
            stop_events=("release_opinion_given",),
            kinds=CUSTODIAL,
            repeat=True,
        ),
        RuleDef(
            "G3b",
            "Tòa án mở phiên họp xét tha tù trước thời hạn",
            EVENT,
            15,
            "cal",
            "Tòa án cấp tỉnh",
            court,
            "BLTTHS Điều 368 khoản 4",
            "Kiến nghị",
            start_events=("release_file_received",),
            stop_events=("conditional_release_granted",),
            kinds=CUSTODIAL,
            repeat=True,
        ),
        RuleDef(
            "G3c",
            "Tòa án gửi quyết định tha tù trước thời hạn",
            EVENT,
            3,
            "cal",
            "Tòa án cấp tỉnh",
            court,
            "BLTTHS Điều 368 khoản 8-9",
            "Kiến nghị",
            start_events=("conditional_release_granted",),
            stop_events=("release_decision_sent",),
            kinds=CUSTODIAL,
            repeat=True,
            lapse_events=(),
        ),
        RuleDef(
            "J2",
            "Cơ quan được yêu cầu tự kiểm tra và báo cáo kết quả",
            EVENT,
            30,
            "cal",
            "Tòa án / cơ quan THAHS được yêu cầu",
            "addressee",
            "Luật THAHS 2019, Điều 169 khoản 1",
            "Kiến nghị",
            start_events=("request_issued",),
            start_details={"self_inspection": True},
            stop_events=("self_inspection_reported",),
            repeat=True,
            lapse_events=(),
        ),
        RuleDef(
            "J4",
            "Trả lời kháng nghị của VKS",
            EVENT,
            15,
            "cal",
            "Cơ quan bị kháng nghị",
            "addressee",
            "Luật THAHS 2019, Điều 169 khoản 4",
            "Báo cáo VKS cấp trên",
            start_events=("protest_issued",),
            stop_events=("protest_answered",),
            repeat=True,
            lapse_events=(),
        ),
        RuleDef(
            "J6",
            "Trả lời kiến nghị của VKS",
            EVENT,
            30,
            "cal",
            "Cơ quan được kiến nghị",
            "addressee",
            "Luật THAHS 2019, Điều 169 khoản 5",
            "Báo cáo VKS cấp trên",
            start_events=("recommendation_issued",),
            stop_events=("recommendation_answered",),
            repeat=True,
            lapse_events=(),
        ),
        RuleDef(
            "L1",
            "Thời hiệu thi hành bản án",
            LIMITATION,
            0,
            "yr",
            "Tòa án, cơ quan THAHS",
            court,
            "BLHS 2015, Điều 60",
            "Yêu cầu thi hành ngay; bản án hết thời hiệu là vi phạm nghiêm trọng",
            stop_events=(
                "reported_to_serve",
                "escorted",
                "admitted_to_prison",
                "agency_received_execution_decision",
                "execution_started",
                "completed",
            ),
            kinds=(*QDTHA_KINDS, "death", "fine"),
            warn_days=365,
            verified=False,
            note="Theo hiểu biết chung về BLHS Điều 60, cần đối chiếu văn bản; chưa "
            "tính việc tính lại thời hiệu khi phạm tội mới hoặc trốn tránh.",
        ),
    ]


# Eligibility rules: fractions of a term served (legal-rules.md D10, E7,
# C7, G2); data, so that a legal officer can correct a fraction.
@dataclass(frozen=True)
class EligibilityDef:
    code: str
    title: str
    kinds: tuple[str, ...]
    numerator: int
    denominator: int
    basis: str
    minor_numerator: int | None = None
    minor_denominator: int | None = None
    life_years: int | None = None


ELIGIBILITY = (
    EligibilityDef(
        "D10",
        "Xét rút ngắn thời gian thử thách án treo",
        ("suspended",),
        1,
        2,
        "BLHS Điều 65 khoản 4; Luật THAHS 2019 Điều 89; NQ 02/2018/NQ-HĐTP Điều 8",
    ),
    EligibilityDef(
        "E7",
        "Xét giảm thời hạn chấp hành án CTKGG",
        ("non_custodial_reform",),
        1,
        3,
        "BLHS Điều 63 khoản 1; Luật THAHS 2019 Điều 102",
        minor_numerator=1,
        minor_denominator=4,
    ),
    EligibilityDef(
        "C7",
        "Xét giảm thời hạn chấp hành án phạt tù",
        ("prison", "life"),
        1,
        3,
        "BLHS Điều 63 khoản 1",
        life_years=12,
    ),
    EligibilityDef(
        "G2",
        "Xét tha tù trước thời hạn có điều kiện",
        ("prison",),
        1,
        2,
        "BLHS Điều 66 khoản 1",
    ),
)


def _copy_unchecked(rules: list[RuleDef], law: str) -> list[RuleDef]:
    """Copies of the 2019 rows for another law, marked as not yet checked.

    Rows resting on the Criminal Procedure Code keep their basis; all are
    marked, as legal-rules.md asks ("Verification marks are per rule").
    """
    copies = []
    for rule in rules:
        note = (
            "Thời hạn chép từ bộ LTHAHS-2019; sửa đổi BLTTHS năm 2025 chưa đối chiếu."
            if rule.basis.startswith("BLTTHS")
            else f"Thời hạn chép từ bộ LTHAHS-2019; {UNCHECKED} với {law}."
        )
        copies.append(replace(rule, verified=False, note=note))
    return copies


def _rules_2025(base: list[RuleDef]) -> list[RuleDef]:
    """The 2019 rows with what is known of Law 127/2025 and NĐ 231/2026."""
    law = "Luật THAHS 2025 (127/2025/QH15)"
    rules = _copy_unchecked(base, law)
    police = ("commune_police_received_decision",)
    changed = {
        # Commune police act within 3 working days of their own receipt of
        # the decision (NĐ 231/2026, R-C1).
        "D4": {
            "start_events": police,
            "responsible": "Công an cấp xã",
            "responsible_kind": "commune_police",
        },
        "E4a": {
            "start_events": police,
            "responsible": "Công an cấp xã",
            "responsible_kind": "commune_police",
        },
        "B6a": {
            "start_events": police,
            "responsible": "Công an cấp xã",
            "responsible_kind": "commune_police",
        },
    }
    # Opening the file (D5, E4b, B6b) is replaced by R-C1's intake report
    # and supervision plan (legal-rules.md, "What is known of the 2025 law").
    replaced = {"D5", "E4b", "B6b"}
    rules = [
        replace(rule, **changed[rule.code]) if rule.code in changed else rule
        for rule in rules
        if rule.code not in replaced
    ]
    decree = "NĐ 231/2026/NĐ-CP"
    rules += [
        RuleDef(
            "R-C1a",
            "Công an xã báo cáo cơ quan THAHS tỉnh việc tiếp nhận",
            EVENT,
            3,
            "wd",
            "Công an cấp xã",
            "commune_police",
            f"{decree} (R-C1)",
            "Kiến nghị",
            start_events=("commune_police_received_decision",),
            stop_events=("intake_reported",),
            verified=False,
            note="Nguồn: bản OCR của Nghị định, thứ cấp.",
        ),
        RuleDef(
            "R-C1b",
            "Công an xã ban hành kế hoạch giám sát",
            EVENT,
            5,
            "wd",
            "Công an cấp xã",
            "commune_police",
            f"{decree} (R-C1)",
            "Kiến nghị",
            start_events=("commune_police_received_decision",),
            stop_events=("supervision_plan_issued",),
            verified=False,
            note="Nguồn: bản OCR của Nghị định, thứ cấp; tính từ ngày nhận quyết định.",
        ),
        RuleDef(
            "R-C3",
            "Tổ chức kiểm điểm sau vi phạm",
            EVENT,
            5,
            "wd",
            "Công an cấp xã",
            "commune_police",
            f"{decree} (R-C3)",
            "Kiến nghị",
            start_events=("breach_recorded",),
            stop_events=("review_meeting_held",),
            repeat=True,
            verified=False,
            note="Nguồn: bản OCR của Nghị định, thứ cấp.",
        ),
    ]
    return rules


def default_rule_sets() -> list[RuleSetDef]:
    base = _rules_2019()
    return [
        RuleSetDef(
            "LTHAHS-2010",
            "Luật Thi hành án hình sự 2010 (53/2010/QH12)",
            dt.date(2011, 7, 1),
            dt.date(2019, 12, 31),
            False,
            tuple(_copy_unchecked(base, "Luật THAHS 2010 (53/2010/QH12)")),
            note="Dùng cho hồ sơ cũ nhập bổ sung; thời hạn chép từ bộ 2019.",
        ),
        RuleSetDef(
            "LTHAHS-2019",
            "Luật Thi hành án hình sự 2019 (41/2019/QH14)",
            dt.date(2020, 1, 1),
            dt.date(2026, 6, 30),
            True,
            tuple(base),
        ),
        RuleSetDef(
            "LTHAHS-2025",
            "Luật Thi hành án hình sự 2025 (127/2025/QH15)",
            dt.date(2026, 7, 1),
            None,
            False,
            tuple(_rules_2025(base)),
            note="Văn bản Luật chưa đọc được; các thời hạn chờ cán bộ pháp chế "
            "đối chiếu.",
        ),
    ]


def set_in_force(rule_sets: list[RuleSetDef], day: dt.date) -> RuleSetDef:
    """The set in force on ``day``; days before the first set use it."""
    ordered = sorted(rule_sets, key=lambda rule_set: rule_set.valid_from)
    chosen = ordered[0]
    for rule_set in ordered:
        if day >= rule_set.valid_from:
            chosen = rule_set
    return chosen
