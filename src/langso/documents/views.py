"""Officer pages: the commune's register of documents, drafting, signing, issuing, replacing, and the
residents' requests. Thin: access through :mod:`langso.accounts.access` (outsiders get 404, readers
get 404 on write URLs), writes through :mod:`langso.documents.actions`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from langso.accounts.access import get_commune_or_404, get_visible_or_404, require_write, scope_for
from langso.lib.errors import RuleViolation

from . import actions, queries
from .forms import ApproveForm, DraftForm, PinForm, RefuseForm
from .models import Document, ResidenceRequest
from .public import _pdf_response


def _commune(request: HttpRequest, commune_code: str, *, write: bool = False):
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    if write:
        require_write(scope, commune.pk)
    return scope, commune


def _document(request: HttpRequest, commune_code: str, pk: int, *, write: bool = False):
    scope, commune = _commune(request, commune_code, write=write)
    return scope, commune, get_visible_or_404(scope, Document.objects.filter(commune=commune), pk=pk)


def _error(request: HttpRequest, exc: RuleViolation) -> None:
    messages.error(request, f"{exc.vi} — {exc.en}")


@login_required
@require_GET
def document_list(request: HttpRequest, commune_code: str) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    documents = queries.register(scope, commune)[:200]
    return render(request, "documents/document_list.html", {
        "commune": commune, "documents": documents, "can_write": scope.can_write_commune(commune.pk),
        "credential": actions.active_credential(commune),
        "open_requests": queries.open_request_count(scope, commune),
    })


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest, commune_code: str) -> HttpResponse:
    _, commune = _commune(request, commune_code, write=True)
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = actions.create_draft(request.user, commune, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, f"{exc.vi} — {exc.en}")
        else:
            return redirect("documents:detail", commune.code, document.pk)
    return render(request, "documents/document_form.html", {"commune": commune, "form": form, "document": None})


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    _, commune, document = _document(request, commune_code, pk, write=True)
    if not document.is_editable:
        messages.error(request, "Văn bản đã ký không được sửa. — A signed document is never edited.")
        return redirect("documents:detail", commune.code, document.pk)
    initial = {name: getattr(document, name) for name in actions.DRAFT_FIELDS}
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_draft(request.user, document, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, f"{exc.vi} — {exc.en}")
        else:
            return redirect("documents:detail", commune.code, document.pk)
    return render(request, "documents/document_form.html", {"commune": commune, "form": form, "document": document})


@login_required
@require_GET
def document_detail(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    scope, commune, document = _document(request, commune_code, pk)
    replacement = Document.objects.filter(supersedes=document).first()
    return render(request, "documents/document_detail.html", {
        "commune": commune, "document": document, "can_write": scope.can_write_commune(commune.pk),
        "signed": getattr(document, "signed_file", None), "pin_form": PinForm(),
        "credential": actions.active_credential(commune), "replacement": replacement,
        "verify_url": actions.verification_url(document),
    })


@xframe_options_sameorigin  # shown in the detail page's frame
@login_required
@require_GET
def document_pdf(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    """The signed PDF, or for a draft a preview marked DỰ THẢO."""
    _, _, document = _document(request, commune_code, pk)
    signed = getattr(document, "signed_file", None)
    if signed is not None:
        return _pdf_response(bytes(signed.content), f"{document.number}-{document.symbol}.pdf")
    return _pdf_response(actions.preview_pdf(document), f"du-thao-{document.pk}.pdf")


@login_required
@require_POST
def document_sign(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    _, commune, document = _document(request, commune_code, pk, write=True)
    form = PinForm(request.POST)
    if form.is_valid():
        try:
            document = actions.sign_document(request.user, document, form.cleaned_data["pin"])
        except RuleViolation as exc:
            _error(request, exc)
        else:
            messages.success(request, f"Đã ký số văn bản {document.number_and_symbol}. — Signed.")
    return redirect("documents:detail", commune.code, document.pk)


@login_required
@require_POST
def document_issue(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    _, commune, document = _document(request, commune_code, pk, write=True)
    try:
        actions.issue_document(request.user, document)
    except RuleViolation as exc:
        _error(request, exc)
    else:
        messages.success(request, "Đã ban hành văn bản. — Issued.")
    return redirect("documents:detail", commune.code, document.pk)


@login_required
@require_POST
def document_replace(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    _, commune, document = _document(request, commune_code, pk, write=True)
    try:
        replacement = actions.start_replacement(request.user, document)
    except RuleViolation as exc:
        _error(request, exc)
        return redirect("documents:detail", commune.code, document.pk)
    messages.info(request, "Đã tạo dự thảo văn bản thay thế. — Replacement draft created.")
    return redirect("documents:edit", commune.code, replacement.pk)


# --- residents' requests -------------------------------------------------------------------------------

def _request(request: HttpRequest, commune_code: str, pk: int, *, write: bool = False):
    scope, commune = _commune(request, commune_code, write=write)
    return scope, commune, get_visible_or_404(scope, ResidenceRequest.objects.filter(commune=commune), pk=pk)


def _usual_signer(commune) -> str:
    """The name on the commune's latest digitally signed document (the chair, usually)."""
    latest = Document.objects.filter(commune=commune, signed_at__isnull=False).order_by("-signed_at").first()
    return latest.signer_name if latest else ""


@login_required
@require_GET
def request_list(request: HttpRequest, commune_code: str) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    return render(request, "documents/request_list.html", {
        "commune": commune, "requests": queries.requests(scope, commune)[:200],
    })


@login_required
@require_GET
def request_detail(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    scope, commune, req = _request(request, commune_code, pk)
    can_write = scope.can_write_commune(commune.pk)
    return render(request, "documents/request_detail.html", {
        "commune": commune, "req": req, "can_write": can_write,
        "matches": list(actions.matching_residents(req)[:5]) if can_write else [],
        "approve_form": ApproveForm(initial={"signer_title": "CHỦ TỊCH", "signer_name": _usual_signer(commune)}),
        "refuse_form": RefuseForm(),
        "credential": actions.active_credential(commune),
    })


@login_required
@require_POST
def request_review(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    _, commune, req = _request(request, commune_code, pk, write=True)
    actions.start_review(request.user, req)
    return redirect("documents:request", commune.code, req.pk)


@login_required
@require_POST
def request_approve(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    _, commune, req = _request(request, commune_code, pk, write=True)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cần mã PIN và họ tên người ký. — PIN and signer's name are required.")
    else:
        try:
            req = actions.approve_residence_request(request.user, req, form.cleaned_data["pin"],
                                                    signer_name=form.cleaned_data["signer_name"],
                                                    signer_title=form.cleaned_data["signer_title"])
        except RuleViolation as exc:
            _error(request, exc)
        else:
            messages.success(request, f"Đã ký và trả kết quả {req.document.number_and_symbol}. — Signed and issued.")
    return redirect("documents:request", commune.code, req.pk)


@login_required
@require_POST
def request_refuse(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    _, commune, req = _request(request, commune_code, pk, write=True)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            actions.refuse_residence_request(request.user, req, form.cleaned_data["reason"])
        except RuleViolation as exc:
            _error(request, exc)
    else:
        messages.error(request, "Cần ghi lý do từ chối. — A reason is required.")
    return redirect("documents:request", commune.code, req.pk)


