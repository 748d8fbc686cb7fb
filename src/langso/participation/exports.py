"""CSV and Excel exports of a survey run: a summary (counts, index per question) and, once the run
is released (:func:`langso.participation.results.summary`), one anonymous row per response.

Column headers are the question codes with the Vietnamese text; rows come in the order of the
responses' random keys and carry no date, so nothing in the file orders or dates a household's
answers.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from . import results
from .models import SurveyRun


def _safe(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @) is quoted (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _filename(run: SurveyRun, ext: str) -> str:
    return f"khao-sat-{run.commune.code}-{run.pk}-{run.opens_on:%Y%m%d}.{ext}"


def summary_rows(run: SurveyRun, summary: results.RunSummary) -> list[list]:
    rows = [
        ["Khảo sát / Survey", run.title_vi],
        ["Xã / Commune", f"{run.commune.full_name} ({run.commune.code})"],
        ["Thời gian / Dates", f"{run.opens_on:%d/%m/%Y} – {run.closes_on:%d/%m/%Y}"],
        ["Hộ được cấp mã / Households with a code", summary.eligible],
        ["Số phiếu / Responses", summary.responses],
        ["Tỷ lệ trả lời (%) / Response rate (%)", summary.response_rate],
        ["Chỉ số hài lòng (%) / Satisfaction index (%)", summary.index],
    ]
    if not summary.released:
        rows.append(["Ghi chú / Note",
                     f"Chi tiết có khi khảo sát đã đóng và có ít nhất {results.MIN_CELL} phiếu. "
                     f"Details appear once the survey is closed and has at least {results.MIN_CELL} responses."])
        return rows
    rows.append([])
    rows.append(["Câu hỏi / Question", "Mã / Code", "Số trả lời / Answered", "Không biết / Don't know",
                 "Hài lòng / Satisfied", "Chỉ số (%) / Index (%)", "Điểm TB / Mean"])
    for q in results.questions(run, True):
        rows.append([q.text_vi, q.code, q.answered, q.dont_know, q.satisfied if not q.suppressed else None,
                     q.index, q.mean])
    return rows


def csv_response(run: SurveyRun, summary: results.RunSummary) -> HttpResponse:
    """UTF-8 CSV with a BOM (Excel opens Vietnamese text correctly): summary, blank line, responses."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerows(summary_rows(run, summary))
    if summary.released:
        columns, rows = results.response_table(run)
        writer.writerow([])
        writer.writerow([f"{c['code']}: {c['vi']}" for c in columns])
        writer.writerows([[_safe(v) for v in row] for row in rows])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(run, "csv")}"'
    return response


def xlsx_bytes(run: SurveyRun, summary: results.RunSummary) -> bytes:
    """An Excel workbook: sheet "Tong hop" (summary) and, when released, "Phieu" (responses)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Tong hop")
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 6, 16)
    for r, row in enumerate(summary_rows(run, summary)):
        for c, value in enumerate(row):
            fmt = bold if c == 0 and len(row) == 2 else None
            if isinstance(value, str):
                sheet.write_string(r, c, value, fmt)
            elif value is not None:
                sheet.write_number(r, c, value, fmt)
    if summary.released:
        columns, rows = results.response_table(run)
        answers = book.add_worksheet("Phieu")
        for c, column in enumerate(columns):
            answers.write(0, c, f"{column['code']}: {column['vi']}", bold)
            answers.set_column(c, c, 40 if column["type"] == "text" else 14)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    answers.write_string(r, c, value)
                elif value is not None:
                    answers.write_number(r, c, value)
        answers.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def xlsx_response(run: SurveyRun, summary: results.RunSummary) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(run, summary),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename(run, "xlsx")}"'
    return response
