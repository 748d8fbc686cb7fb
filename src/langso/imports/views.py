"""Import pages: upload → preview with the detected mapping (editable, savable) → confirm →
progress (htmx polling of the job) → result with the error report; and the register export.

Thin: access through :mod:`langso.accounts.access` (write pages: outsiders and readers get 404),
writes through :mod:`langso.imports.actions`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from langso.accounts.access import get_commune_or_404, get_visible_or_404, require_write, scope_for
from langso.lib.errors import RuleViolation

from . import actions, reports
from .models import ImportJob, Status
from .parsing import FIELD_LABELS, FIELDS, data_rows, detect_header, read_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 50 * 1024 * 1024
PREVIEW_ROWS = 15


def _commune(request: HttpRequest, commune_code: str):
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    require_write(scope, commune.pk)
    return scope, commune


def _job(request: HttpRequest, commune_code: str, pk: int) -> ImportJob:
    scope, commune = _commune(request, commune_code)
    return get_visible_or_404(scope, ImportJob.objects.filter(commune=commune), pk=pk)


@login_required
def upload(request: HttpRequest, commune_code: str) -> HttpResponse:
    _, commune = _commune(request, commune_code)
    if request.method == "POST":
        upload = request.FILES.get("file")
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if not upload or suffix not in {".xlsx", ".xls", ".csv"}:
            messages.error(request, "Hãy chọn tệp .xlsx, .xls hoặc .csv. — Choose an .xlsx, .xls or .csv file.")
        elif upload.size > MAX_UPLOAD:
            messages.error(request, "Tệp lớn hơn 50 MB. — The file is larger than 50 MB.")
        else:
            job = actions.create_job(request.user, commune, upload, Path(upload.name).name)
            return redirect("imports:import_job", commune.code, job.pk)
    jobs = ImportJob.objects.filter(commune=commune)[:20]
    return render(request, "imports/upload.html", {"commune": commune, "jobs": jobs})


def _preview_context(job: ImportJob) -> dict[str, Any]:
    sheet = read_file(job.file.path, job.original_name)
    header = detect_header(sheet)
    mapping = job.mapping or actions.file_mapping(job.commune, header.titles)
    sample = []
    for number, cells in data_rows(sheet, header):
        sample.append((number, [("" if c is None else c) for c in cells]))
        if len(sample) >= PREVIEW_ROWS:
            break
    total = sum(1 for _ in data_rows(sheet, header))
    columns = [(i, title or f"Cột {i + 1}") for i, title in enumerate(header.titles)]
    fields = [(name, FIELD_LABELS[name], mapping.get(name)) for name in FIELDS]
    return {"titles": header.titles, "columns": columns, "fields": fields, "sample": sample, "total": total,
            "encoding": sheet.encoding, "header_row": header.row_index + 1}


@login_required
def preview(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    job = _job(request, commune_code, pk)
    context: dict[str, Any] = {"commune": job.commune, "job": job}
    if request.method == "POST" and job.status in {Status.UPLOADED, Status.FAILED}:
        mapping = {}
        for name in FIELDS:
            value = request.POST.get(f"map_{name}", "")
            if value.isdigit():
                mapping[name] = int(value)
        try:
            if request.POST.get("save_mapping"):
                sheet = read_file(job.file.path, job.original_name)
                titles = detect_header(sheet).titles
                actions.save_mapping(request.user, job.commune,
                                     {name: titles[index] for name, index in mapping.items() if index < len(titles)})
            actions.confirm_job(request.user, job, mapping, bool(request.POST.get("skip_bad_rows")))
        except RuleViolation as exc:
            messages.error(request, f"{exc.vi} — {exc.en}")
        return redirect("imports:import_job", job.commune.code, job.pk)
    if job.status == Status.UPLOADED:
        try:
            context.update(_preview_context(job))
        except RuleViolation as exc:
            context["problem"] = exc
    return render(request, "imports/job.html", context)


@login_required
@require_GET
def progress(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    job = _job(request, commune_code, pk)
    response = render(request, "imports/_progress.html", {"commune": job.commune, "job": job})
    if job.status in {Status.DONE, Status.FAILED} and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # show the result page once
    return response


@login_required
@require_GET
def errors_xlsx(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    job = _job(request, commune_code, pk)
    titles = []
    try:
        titles = detect_header(read_file(job.file.path, job.original_name)).titles
    except (RuleViolation, OSError):
        pass
    response = HttpResponse(reports.error_report(job.report, titles), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{job.pk}.xlsx"'
    return response


@login_required
@require_GET
def export(request: HttpRequest, commune_code: str) -> HttpResponse:
    _, commune = _commune(request, commune_code)
    buffer = io.BytesIO()
    reports.export_households(commune, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="so-ho-{commune.code}.xlsx"'
    return response
