"""Verification of signed PDFs for anyone: valid or not, who signed, when, changed since, trust chain.

The verdict (in Vietnamese first, English second) is the worst of the signatures' verdicts:

=============  ============================================================================
``valid``      every signature is intact, covers the document (only validation data added
               after it) and chains to a configured trust anchor (Decree 23/2025/NĐ-CP:
               national root NEAC; Decree 68/2024/NĐ-CP: VGCA; or the demo CA in a demo)
``modified``   signed content intact, but form filling or annotations were added afterwards
``untrusted``  intact, but the certificate does not chain to a trust anchor, or is revoked
               or expired at signing time
``altered``    the bytes covered by a signature no longer match it: changed after signing
``unsigned``   a readable PDF with no signature
``damaged``    not a PDF, or a PDF that cannot be read (e.g. truncated)
=============  ============================================================================

Validation is offline by default: the trust anchors, the CRLs known to the platform and the
revocation data embedded in the document (its DSS, PAdES B-LT) — never the network unless
``LANGSO_REVOCATION_FETCH`` allows it. Times are reported in Vietnam time, ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from .signing import VIETNAM, iso_vietnam

log = logging.getLogger(__name__)

VALID, MODIFIED, UNTRUSTED, ALTERED, UNSIGNED, DAMAGED = (
    "valid", "modified", "untrusted", "altered", "unsigned", "damaged")
_SEVERITY = {VALID: 0, MODIFIED: 1, UNTRUSTED: 2, ALTERED: 3, UNSIGNED: 4, DAMAGED: 5}
HEADLINES = {
    VALID: ("Hợp lệ: chữ ký số đúng, văn bản không bị thay đổi sau khi ký, chứng thư số tin cậy.",
            "Valid: the signature is correct, the document has not changed since signing, the certificate "
            "is trusted."),
    MODIFIED: ("Nội dung đã ký còn nguyên vẹn, nhưng tệp đã được bổ sung (điền biểu mẫu, ghi chú) sau khi ký.",
               "The signed content is intact, but form data or annotations were added after signing."),
    UNTRUSTED: ("Chữ ký đúng với nội dung nhưng chứng thư số KHÔNG tin cậy (không thuộc tổ chức cung cấp "
                "dịch vụ chứng thực được công nhận, đã bị thu hồi hoặc hết hạn).",
                "The signature matches the content but the certificate is NOT trusted (unknown root, revoked "
                "or expired)."),
    ALTERED: ("KHÔNG hợp lệ: văn bản đã bị thay đổi sau khi ký.",
              "NOT valid: the document was changed after it was signed."),
    UNSIGNED: ("Tệp PDF này không có chữ ký số.", "This PDF carries no digital signature."),
    DAMAGED: ("Không đọc được tệp: không phải PDF hoặc tệp bị hỏng, bị cắt cụt.",
              "The file cannot be read: not a PDF, or damaged or truncated."),
}


@dataclass(frozen=True)
class CertificateInfo:
    """One certificate of a chain, as shown to people: names in the certificate's own UTF-8,
    validity dates as dd/mm/yyyy (Vietnam time), fingerprint SHA-256 in hex."""

    name: str  # subject common name
    organisation: str  # subject O, L, C
    issuer: str  # issuer common name
    serial: str
    not_before: str
    not_after: str
    sha256: str

    @property
    def subject(self) -> str:
        return f"{self.name} — {self.organisation}" if self.organisation else self.name

    @classmethod
    def of(cls, cert: asn1_x509.Certificate) -> CertificateInfo:
        subject, issuer = cert.subject.native, cert.issuer.native
        org = ", ".join(str(subject[k]) for k in ("organization_name", "locality_name", "country_name")
                        if subject.get(k))
        return cls(
            name=str(subject.get("common_name", "")) or cert.subject.human_friendly, organisation=org,
            issuer=str(issuer.get("common_name", "")) or cert.issuer.human_friendly,
            serial=format(cert.serial_number, "X"),
            not_before=f"{cert.not_valid_before.astimezone(VIETNAM):%d/%m/%Y}",
            not_after=f"{cert.not_valid_after.astimezone(VIETNAM):%d/%m/%Y}",
            sha256=hashlib.sha256(cert.dump()).hexdigest(),
        )


@dataclass
class SignatureReport:
    """What one signature says. ``verdict`` is one of the module's verdict codes."""

    field_name: str
    verdict: str
    signer: str  # common name of the signing certificate
    organisation: str
    signed_at: str = ""  # ISO 8601, Vietnam time: the timestamp token's time if any, else the signer's
    time_source: str = ""  # "tsa" (trusted timestamp) or "signer" (self-reported)
    level: str = ""  # PAdES baseline: B-B, B-T, B-LT
    intact: bool = False
    trusted: bool = False
    revoked: bool = False
    covers_whole_file: bool = False
    changed_after: str = ""  # "" none; "validation data", "form filling", "annotations", "other"
    chain: list[CertificateInfo] = field(default_factory=list)  # signer first, trust anchor last
    problems: list[tuple[str, str]] = field(default_factory=list)  # (vi, en)


@dataclass
class Report:
    """The whole answer for one file. ``sha256`` identifies the exact bytes checked."""

    verdict: str
    sha256: str
    size: int
    signatures: list[SignatureReport] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def headline_vi(self) -> str:
        return HEADLINES[self.verdict][0]

    @property
    def headline_en(self) -> str:
        return HEADLINES[self.verdict][1]

    @property
    def is_valid(self) -> bool:
        return self.verdict == VALID


def _name_part(cert: asn1_x509.Certificate, key: str) -> str:
    return str(cert.subject.native.get(key, "") or "")


def _chain(status, embedded) -> list[CertificateInfo]:
    path = getattr(status, "validation_path", None) if status is not None else None
    if path is not None:
        certs = list(path.iter_certs(include_root=True))
        return [CertificateInfo.of(c) for c in reversed(certs)]
    # No trusted path: show what the file carries, following issuer names from the signer upwards.
    chain = [embedded.signer_cert]
    others = list(embedded.other_embedded_certs)
    while len(chain) < 6:
        current = chain[-1]
        if current.self_signed:
            break
        issuer = next((c for c in others if c.subject == current.issuer and c not in chain), None)
        if issuer is None:
            break
        chain.append(issuer)
    return [CertificateInfo.of(c) for c in chain]


def _level(embedded, status, has_dss: bool) -> str:
    has_ts = getattr(status, "timestamp_validity", None) is not None
    if not has_ts:
        return "B-B"
    return "B-LT" if has_dss else "B-T"


def _check_one(embedded, context: ValidationContext, has_dss: bool) -> SignatureReport:
    cert = embedded.signer_cert
    report = SignatureReport(field_name=embedded.field_name, verdict=ALTERED,
                             signer=_name_part(cert, "common_name"), organisation=_name_part(cert, "organization_name"))
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # a byte range past the end, a broken CMS blob, …
        log.info("signature %s could not be validated: %s", embedded.field_name, exc)
        report.problems.append(("Không kiểm tra được chữ ký: dữ liệu chữ ký hoặc vùng được ký bị hỏng.",
                                f"The signature could not be checked: {exc}"))
        report.chain = _chain(None, embedded)
        return report
    report.chain = _chain(status, embedded)
    report.intact = bool(status.intact and status.valid)
    report.trusted = bool(status.trusted)
    report.revoked = bool(status.revoked)
    report.level = _level(embedded, status, has_dss)
    ts = status.timestamp_validity
    if ts is not None and ts.intact and ts.valid:
        report.signed_at, report.time_source = iso_vietnam(ts.timestamp), "tsa"
    elif status.signer_reported_dt is not None:
        report.signed_at, report.time_source = iso_vietnam(status.signer_reported_dt), "signer"
    coverage = status.coverage
    report.covers_whole_file = coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    if coverage == SignatureCoverageLevel.ENTIRE_FILE or level in (None, ModificationLevel.NONE):
        report.changed_after = ""
    elif level == ModificationLevel.LTA_UPDATES:
        report.changed_after = "validation data"
    elif level == ModificationLevel.FORM_FILLING:
        report.changed_after = "form filling"
    elif level == ModificationLevel.ANNOTATIONS:
        report.changed_after = "annotations"
    else:
        report.changed_after = "other"

    if not report.intact:
        report.verdict = ALTERED
        report.problems.append(("Mã băm của nội dung không khớp chữ ký: văn bản đã bị sửa sau khi ký.",
                                "The content digest does not match the signature: the document was edited."))
    elif coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION or report.changed_after == "other" \
            or status.docmdp_ok is False:
        report.verdict = ALTERED
        report.problems.append(("Tệp có thay đổi sau khi ký ngoài phạm vi cho phép.",
                                "The file was changed after signing beyond what the signature allows."))
    elif not report.trusted or report.revoked:
        report.verdict = UNTRUSTED
        if report.revoked:
            report.problems.append(("Chứng thư số đã bị thu hồi.", "The certificate has been revoked."))
        else:
            report.problems.append(("Không xây dựng được chuỗi tin cậy đến chứng thư gốc được cấu hình "
                                    "(NEAC, VGCA hoặc CA DEMO).",
                                    "No trust path to a configured root (NEAC, VGCA or the DEMO CA)."))
    elif report.changed_after in ("form filling", "annotations"):
        report.verdict = MODIFIED
    else:
        report.verdict = VALID
    return report


def verify_pdf(data: bytes, context_factory: Callable[[dict], ValidationContext]) -> Report:
    """Check every signature of the PDF ``data``.

    ``context_factory(extra)`` builds the validation context with the platform's trust anchors and
    known CRLs plus ``extra`` keyword arguments (the certificates, CRLs and OCSP responses found
    in the document's DSS). Never raises on bad input: a bad file is a verdict.
    """
    report = Report(verdict=DAMAGED, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    if not data.lstrip()[:5] == b"%PDF-":
        report.problems.append(("Tệp không bắt đầu bằng %PDF-: không phải tệp PDF.",
                                "The file does not start with %PDF-: not a PDF."))
        return report
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:
        log.info("unreadable PDF: %s", exc)
        report.problems.append(("Cấu trúc PDF hỏng (có thể tệp bị cắt cụt).",
                                f"Broken PDF structure (perhaps truncated): {exc}"))
        return report
    if not signatures:
        report.verdict = UNSIGNED
        return report
    extra: dict = {}
    has_dss = False
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # no DSS: a B-B or B-T signature
        dss = None
    if dss is not None:
        crls, ocsps = _dss_crls(dss), _dss_ocsps(dss)
        has_dss = bool(crls or ocsps)
        extra = {"other_certs": list(dss.load_certs()), "crls": crls, "ocsps": ocsps}
    for embedded in signatures:
        report.signatures.append(_check_one(embedded, context_factory(extra), has_dss))
    report.verdict = max((s.verdict for s in report.signatures), key=_SEVERITY.__getitem__)
    return report


def _dss_crls(dss: DocumentSecurityStore) -> list:
    from asn1crypto import crl as asn1_crl
    from pyhanko.pdf_utils.decode_limits import DecodePurpose

    return [asn1_crl.CertificateList.load(ref.get_object().read_data(DecodePurpose.CRL)) for ref in dss.crls]


def _dss_ocsps(dss: DocumentSecurityStore) -> list:
    from asn1crypto import ocsp as asn1_ocsp
    from pyhanko.pdf_utils.decode_limits import DecodePurpose

    return [asn1_ocsp.OCSPResponse.load(ref.get_object().read_data(DecodePurpose.OCSP_RESPONSE))
            for ref in dss.ocsps]


def now_vietnam() -> dt.datetime:
    return dt.datetime.now(VIETNAM)
