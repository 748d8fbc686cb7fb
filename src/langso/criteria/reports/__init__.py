"""Filing reports of assessments and of a province, as one neutral model rendered to Excel
(:mod:`.xlsx`) and PDF (:mod:`.pdf`), so both say the same thing.

Layout of an administrative report (Decree 30/2020/NĐ-CP, Appendix I): the issuing body top left
(superior body above it), the national motto top right, place and date, the title, the body, then
signature blocks (the preparer; the head of the body "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", with room
to sign and seal). Reports are in Vietnamese, the language of filing; values the official text does
not confirm carry "(chưa xác nhận)".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from langso.territory.models import AdministrativeUnit

from .. import queries, standing, targets
from ..models import Assessment, IndicatorKind, Level, ResultStatus

STATUS_VI = {ResultStatus.MET: "Đạt", ResultStatus.NOT_MET: "Chưa đạt", ResultStatus.PENDING: "Chờ",
             "not_assessed": "Chưa đánh giá", "no_data": "Chưa có dữ liệu"}
UNIT_VI = {"percent": "%", "count": "số lượng", "million_vnd": "triệu đồng/người/năm", "": ""}
LEVEL_VI = {Level.STANDARD: "Đạt chuẩn NTM", Level.ADVANCED: "NTM nâng cao", Level.MODEL: "NTM kiểu mẫu",
            Level.MODERN: "NTM hiện đại", Level.SMART_VILLAGE: "Thôn thông minh",
            Level.SMART_PILOT: "Xã thí điểm NTM thông minh"}
MEASURE_VI = {"met": "Đạt", "not_met": "Chưa đạt", "no_data": "Chưa có dữ liệu"}
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width (Excel characters; scaled to the PDF page)
    align: str = "L"  # L, C, R


@dataclass
class Section:
    title: str
    columns: list[Column]
    rows: list[list[str]]
    # Rows shown as a group heading across the table (criterion lines).
    heading_rows: set[int] = field(default_factory=set)
    sheet: str = ""  # name of the section's own data sheet in the workbook


@dataclass
class Report:
    """What a filed report shows. ``authority`` is the title block's left column (superior body,
    issuing body); ``signatures`` are ``(role, note, name)`` from left to right."""

    authority: list[str]
    place_date: str
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    notes: list[str]
    signatures: list[tuple[str, str, str]]
    filename: str
    sheet: str = "Báo cáo"


def vi_date(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def vi_number(value: float | None, decimals: int = 1) -> str:
    """``1234.5`` → ``"1.234,5"`` (Vietnamese separators); ``None`` → ``"—"``."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def threshold_text(result: Any) -> str:
    indicator = result.indicator
    if indicator.placeholder:
        return "(chưa nhập)"
    if indicator.kind == IndicatorKind.BOOLEAN:
        text = "Đạt"
    elif result.threshold is None:
        return "(chưa có mức chuẩn)"
    else:
        symbol = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}.get(result.comparison, result.comparison)
        unit = "%" if indicator.unit == "percent" else ""
        text = f"{symbol} {vi_number(result.threshold)}{unit}"
    return text if result.threshold_verified else f"{text} (chưa xác nhận)"


def value_text(result: Any) -> str:
    indicator = result.indicator
    if indicator.kind == IndicatorKind.BOOLEAN:
        return {True: "Đạt", False: "Không đạt", None: "—"}[result.met_declared]
    if result.value is None:
        return "—"
    text = vi_number(result.value) + ("%" if indicator.unit == "percent" else "")
    if indicator.unit == "percent" and result.denominator:
        text += f" ({vi_number(result.numerator, 0)}/{vi_number(result.denominator, 0)})"
    return text


def _signature_place(unit: AdministrativeUnit, day: dt.date) -> str:
    return f"{unit.name}, {vi_date(day)}"


def assessment_report(assessment: Assessment, today: dt.date | None = None) -> Report:
    """The commune's filing report of one assessment: facts, criteria summary, every indicator,
    the gap to the level and the review history."""
    today = today or timezone.localdate()
    commune = assessment.commune
    province = commune.province
    summary = standing.summarise(assessment)
    criteria_set = assessment.criteria_set
    facts = [
        ("Đơn vị", f"{commune.full_name} (mã {commune.code}), {province.full_name if province else ''}"),
        ("Bộ tiêu chí", f"{criteria_set.name_vi} — phiên bản {criteria_set.version}"),
        ("Căn cứ", criteria_set.source + (f"; {criteria_set.amended_by}" if criteria_set.amended_by else "")),
        ("Năm đánh giá", str(assessment.year)),
    ]
    if assessment.class_key:
        facts.append(("Vùng/nhóm xã", criteria_set.class_name(assessment.class_key)))
    if assessment.indicator_period:
        facts.append(("Số liệu tự động", f"kỳ {assessment.indicator_period[4:]}/{assessment.indicator_period[:4]}"
                      + (f", đếm ngày {assessment.indicator_as_of:%d/%m/%Y}" if assessment.indicator_as_of else "")))
    counts = summary["criteria_counts"]
    facts += [
        ("Trạng thái hồ sơ", assessment.get_status_display().split(" / ")[0]),
        ("Kết quả", f"{counts['met']}/{counts['total']} tiêu chí đạt; {summary['counts']['met']}/"
                    f"{summary['counts']['total']} chỉ tiêu đạt, {summary['counts']['not_met']} chưa đạt, "
                    f"{summary['counts']['pending']} chờ"),
    ]
    crit_rows = []
    detail_rows: list[list[str]] = []
    headings: set[int] = set()
    for group in summary["criteria"]:
        criterion = group["criterion"]
        met = sum(1 for r in group["rows"] if r["status"] == ResultStatus.MET)
        crit_rows.append([criterion.number, criterion.name_vi, f"{met}/{len(group['rows'])}", STATUS_VI[group["status"]]])
        headings.add(len(detail_rows))
        detail_rows.append([f"{criterion.number}. {criterion.name_vi}", "", "", "", "", "", ""])
        empty = [row["indicator"].code for row in group["rows"] if row["indicator"].placeholder]
        for row in group["rows"]:
            result, indicator = row["result"], row["indicator"]
            if indicator.placeholder:
                continue
            status = STATUS_VI[row["status"]]
            if row["reason"]:
                status += f" — {row['reason_text']}"
            if row["gap"]:
                gap = row["gap"]
                status += (f" — thiếu {vi_number(gap['points'])} điểm %" if indicator.unit == "percent"
                           else f" — thiếu {vi_number(gap['points'])}")
                if gap["count"]:
                    status += f" ({gap['count']} {'thêm' if gap['direction'] == 'more' else 'bớt'})"
            source = "Tự động" if result.source == "auto" else ("—" if indicator.placeholder else "Xã nhập")
            evidence = len(row["evidence"])
            if evidence:
                source += f", {evidence} minh chứng"
            name = indicator.name_vi + ("" if indicator.verified or indicator.placeholder else " (nội dung chưa xác nhận)")
            detail_rows.append([indicator.code, name, UNIT_VI.get(indicator.unit, ""), threshold_text(result),
                                value_text(result), source, status])
        if empty:
            codes = empty[0] if len(empty) == 1 else f"{empty[0]}–{empty[-1]}"
            detail_rows.append([codes, f"{len(empty)} ô chỉ tiêu chưa nhập nội dung (tỉnh bổ sung theo văn bản gốc)",
                                "", "(chưa nhập)", "—", "—", "Chờ"])
    history = []
    for step in queries.steps(assessment):
        text = "\n".join(filter(None, [step.comment, *queries.step_changes(step)]))
        history.append([f"{step.at.astimezone(timezone.get_current_timezone()):%d/%m/%Y %H:%M}",
                        step.get_kind_display().split(" / ")[0], step.actor_name,
                        (f"[{step.indicator.code}] " if step.indicator else "") + text])
    sections = [
        Section("I. TỔNG HỢP THEO TIÊU CHÍ", [Column("TT", 6, "C"), Column("Tiêu chí", 60), Column("Chỉ tiêu đạt", 14, "C"),
                                               Column("Kết quả", 16, "C")], crit_rows,
                sheet="Tổng hợp"),
        Section("II. CHI TIẾT CHỈ TIÊU", [Column("Mã", 10, "C"), Column("Chỉ tiêu", 55), Column("Đơn vị tính", 11, "C"),
                                          Column("Mức chuẩn", 20, "C"), Column("Giá trị", 22, "R"),
                                          Column("Nguồn số liệu", 16), Column("Kết quả", 34)],
                detail_rows, headings, sheet="Chi tiết chỉ tiêu"),
        Section("III. QUÁ TRÌNH XÉT DUYỆT", [Column("Thời gian", 17), Column("Bước", 24), Column("Người thực hiện", 28),
                                             Column("Nội dung", 80)], history, sheet="Xét duyệt"),
    ]
    notes = [
        "Mức chuẩn ghi \"(chưa xác nhận)\" chưa được đối chiếu với văn bản gốc; chỉ tiêu \"Chờ\" chưa đủ căn cứ "
        "để kết luận đạt hay chưa đạt.",
        "Số liệu tự động lấy từ sổ hộ, mã QR thanh toán, địa chỉ số và sổ văn bản của xã trên Làng số.",
    ]
    if not criteria_set.allocation_verified:
        notes.append("Phân bổ chỉ tiêu theo tiêu chí của bộ tiêu chí này chưa được xác nhận với văn bản gốc.")
    return Report(
        authority=[f"UBND {province.full_name.upper()}" if province else "", f"UBND {commune.full_name.upper()}"],
        place_date=_signature_place(commune, today),
        title="BÁO CÁO",
        subtitle=f"Kết quả tự đánh giá theo {criteria_set.name_vi} năm {assessment.year}",
        facts=facts, sections=sections, notes=notes,
        signatures=[("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", ""),
                    ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "(Ký, đóng dấu, ghi rõ họ tên)", "")],
        filename=f"danh-gia-{commune.code}-{criteria_set.code}-{assessment.year}",
        sheet=f"Xã {commune.code} {assessment.year}",
    )


def province_report(province: AdministrativeUnit, year: int, today: dt.date | None = None) -> Report:
    """The province's report: communes by the level they qualify for in ``year``, every commune's
    standing, certifications and the programme targets of Decision 924/QĐ-TTg."""
    today = today or timezone.localdate()
    overview = queries.province_overview(province, year)
    group_names = {**{level: LEVEL_VI[level] for level in overview["levels"]},
                   "not_qualified": "Đã đánh giá, chưa đạt mức nào", "not_assessed": "Chưa đánh giá"}
    summary_rows = [[group_names[g["key"]], vi_number(len(g["communes"]), 0)] for g in overview["groups"]]
    rows = []
    for i, row in enumerate(overview["rows"], start=1):
        summary = row["summary"]
        assessment = row["assessment"]
        klass = row["class"]
        rows.append([
            str(i), row["commune"].code, row["commune"].full_name,
            row["class_name"] or "—",
            assessment.get_status_display().split(" / ")[0] if assessment else "Chưa đánh giá",
            f"{summary['criteria_met']}/{summary['criteria_total']}" if summary else "—",
            f"{summary['indicators_met']}/{summary['indicators_total']}" if summary else "—",
            LEVEL_VI.get(row["highest"], "Chưa đạt") if row["highest"] else ("Chưa đạt" if assessment else "—"),
            "; ".join(f"{LEVEL_VI[c.level]} ({c.decision_number})" for c in row["certified"]) or "—",
        ])
    progress = targets.province_progress(province)
    target_rows = []
    for target in progress["targets"]:
        for measure in target["measures"]:
            symbol = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}[measure["comparison"]]
            unit = "%" if measure["unit"] == "percent" else ""
            if measure["status"] == "no_data":
                actual = "Chưa có dữ liệu"
                if measure["per"] == "district":
                    actual += " (huyện cũ)"
            elif measure["unit"] == "percent":
                actual = f"{vi_number(measure['actual'])}%"
                if measure["met_count"] is not None:
                    seen = "đã đánh giá" if measure["source"] == "assessment" else "có số liệu"
                    actual += f" ({measure['met_count']}/{measure['total']} xã; {measure['assessed']} xã {seen})"
            else:
                actual = vi_number(measure["actual"], 0)
            target_rows.append([target["code"], measure["label"], f"{symbol} {vi_number(measure['target'])}{unit}",
                                actual, MEASURE_VI[measure["status"]],
                                measure["needs"] if measure["status"] == "no_data" else ""])
    level_set = overview["sets"].get(overview["levels"][0]) if overview["levels"] else None
    facts = [("Đơn vị", f"{province.full_name} (mã {province.code}), {len(overview['rows'])} xã xét nông thôn mới"
                       + (f" ({overview['wards']} phường không xét)" if overview["wards"] else "")),
             ("Năm", str(year))]
    if level_set:
        facts.append(("Bộ tiêu chí", f"{level_set.name_vi} — {level_set.source}"))
    sections = [
        Section("I. SỐ XÃ THEO MỨC ĐẠT", [Column("Mức", 60), Column("Số xã", 14, "R")], summary_rows,
                sheet="Số xã theo mức"),
        Section("II. KẾT QUẢ TỪNG XÃ", [Column("TT", 6, "C"), Column("Mã", 8, "C"), Column("Đơn vị", 28),
                                        Column("Vùng/nhóm", 16), Column("Hồ sơ", 16), Column("Tiêu chí đạt", 11, "C"),
                                        Column("Chỉ tiêu đạt", 11, "C"), Column("Mức đạt", 16),
                                        Column("Đã công nhận", 30)], rows, sheet="Từng xã"),
        Section(f"III. MỤC TIÊU CHƯƠNG TRÌNH ({progress['source']})",
                [Column("Mã", 10, "C"), Column("Nội dung", 50), Column("Mục tiêu", 12, "C"), Column("Thực hiện", 36),
                 Column("Đánh giá", 14, "C"), Column("Ghi chú", 50)], target_rows, sheet="Mục tiêu chương trình"),
    ]
    notes = [
        "\"Chưa có dữ liệu\": hệ thống chưa có sổ sách cần cho chỉ tiêu này, không phải 0%.",
        "Mức đạt tính theo kết quả đánh giá trên hệ thống; công nhận chính thức theo quyết định của cấp có thẩm quyền.",
    ]
    return Report(
        authority=["UBND " + province.full_name.upper(), "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI"],
        place_date=f"{province.name}, {vi_date(today)}",
        title="BÁO CÁO",
        subtitle=f"Kết quả xây dựng nông thôn mới và thực hiện mục tiêu chương trình năm {year}",
        facts=facts, sections=sections, notes=notes,
        signatures=[("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", ""),
                    ("CHÁNH VĂN PHÒNG", "(Ký, đóng dấu, ghi rõ họ tên)", "")],
        filename=f"nong-thon-moi-{province.code}-{year}",
        sheet=f"Tỉnh {province.code} {year}",
    )
