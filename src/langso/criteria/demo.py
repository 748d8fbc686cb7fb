"""Demo data of the criteria app (``langso demo``, after ``compute``). Everything says DỮ LIỆU MẪU / demo.

- the shipped criteria sets are loaded;
- the demo communes get a region (2021–2025, from their legacy province) and a commune group
  (2026–2030) — assumptions of the demo, not a province's decision;
- legacy commune 09148 Ngũ Kiên keeps a model-commune recognition as history (the reference
  commune's reported result; the decision number and date are made up and say so);
- 2025: assessments against the 2021–2025 new-rural set with criterion 8 entered (for GOV-2);
- 2026: the reference commune 09154 Vĩnh Phú is assessed against the 2026–2030 set — automatic
  indicators from the records, entered ones with evidence files — and goes through the review:
  submitted, commented, returned, fixed, resubmitted, approved, one indicator reopened, changed and
  resubmitted (awaiting the province's approval again); the other communes are at other steps.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from langso.accounts.models import Membership, Role
from langso.lib.vietnamese import fold
from langso.territory.models import AdministrativeUnit, UnitType

from . import actions, catalogue
from .models import Assessment, CertificationRecord, CriteriaSet, Level, Scheme
from .reports.pdf import FONT, FONT_DIR

REFERENCE = "09154"
DEMO_NOTE = "DỮ LIỆU MẪU — giả định của bản demo, không phải quyết định của tỉnh / demo assumption, not a decision"
# Legacy province of each demo commune decides its 2021–2025 region; groups are the demo's assumption.
REGION_BY_LEGACY_PROVINCE = {"26": "dbsh", "25": "tdmnpb", "17": "tdmnpb"}
GROUP = {"05200": "group3", "07900": "group1"}


def _officer(unit: AdministrativeUnit, role: str) -> Any:
    """The first demo user holding ``role`` on ``unit`` (``None``: the action runs as the system)."""
    membership = Membership.objects.filter(unit=unit, role=role).select_related("user").order_by("id").first()
    return membership.user if membership else None


def _evidence_pdf(title: str, lines: list[str]) -> bytes:
    pdf = FPDF(unit="mm", format=(148, 210))
    pdf.add_font(FONT, "", str(FONT_DIR / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "BeVietnamPro-Bold.ttf"))
    pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 6, "DỮ LIỆU MẪU — không có giá trị pháp lý", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _upload(commune: AdministrativeUnit, title: str, *lines: str) -> SimpleUploadedFile:
    name = fold(title).replace(" ", "-")[:80] + ".pdf"
    content = _evidence_pdf(f"{title}\n{commune.full_name}", list(lines))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _region(commune: AdministrativeUnit) -> str:
    legacy = {link.predecessor.province.code for link in commune.predecessor_links.select_related("predecessor__province")
              if link.predecessor.province_id}
    for code in ("26", "25", "17"):
        if code in legacy:
            return REGION_BY_LEGACY_PROVINCE[code]
    return "tdmnpb"


def classify(communes: list[AdministrativeUnit]) -> None:
    for commune in communes:
        province_officer = _officer(commune.province, Role.PROVINCE_OFFICER)
        if not actions.classification_of(commune, Scheme.GROUP_2026, 2026):
            actions.classify_commune(province_officer, commune, Scheme.GROUP_2026, GROUP.get(commune.code, "group2"),
                                     source=DEMO_NOTE, valid_from=dt.date(2026, 2, 15))
        if not actions.classification_of(commune, Scheme.REGION_2021, 2025):
            actions.classify_commune(
                province_officer, commune, Scheme.REGION_2021, _region(commune),
                source=f"{DEMO_NOTE}; vùng theo tỉnh cũ (Vĩnh Phúc: Đồng bằng sông Hồng; Phú Thọ, Hòa Bình: "
                       "Trung du và miền núi phía Bắc)")


def legacy_history(reference: AdministrativeUnit) -> None:
    """Ngũ Kiên (legacy 09148, merged into Vĩnh Phú): Vĩnh Phúc's first model new-rural commune."""
    ngu_kien = (AdministrativeUnit.objects.legacy().communes().filter(code="09148", province__code="26").first())
    if ngu_kien is None or CertificationRecord.objects.filter(unit=ngu_kien).exists():
        return
    province_officer = _officer(reference.province, Role.PROVINCE_OFFICER)
    for level, year, day, number in [(Level.STANDARD, 2015, dt.date(2015, 12, 20), "DEMO 01/QĐ-UBND"),
                                     (Level.ADVANCED, 2020, dt.date(2020, 12, 18), "DEMO 02/QĐ-UBND"),
                                     (Level.MODEL, 2023, dt.date(2023, 11, 30), "DEMO 03/QĐ-UBND")]:
        actions.record_certification(
            province_officer, ngu_kien, level=level, year=year, decision_number=number, decided_on=day,
            issuing_body="UBND tỉnh Vĩnh Phúc",
            note="DỮ LIỆU MẪU: số và ngày quyết định là giả định. Ngũ Kiên được báo cáo là xã NTM kiểu mẫu đầu tiên "
                 "của Vĩnh Phúc (12/2023).")


def _enter(officer: Any, assessment: Assessment, code: str, *, value: float | None = None, met: bool | None = None,
           note: str = "", evidence: tuple[str, ...] = ()) -> None:
    result = assessment.results.select_related("indicator").get(indicator__code=code)
    actions.enter_value(officer, result, value=value, met=met, note=note)
    if evidence:
        actions.add_evidence(officer, result, _upload(assessment.commune, *evidence), description=evidence[0])


def _assessment(officer: Any, commune: AdministrativeUnit, code: str, year: int) -> Assessment | None:
    criteria_set = CriteriaSet.objects.filter(code=code, is_latest=True).first()
    if criteria_set is None or Assessment.objects.filter(commune=commune, criteria_set__code=code, year=year).exists():
        return None
    return actions.start_assessment(officer, commune, criteria_set, year)


def assessments_2025(commune: AdministrativeUnit, officer: Any, province_officer: Any, rng: random.Random) -> None:
    assessment = _assessment(officer, commune, "ntm-xa-2021-2025", 2025)
    if assessment is None:
        return
    it_ok = commune.code in {REFERENCE, "09025"} or rng.random() < 0.5
    for code in ("8.1", "8.2", "8.3"):
        _enter(officer, assessment, code, met=True, evidence=(f"Biên bản kiểm tra chỉ tiêu {code}", "Kết luận: đạt."))
    _enter(officer, assessment, "8.4", met=it_ok,
           note="" if it_ok else "Chưa có hệ thống quản lý văn bản điều hành dùng chung.",
           evidence=("Báo cáo ứng dụng CNTT trong quản lý, điều hành năm 2025",
                     "100% văn bản đi được ký số." if it_ok else "Văn bản đi còn ký tay."))
    if commune.code == "05200":
        return  # still a draft
    actions.submit_assessment(officer, assessment, "Xã gửi kết quả tự đánh giá tiêu chí 8 năm 2025.")
    if commune.code in {REFERENCE, "09025"}:
        actions.approve_assessment(province_officer, assessment, "Đồng ý kết quả tiêu chí 8.")


def assessments_2026(commune: AdministrativeUnit, officer: Any, province_officer: Any) -> None:
    assessment = _assessment(officer, commune, "ntm-xa-2026-2030", 2026)
    if assessment is None:
        return
    _enter(officer, assessment, "1.1", met=True, note="Quy hoạch chung xã được UBND tỉnh phê duyệt sau sáp nhập.",
           evidence=("Quyết định phê duyệt quy hoạch chung xã", "Quy hoạch chung xây dựng xã, tỷ lệ 1/5.000."))
    _enter(officer, assessment, "1.2", met=True,
           evidence=("Quy định quản lý theo quy hoạch", "Ban hành kèm theo quyết định của UBND xã."))
    _enter(officer, assessment, "7.5", met=True, note="Tổ công nghệ số cộng đồng ở tất cả các thôn.",
           evidence=("Quyết định kiện toàn Tổ công nghệ số cộng đồng năm 2025", "Danh sách tổ viên kèm theo."))
    if commune.code == "08053":
        return  # a draft
    actions.submit_assessment(officer, assessment, "Xã gửi kết quả tự đánh giá năm 2026.")
    if commune.code == "05200":
        return  # awaiting the province
    if commune.code != REFERENCE:
        actions.approve_assessment(province_officer, assessment, "Thống nhất kết quả tự đánh giá.")
        return
    actions.comment_assessment(province_officer, assessment,
                               "Chỉ tiêu 7.2: tỷ lệ người trưởng thành có tài khoản chưa đạt ngưỡng tạm 95%, đề nghị xã "
                               "có kế hoạch phối hợp ngân hàng mở tài khoản cho người dân.")
    actions.return_assessment(province_officer, assessment,
                              "Chỉ tiêu 7.5: minh chứng là quyết định năm 2025 của xã cũ; đề nghị bổ sung quyết định "
                              "kiện toàn Tổ công nghệ số cộng đồng của xã mới.")
    _enter(officer, assessment, "7.5", met=True, note="Đã kiện toàn Tổ công nghệ số cộng đồng theo địa giới xã mới.",
           evidence=("Quyết định kiện toàn Tổ công nghệ số cộng đồng năm 2026", "Kiện toàn theo xã mới sau sáp nhập."))
    actions.submit_assessment(officer, assessment, "Xã đã bổ sung minh chứng chỉ tiêu 7.5.")
    actions.approve_assessment(province_officer, assessment, "Phê duyệt kết quả tự đánh giá năm 2026.")
    actions.reopen_indicator(province_officer, assessment, "1.2",
                             "Quy định quản lý quy hoạch ban hành trước sáp nhập, đề nghị xã cập nhật theo quy hoạch mới.")
    _enter(officer, assessment, "1.2", met=True, note="Ban hành lại quy định quản lý theo quy hoạch chung xã mới.",
           evidence=("Quy định quản lý theo quy hoạch (ban hành lại)", "Áp dụng cho toàn bộ địa giới xã mới."))
    actions.submit_assessment(officer, assessment, "Xã đã cập nhật chỉ tiêu 1.2 theo yêu cầu.")


def issue_demo_assessments(seed: int, commune_codes: list[str]) -> int:
    """Set up the criteria demo for the given current communes (rural communes only; wards are not
    assessed against new-rural sets). Idempotent: existing assessments are left alone. Returns the
    number of assessments the demo communes hold afterwards."""
    catalogue.sync_sets()  # idempotent: picks up edited set files too
    communes = list(AdministrativeUnit.objects.current().communes().filter(code__in=commune_codes,
                                                                          unit_type=UnitType.COMMUNE)
                    .select_related("province").order_by("code"))
    # The reference commune first: its story is the one the demo tells.
    communes.sort(key=lambda c: (c.code != REFERENCE, c.code))
    classify(communes)
    reference = next((c for c in communes if c.code == REFERENCE), None)
    if reference is not None:
        legacy_history(reference)
    rng = random.Random(seed)
    for commune in communes:
        officer = _officer(commune, Role.COMMUNE_OFFICER)
        province_officer = _officer(commune.province, Role.PROVINCE_OFFICER)
        assessments_2025(commune, officer, province_officer, rng)
        assessments_2026(commune, officer, province_officer)
    if reference is not None and not CertificationRecord.objects.filter(unit=reference, level=Level.SMART_PILOT).exists():
        actions.record_certification(_officer(reference.province, Role.PROVINCE_OFFICER), reference, level=Level.SMART_PILOT, year=2026,
                                     decision_number="DEMO 04/QĐ-UBND", decided_on=dt.date(2026, 3, 10),
                                     issuing_body="UBND tỉnh Phú Thọ",
                                     note="DỮ LIỆU MẪU: chọn xã thí điểm NTM thông minh (SOC-2, QĐ 924/QĐ-TTg).")
    return Assessment.objects.filter(commune__in=communes).count()
