"""Public pages (no login): verify a PDF, a document's verification record (the QR target), the demo
CA's certificate and CRL, and the residents' residence-confirmation procedure.

What a public page shows of a document: issuing body, number and symbol, date, type, status and the
signature; the summary only for documents that are not about a person (a certificate's summary and
body name the resident, Law 91/2025/QH15 on personal data protection). Unknown codes give 404.
Failed look-ups of a code (``v/…``, ``services/track/``, ``services/requests/…``) are
rate-limited per client, and so are uploads for verification (:mod:`langso.lib.ratelimit`,
docs/access.md "Rate limits").
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from langso.lib import ratelimit
from langso.lib.errors import RuleViolation
from langso.territory.models import AdministrativeUnit

from . import actions, queries, trust, verification
from .forms import ResidenceRequestForm, TrackForm, UploadForm
from .models import Authority, DocumentType, RequestStatus, SigningCredential


def _check_upload(upload) -> verification.Report:
    data = b"".join(upload.chunks())
    return verification.verify_pdf(data, trust.validation_context)


@ratelimit.limit_posts("verify-upload")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a PDF and read the verdict, who signed, when, whether it changed, the chain."""
    form = UploadForm(request.POST or None, request.FILES or None)
    report = registered = None
    if request.method == "POST" and form.is_valid():
        report = _check_upload(form.cleaned_data["file"])
        registered = queries.registered_copy(report.sha256)
    return render(request, "documents/verify.html", {"form": form, "report": report, "registered": registered})


@ratelimit.limit_misses()
@ratelimit.limit_posts("verify-upload")
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, code: str) -> HttpResponse:
    """The verification record a document's QR points to; an uploaded copy is compared with it."""
    document = queries.public_record(code)
    if document is None:
        raise Http404("Không tìm thấy / Not found")
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = _check_upload(form.cleaned_data["file"])
    signed = getattr(document, "signed_file", None)
    return render(request, "documents/record.html", {
        "document": document, "signed": signed, "form": form, "report": report,
        "same_file": report is not None and signed is not None and report.sha256 == signed.sha256,
        "personal": document.doc_type == DocumentType.CERTIFICATE,
    })


@ratelimit.limit_misses()
@require_GET
def record_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The official signed copy of a public (non-personal) issued document."""
    document = queries.public_record(code)
    signed = getattr(document, "signed_file", None) if document else None
    if document is None or signed is None or document.doc_type == DocumentType.CERTIFICATE:
        raise Http404("Không tìm thấy / Not found")
    return _pdf_response(bytes(signed.content), f"{document.number}-{document.symbol}.pdf")


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def demo_root(request: HttpRequest) -> HttpResponse:
    """The demo root certificate (PEM), to install in a PDF reader for trying the demo."""
    root = Authority.objects.filter(kind=Authority.Kind.ROOT, is_demo=True).first()
    if root is None:
        raise Http404("Không tìm thấy / Not found")
    from cryptography import x509

    from . import pki

    pem = pki.pem(x509.load_der_x509_certificate(bytes(root.certificate_der)))
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="langso-demo-root-ca.pem"'
    return response


@require_GET
def demo_crl(request: HttpRequest) -> HttpResponse:
    """The demo CA's current CRL (DER), the distribution point named in demo certificates."""
    root = Authority.objects.filter(kind=Authority.Kind.ROOT, is_demo=True).exclude(crl_der=None).first()
    if root is None:
        raise Http404("Không tìm thấy / Not found")
    return HttpResponse(bytes(root.crl_der), content_type="application/pkix-crl")


# --- residence confirmation ------------------------------------------------------------------------

def _communes_with_service():
    ids = SigningCredential.objects.filter(active=True).values_list("commune_id", flat=True)
    return AdministrativeUnit.objects.current().communes().filter(pk__in=ids).select_related("province")


@require_GET
def services(request: HttpRequest) -> HttpResponse:
    """Communes that accept online residence-confirmation requests, and the follow-up form."""
    return render(request, "documents/services.html",
                  {"communes": _communes_with_service(), "track": TrackForm()})


@require_http_methods(["GET", "POST"])
def residence_form(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The public request form of one commune (one that signs digitally)."""
    commune = _communes_with_service().filter(code=commune_code).first()
    if commune is None:
        raise Http404("Không tìm thấy / Not found")
    form = ResidenceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.submit_residence_request(commune, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, f"{exc.vi} — {exc.en}")
        else:
            messages.success(request, "Đã gửi hồ sơ. Hãy ghi lại mã hồ sơ để theo dõi. — Request sent; keep the "
                                      "reference code.")
            return redirect("documents:request-status", created.reference_code)
    return render(request, "documents/residence_form.html", {"commune": commune, "form": form})


@ratelimit.limit_misses()
@require_GET
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        found = queries.request_by_reference(form.cleaned_data["code"])
        if found is not None:
            return redirect("documents:request-status", found.reference_code)
        form.add_error("code", "Không tìm thấy hồ sơ với mã này. — No request with this code.")
    return render(request, "documents/services.html",
                  {"communes": _communes_with_service(), "track": form}, status=404 if request.GET else 200)


STEPS = [RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW, RequestStatus.ISSUED]


@ratelimit.limit_misses()
@require_GET
def request_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the request stands: received → under review → signed (download) or refused (reason)."""
    found = queries.request_by_reference(reference)
    if found is None:
        raise Http404("Không tìm thấy / Not found")
    if found.status == RequestStatus.REJECTED:
        steps = [(STEPS[0].label, "done"), (STEPS[1].label, "done"), (RequestStatus.REJECTED.label, "refused")]
    else:
        at = STEPS.index(found.status)
        steps = [(s.label, "done" if i < at or found.status == RequestStatus.ISSUED else
                  "current" if i == at else "todo") for i, s in enumerate(STEPS)]
    return render(request, "documents/request_status.html", {"req": found, "steps": steps})


@ratelimit.limit_misses()
@require_GET
def request_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """The signed confirmation, for whoever holds the reference code."""
    found = queries.request_by_reference(reference)
    if found is None or found.status != RequestStatus.ISSUED or found.document_id is None:
        raise Http404("Không tìm thấy / Not found")
    signed = found.document.signed_file
    return _pdf_response(bytes(signed.content), f"xac-nhan-cu-tru-{found.reference_code}.pdf")
