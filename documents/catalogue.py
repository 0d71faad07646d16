"""The twelve forms the register drafts, and every field a template may use.

The wording is a careful reconstruction (the official templates of QĐ
39/QĐ-VKSTC 2018 and QĐ 259/QĐ-VKSTC 2023 could not be obtained); a unit
replaces a template by uploading the official one, and the default texts
below are only the pre-filled values the prosecutor reviews.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

QUY_CHE = (
    "Căn cứ Quy chế công tác kiểm sát việc tạm giữ, tạm giam và thi hành án "
    "hình sự ban hành kèm theo Quyết định số 259/QĐ-VKSTC ngày 20/7/2023 của "
    "Viện trưởng Viện kiểm sát nhân dân tối cao"
)
LUAT_THAHS = "Căn cứ Luật Thi hành án hình sự năm 2019"

# Luật THAHS 127/2025/QH15 replaced the 2019 law (41/2019/QH14) on this day
# (legal-rules.md §0). Its article numbers could not be read (Q10): only a
# mapping inferred from decrees, "to be confirmed", so no article of it is
# printed and the review page asks the prosecutor to complete the line.
THAHS_2025_FROM = dt.date(2026, 7, 1)
THAHS_2025 = "Luật Thi hành án hình sự số 127/2025/QH15"
# Luật 82/2025/QH15 amended the procuracy organisation law of 2014 with the
# reorganisation of 01/07/2025 (legal-rules.md §0, [secondary];
# forms-registers-statistics.md §1.1 cites "Luật Tổ chức VKSND 2014").
VKS_LAW_AMENDED_FROM = dt.date(2025, 7, 1)
UNCHECKED_BASIS = "căn cứ chưa đối chiếu"


@dataclass(frozen=True)
class LawOnExecution:
    """A legal-basis line citing the Law on Execution of Criminal Judgments:
    the 2019 law's articles up to 30/06/2026, the 2025 law from 01/07/2026
    without article numbers (none is known to be unchanged)."""

    articles: str = ""  # of the 2019 law: "Điều 21, Điều 22"

    def cite(self, day: dt.date) -> str:
        """'Điều 21, Điều 22 Luật Thi hành án hình sự năm 2019'."""
        if day >= THAHS_2025_FROM:
            return THAHS_2025
        where = f"{self.articles} " if self.articles else ""
        return f"{where}Luật Thi hành án hình sự năm 2019"

    def line(self, day: dt.date) -> str:
        return f"Căn cứ {self.cite(day)}"


@dataclass(frozen=True)
class LawOnProcuracy:
    """Luật Tổ chức Viện kiểm sát nhân dân 2014, amended from 01/07/2025."""

    def line(self, day: dt.date) -> str:
        if day >= VKS_LAW_AMENDED_FROM:
            return (
                "Căn cứ Luật Tổ chức Viện kiểm sát nhân dân năm 2014, được sửa "
                "đổi, bổ sung bởi Luật số 82/2025/QH15"
            )
        return "Căn cứ Luật Tổ chức Viện kiểm sát nhân dân năm 2014"


LUAT_TO_CHUC = LawOnProcuracy()
Basis = str | LawOnExecution | LawOnProcuracy

# Symbol groups of the document types (QĐ 393/QĐ-VKSTC 2016 abbreviations).
DOC_TYPES = {
    "YC": "Yêu cầu",
    "TB": "Thông báo",
    "PKS": "Phiếu kiểm sát",
    "QĐ": "Quyết định",
    "KN": "Kiến nghị",
    "KNgh": "Kháng nghị",
}


@dataclass(frozen=True)
class FieldSpec:
    label: str
    widget: str = "line"  # line | text (multi-line) | date
    example: str = ""
    help: str = ""


# Fields the prosecutor reviews and may edit before rendering.
FIELDS: dict[str, FieldSpec] = {
    "header_parent": FieldSpec(
        "Cơ quan cấp trên (dòng 1)",
        example="VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
    ),
    "header_unit": FieldSpec(
        "Đơn vị ban hành (dòng 2)",
        example="VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC 1 - HẢI PHÒNG",
    ),
    "symbol_suffix": FieldSpec(
        "Ký hiệu đơn vị",
        example="VKSKV1",
        help="Phần sau loại văn bản, ví dụ VKSKV1 trong YC-VKSKV1 hoặc KN-VKSKV1.",
    ),
    "place": FieldSpec("Địa danh", example="Hải Phòng"),
    "doc_date": FieldSpec(
        "Ngày văn bản",
        "date",
        "05/02/2026",
        "Khi phát hành, ngày phát hành thay cho ngày này.",
    ),
    "addressee": FieldSpec(
        "Kính gửi", example="Chánh án Tòa án nhân dân khu vực 1 - Hải Phòng"
    ),
    "person_name": FieldSpec("Họ và tên người bị kết án", example="Nguyễn Văn An"),
    "person_birth": FieldSpec("Năm sinh / ngày sinh", example="1990"),
    "person_residence": FieldSpec(
        "Nơi cư trú", example="Thôn Đông, xã An Lão, thành phố Hải Phòng"
    ),
    "judgment_number": FieldSpec("Số bản án", example="12/2025/HS-ST"),
    "judgment_date": FieldSpec("Ngày tuyên án", "date", "20/03/2025"),
    "judgment_court": FieldSpec(
        "Tòa án xét xử", example="Tòa án nhân dân khu vực 1 - Hải Phòng"
    ),
    "judgment_effective": FieldSpec("Ngày có hiệu lực pháp luật", "date", "22/04/2025"),
    "crimes": FieldSpec(
        "Tội danh", example='"Trộm cắp tài sản" (Điều 173 khoản 1 BLHS)'
    ),
    "sentence": FieldSpec("Hình phạt", example="02 năm tù"),
    "qdtha_number": FieldSpec("Số quyết định thi hành án", example="45/2025/QĐ-CA"),
    "qdtha_date": FieldSpec("Ngày quyết định thi hành án", "date", "05/05/2025"),
    "qdtha_court": FieldSpec(
        "Tòa án ra quyết định thi hành án",
        example="Tòa án nhân dân khu vực 1 - Hải Phòng",
    ),
    "deadline_title": FieldSpec(
        "Thời hạn bị vi phạm", example="Tòa án ra quyết định thi hành án"
    ),
    "deadline_due": FieldSpec("Hạn cuối", "date", "29/04/2025"),
    "deadline_days_late": FieldSpec("Số ngày quá hạn", example="34"),
    "bases": FieldSpec(
        "Căn cứ pháp lý",
        "text",
        LUAT_THAHS,
        "Mỗi dòng một căn cứ; dấu chấm phẩy cuối dòng được thêm tự động.",
    ),
    "body": FieldSpec(
        "Nội dung yêu cầu / thông báo",
        "text",
        "Yêu cầu Chánh án Tòa án … ra quyết định thi hành án …",
    ),
    "extra": FieldSpec(
        "Nội dung riêng của mẫu",
        "text",
        "Quyết định ủy thác số 03/2025/QĐ-UTTHA ngày 02/05/2025",
        "Theo từng mẫu: quyết định ủy thác, cơ quan giám sát, tài liệu cần cung cấp…",
    ),
    "decision_ref": FieldSpec(
        "Quyết định được kiểm sát",
        example="Quyết định thi hành án số 45/2025/QĐ-CA ngày 05/05/2025",
    ),
    "check_result": FieldSpec(
        "Kết quả kiểm sát",
        "text",
        "Quyết định đúng thẩm quyền, đúng thời hạn, đủ nội dung.",
    ),
    "proposal": FieldSpec("Đề xuất", "text", "Không có vi phạm; lưu hồ sơ kiểm sát."),
    "assignee_name": FieldSpec("Kiểm sát viên được phân công", example="Trần Thị Mai"),
    "signer_authority": FieldSpec(
        "Thẩm quyền ký",
        example="KT. VIỆN TRƯỞNG",
        help="Để trống khi Viện trưởng ký.",
    ),
    "signer_title": FieldSpec("Chức vụ người ký", example="PHÓ VIỆN TRƯỞNG"),
    "signer_name": FieldSpec(
        "Họ tên người ký",
        example="Lê Minh Châu",
        help="Để trống: điền tên lãnh đạo duyệt văn bản.",
    ),
    "recipients": FieldSpec(
        "Nơi nhận",
        "text",
        "Như trên\nVKSND thành phố Hải Phòng (để báo cáo)\nLưu: HSKS, VP",
        "Mỗi dòng một nơi nhận; dấu câu cuối dòng được thêm tự động.",
    ),
}

# Values computed from the reviewed fields at rendering time.
DERIVED: dict[str, tuple[str, str]] = {
    "number_line": ("Dòng số, ký hiệu", "Số: 05/YC-VKSKV1"),
    "place_date": ("Dòng địa danh, ngày tháng", "Hải Phòng, ngày 05 tháng 02 năm 2026"),
    "person_line": (
        "Người bị kết án (họ tên, năm sinh)",
        "Nguyễn Văn An, sinh năm 1990",
    ),
    "judgment_ref": (
        "Bản án (số, ngày, Tòa án)",
        "Bản án số 12/2025/HS-ST ngày 20/03/2025 của Tòa án nhân dân khu vực 1 - "
        "Hải Phòng",
    ),
    "qdtha_ref": (
        "Quyết định thi hành án (số, ngày, Tòa án); trống khi chưa có",
        "Quyết định thi hành án số 45/2025/QĐ-CA ngày 05/05/2025 của Tòa án …",
    ),
    "base_lines": (
        "Danh sách căn cứ đã thêm dấu câu (dùng trong vòng lặp {%p for b in "
        "base_lines %})",
        "Căn cứ Luật Thi hành án hình sự năm 2019;",
    ),
    "body_lines": ("Các đoạn của nội dung", "Yêu cầu Chánh án …"),
    "extra_lines": ("Các dòng của nội dung riêng", "Quyết định ủy thác số …"),
    "recipient_lines": ("Danh sách nơi nhận đã thêm dấu câu", "- Như trên;"),
    "violations": (
        "Danh sách vi phạm: mỗi mục có rule, title, agency, due, done, "
        "late_days, basis; với văn bản lập từ nhiều hồ sơ còn có person "
        "(người bị kết án, số thụ lý) và description",
        "A5 · Tòa án ra quyết định thi hành án · hạn 29/04/2025 · chậm 34 ngày",
    ),
    "period_text": (
        "Khoảng thời gian của các vi phạm (văn bản lập từ nhiều hồ sơ)",
        " từ ngày 01/07/2025 đến ngày 30/09/2025",
    ),
    "violation_lines": (
        "Các vi phạm đã viết thành câu",
        "Tòa án nhân dân khu vực 1 - Hải Phòng: Tòa án ra quyết định thi hành án, "
        "hạn 29/04/2025, quá hạn 34 ngày (BLTTHS 2015, Điều 364 khoản 1-2).",
    ),
    "conviction": (
        "Câu tóm tắt hình phạt, tội danh, bản án",
        'Bị xử phạt 02 năm tù về tội "Trộm cắp tài sản" (Điều 173 khoản 1 BLHS) '
        "theo Bản án số 12/2025/HS-ST ngày 20/03/2025 của Tòa án …",
    ),
    "overdue_line": (
        "Câu nêu thời hạn đã quá (trống khi không quá hạn)",
        "Đến ngày 02/06/2025, việc Tòa án ra quyết định thi hành án đã quá hạn 34 "
        "ngày (hạn cuối ngày 29/04/2025).",
    ),
    "check_lines": ("Các dòng của kết quả kiểm sát", "Quyết định đúng thẩm quyền…"),
    "proposal_lines": ("Các dòng của đề xuất", "Không có vi phạm…"),
    "form_label": ("Số hiệu mẫu", "Mẫu số 09/TH"),
    "unit_name": (
        "Tên đơn vị viết thường",
        "Viện kiểm sát nhân dân khu vực 1 - Hải Phòng",
    ),
}

COMMON = [
    "header_parent",
    "header_unit",
    "symbol_suffix",
    "place",
    "doc_date",
]
PERSON = [
    "person_name",
    "person_birth",
    "person_residence",
    "judgment_number",
    "judgment_date",
    "judgment_court",
    "judgment_effective",
    "crimes",
    "sentence",
]
QDTHA = ["qdtha_number", "qdtha_date", "qdtha_court"]
DEADLINE = ["deadline_title", "deadline_due", "deadline_days_late"]
SIGNER = ["signer_authority", "signer_title", "signer_name", "recipients"]


@dataclass(frozen=True)
class FormSpec:
    code: str
    label: str  # "Mẫu số 09/TH"
    title: str  # document type in capitals
    subject: str  # the subject line under the title
    doc_type: str  # symbol group: YC, TB, PKS, QĐ, KN, KNgh
    instrument: str
    fields: list[str]
    bases: list[Basis]
    body: str = ""
    extra: str = ""
    extra_label: str = ""
    recipients: str = "Như trên\n{parent} (để báo cáo)\nLưu: HSKS, VP"
    addressee_kind: str = "court"  # court | agency | procuracy | violator | none
    rules: tuple[str, ...] = ()  # deadlines whose lateness the form cites
    event_kind: str = ""  # event recorded on the case when issued
    event_details: dict = field(default_factory=dict)
    uses_violations: bool = False

    @property
    def name(self) -> str:
        """'Yêu cầu ra quyết định thi hành án hình sự'."""
        return f"{self.title.capitalize()} {self.subject[:1].lower()}{self.subject[1:]}"

    @property
    def about(self) -> str:
        """What the register's "Trích yếu" says the form is about:
        'kiến nghị khắc phục vi phạm …'; "Kháng nghị đối với vi phạm …"
        reads "kháng nghị vi phạm …", to stand before a convict's "đối với"."""
        subject = " ".join(self.subject.split())
        if subject.lower().startswith("đối với "):
            subject = subject[len("đối với ") :]
        return f"{self.title.lower()} {subject[:1].lower()}{subject[1:]}"

    @property
    def filename(self) -> str:
        return f"{self.code}.docx"

    def basis_lines(self, day: dt.date) -> list[str]:
        """The legal-basis lines of the law in force on ``day``."""
        return [b if isinstance(b, str) else b.line(day) for b in self.bases]

    def execution_law_articles(self) -> list[str]:
        """The 2019 law's articles the form cites ("Điều 21, Điều 22")."""
        return [
            b.articles
            for b in self.bases
            if isinstance(b, LawOnExecution) and b.articles
        ]


QD39 = "Quyết định số 39/QĐ-VKSTC ngày 26/01/2018"
RECONSTRUCTED = "mẫu dựng lại, đơn vị có thể thay bằng mẫu chính thức"

FORMS: dict[str, FormSpec] = {
    spec.code: spec
    for spec in [
        FormSpec(
            "09TH",
            "Mẫu số 09/TH",
            "YÊU CẦU",
            "Ra quyết định thi hành án hình sự",
            "YC",
            QD39,
            COMMON + ["addressee"] + PERSON + DEADLINE + ["bases", "body"] + SIGNER,
            [
                LUAT_TO_CHUC,
                "Căn cứ Điều 364 Bộ luật Tố tụng hình sự năm 2015",
                LawOnExecution("Điều 21, Điều 22"),
                QUY_CHE,
            ],
            body=(
                "{unit_name} yêu cầu {addressee} ra quyết định thi hành án hình "
                "sự (hoặc quyết định ủy thác thi hành án) đối với người bị kết án "
                "nêu trên, gửi quyết định cho Viện kiểm sát và các cơ quan, người "
                "có liên quan theo quy định của pháp luật và thông báo kết quả "
                "cho {unit_name}."
            ),
            rules=("A5", "A6"),
            event_kind="request_issued",
        ),
        FormSpec(
            "10TH",
            "Mẫu số 10/TH",
            "YÊU CẦU",
            "Ra quyết định truy nã người bị kết án phạt tù trốn thi hành án",
            "YC",
            QD39,
            COMMON
            + ["addressee"]
            + PERSON
            + QDTHA
            + ["bases", "extra", "body"]
            + SIGNER,
            [
                LUAT_TO_CHUC,
                LawOnExecution("Điều 22, Điều 23"),
                QUY_CHE,
            ],
            body=(
                "{unit_name} yêu cầu {addressee} ra quyết định truy nã đối với "
                "người bị kết án nêu trên theo quy định của pháp luật và thông "
                "báo kết quả cho {unit_name}."
            ),
            extra="Người bị kết án đã bỏ trốn, không có mặt tại nơi cư trú.",
            extra_label="Tình trạng người bị kết án",
            addressee_kind="agency",
            event_kind="request_issued",
        ),
        FormSpec(
            "11TH",
            "Mẫu số 11/TH",
            "YÊU CẦU",
            "Áp giải thi hành án",
            "YC",
            QD39,
            COMMON
            + ["addressee"]
            + PERSON
            + QDTHA
            + DEADLINE
            + ["bases", "body"]
            + SIGNER,
            [
                LUAT_TO_CHUC,
                LawOnExecution("Điều 22 khoản 1, Điều 23 khoản 4"),
                "Căn cứ Điều 364 khoản 3 Bộ luật Tố tụng hình sự năm 2015",
                QUY_CHE,
            ],
            body=(
                "{unit_name} yêu cầu {addressee} tổ chức áp giải người bị kết án "
                "nêu trên đi chấp hành án (hoặc ra quyết định truy nã nếu người "
                "bị kết án bỏ trốn) và thông báo kết quả cho {unit_name}."
            ),
            addressee_kind="agency",
            rules=("A10",),
            event_kind="request_issued",
        ),
        FormSpec(
            "13TH",
            "Mẫu số 13/TH",
            "THÔNG BÁO",
            "Việc Tòa án ủy thác thi hành án hình sự",
            "TB",
            QD39,
            COMMON + ["addressee"] + PERSON + ["bases", "extra", "body"] + SIGNER,
            [
                "Căn cứ Điều 364 khoản 2 Bộ luật Tố tụng hình sự năm 2015",
                QUY_CHE,
            ],
            body=(
                "{unit_name} thông báo để {addressee} kiểm sát việc Tòa án được "
                "ủy thác ra quyết định thi hành án đối với người bị kết án nêu "
                "trên theo quy định của pháp luật."
            ),
            extra_label="Quyết định ủy thác (số, ngày, Tòa án nhận ủy thác)",
            addressee_kind="procuracy",
        ),
        FormSpec(
            "14TH",
            "Mẫu số 14/TH",
            "THÔNG BÁO",
            "Tiếp nhận ủy thác thi hành án hình sự",
            "TB",
            QD39,
            COMMON
            + ["addressee"]
            + PERSON
            + QDTHA
            + ["bases", "extra", "body"]
            + SIGNER,
            [QUY_CHE],
            body=(
                "{unit_name} đã tiếp nhận việc kiểm sát thi hành án đối với người "
                "bị kết án nêu trên và thông báo để {addressee} biết."
            ),
            extra_label="Quyết định ủy thác đã nhận (số, ngày, Tòa án ủy thác)",
            addressee_kind="procuracy",
        ),
        FormSpec(
            "26TH",
            "Mẫu số 26/TH",
            "THÔNG BÁO",
            "Tiếp nhận kiểm sát thi hành án treo, cải tạo không giam giữ",
            "TB",
            QD39,
            COMMON
            + ["addressee"]
            + PERSON
            + QDTHA
            + ["bases", "extra", "body"]
            + SIGNER,
            [
                LawOnExecution("Điều 84, Điều 96"),
                QUY_CHE,
            ],
            body=(
                "{unit_name} đã tiếp nhận kiểm sát việc thi hành án đối với người "
                "bị kết án nêu trên và thông báo để {addressee} biết, phối hợp."
            ),
            extra_label="Cơ quan, tổ chức giám sát, giáo dục; ngày bắt đầu",
            addressee_kind="procuracy",
        ),
        FormSpec(
            "71TH",
            "Mẫu số 71/TH",
            "PHIẾU KIỂM SÁT",
            "Quyết định về thi hành án hình sự",
            "PKS",
            QD39,
            COMMON
            + PERSON
            + ["decision_ref", "check_result", "proposal", "assignee_name"]
            + SIGNER,
            [],
            recipients="Lưu: HSKS",
            addressee_kind="none",
        ),
        FormSpec(
            "QDPC",
            "Mẫu quyết định phân công",
            "QUYẾT ĐỊNH",
            "Phân công Kiểm sát viên kiểm sát thi hành án hình sự",
            "QĐ",
            "Quyết định số 259/QĐ-VKSTC ngày 20/7/2023",
            COMMON + PERSON + ["assignee_name", "bases"] + SIGNER,
            [LUAT_TO_CHUC, LawOnExecution(), QUY_CHE],
            recipients="Kiểm sát viên được phân công\nLưu: HSKS, VP",
            addressee_kind="none",
        ),
        FormSpec(
            "YCHS",
            "Mẫu yêu cầu cung cấp hồ sơ",
            "YÊU CẦU",
            "Cung cấp hồ sơ, tài liệu về thi hành án hình sự",
            "YC",
            "Quyết định số 259/QĐ-VKSTC ngày 20/7/2023",
            COMMON + ["addressee"] + PERSON + ["bases", "extra", "body"] + SIGNER,
            [
                LUAT_TO_CHUC,
                LawOnExecution("Điều 141"),
                QUY_CHE,
            ],
            body=(
                "{unit_name} yêu cầu {addressee} cung cấp các hồ sơ, tài liệu nêu "
                "trên cho {unit_name} trong thời hạn theo quy định của pháp luật."
            ),
            extra="Quyết định thi hành án và tài liệu về việc tống đạt\n"
            "Tài liệu về việc chấp hành án của người bị kết án",
            extra_label="Hồ sơ, tài liệu cần cung cấp (mỗi dòng một mục)",
        ),
        FormSpec(
            "YCTKT",
            "Mẫu yêu cầu tự kiểm tra",
            "YÊU CẦU",
            "Tự kiểm tra việc thi hành án hình sự",
            "YC",
            "Quyết định số 259/QĐ-VKSTC ngày 20/7/2023",
            COMMON + ["addressee"] + PERSON + ["bases", "extra", "body"] + SIGNER,
            [
                LUAT_TO_CHUC,
                LawOnExecution("Điều 169 khoản 1"),
                QUY_CHE,
            ],
            body=(
                "{unit_name} yêu cầu {addressee} tự kiểm tra việc thi hành án "
                "đối với người bị kết án nêu trên và báo cáo kết quả cho "
                "{unit_name} trong thời hạn 30 ngày kể từ ngày nhận được yêu cầu."
            ),
            extra_label="Nội dung cần tự kiểm tra",
            addressee_kind="violator",
            event_kind="request_issued",
            event_details={"self_inspection": True},
            uses_violations=True,
        ),
        FormSpec(
            "KN",
            "Mẫu kiến nghị",
            "KIẾN NGHỊ",
            "Khắc phục vi phạm trong thi hành án hình sự",
            "KN",
            "Quyết định số 259/QĐ-VKSTC ngày 20/7/2023",
            COMMON + ["addressee"] + PERSON + ["bases", "body"] + SIGNER,
            [
                LUAT_TO_CHUC,
                LawOnExecution("Điều 169 khoản 5"),
                QUY_CHE,
            ],
            body=(
                "{unit_name} kiến nghị {addressee} chỉ đạo khắc phục ngay các vi "
                "phạm nêu trên, có biện pháp phòng ngừa vi phạm tương tự và trả "
                "lời kiến nghị bằng văn bản trong thời hạn 30 ngày kể từ ngày "
                "nhận được kiến nghị."
            ),
            addressee_kind="violator",
            event_kind="recommendation_issued",
            uses_violations=True,
        ),
        FormSpec(
            "KNG",
            "Mẫu kháng nghị",
            "KHÁNG NGHỊ",
            "Đối với vi phạm trong thi hành án hình sự",
            "KNgh",
            "Quyết định số 259/QĐ-VKSTC ngày 20/7/2023",
            COMMON + ["addressee"] + PERSON + ["bases", "body"] + SIGNER,
            [
                LUAT_TO_CHUC,
                LawOnExecution("Điều 169 khoản 4"),
                QUY_CHE,
            ],
            body=(
                "{unit_name} kháng nghị, yêu cầu {addressee} đình chỉ, khắc phục "
                "ngay các vi phạm nêu trên và trả lời kháng nghị bằng văn bản "
                "trong thời hạn 15 ngày kể từ ngày nhận được kháng nghị."
            ),
            addressee_kind="violator",
            event_kind="protest_issued",
            uses_violations=True,
        ),
    ]
}


def form(code: str) -> FormSpec:
    return FORMS[code]


def known_names() -> set[str]:
    """Every name a template may use."""
    return set(FIELDS) | set(DERIVED)
