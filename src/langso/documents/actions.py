"""Every write of the documents app: drafts, numbering, signing, issuing, superseding, credentials
and the residents' residence-confirmation requests.

Each action takes the acting user (``None`` for a system job: a command, the demo, a public form),
checks the actor may write the commune (:mod:`langso.accounts.access`; outsiders get ``Http404``),
normalises text to NFC, runs in one transaction and writes an audit entry. Broken rules raise
:class:`~langso.lib.errors.RuleViolation`; a failed signature rolls everything back, so no number
of the register is used up by a signature that was not made (Decree 30/2020/NĐ-CP art. 15).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from cryptography.exceptions import InvalidTag
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from langso.accounts.access import require_write, scope_for
from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold, nfc
from langso.registry.identifiers import validate_cccd
from langso.registry.models import Resident
from langso.territory.models import AdministrativeUnit, Level

from . import conf, pki, rendering, signing, trust, verification
from .models import (
    ISSUER_ABBREVIATION,
    TYPE_ABBREVIATION,
    TYPE_TITLE,
    Authority,
    Document,
    DocumentCounter,
    DocumentType,
    RequestStatus,
    ResidenceRequest,
    SignatureKind,
    SignedFile,
    SigningCredential,
    Status,
)

SOURCE_DECREE_30 = "Nghị định 30/2020/NĐ-CP về công tác văn thư"
DRAFT_FIELDS = {"doc_type", "subject", "body", "recipients", "signer_name", "signer_title", "authority"}
DEMO_CA_NAME = "Làng số DEMO Root CA — chỉ dùng thử, không có giá trị pháp lý"
DEMO_TSA_NAME = "Làng số DEMO TSA — chỉ dùng thử"


def _authorise(actor: Any, commune_id: int) -> None:
    if actor is None:  # system job: command, demo, public form (which checks its own inputs)
        return
    require_write(scope_for(actor), commune_id)


def _check_commune(commune: AdministrativeUnit) -> None:
    if commune.level != Level.COMMUNE or commune.valid_to is not None:
        raise RuleViolation("commune", "commune.current", "Chỉ đơn vị cấp xã đang có hiệu lực mới ban hành văn bản.",
                            "Only a current commune-level unit issues documents.")


def _clean_draft(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: nfc(v) if isinstance(v, str) and k != "body" and k != "recipients" else v for k, v in values.items()}
    for name in ("body", "recipients"):
        if name in out:
            lines = [nfc(line) for line in str(out[name] or "").replace("\r\n", "\n").split("\n")]
            out[name] = "\n".join(line for line in lines if line)
    if "doc_type" in out and out["doc_type"] not in DocumentType.values:
        raise RuleViolation("doc_type", "document.type", "Loại văn bản không hợp lệ.", "Unknown document type.")
    for name, vi, en in (("subject", "Trích yếu", "The subject"), ("body", "Nội dung", "The body"),
                         ("signer_name", "Họ tên người ký", "The signer's name")):
        if name in out and not out[name]:
            raise RuleViolation(name, f"document.{name}", f"{vi} không được để trống.", f"{en} is required.",
                                SOURCE_DECREE_30)
    if len(out.get("subject", "")) > 300:
        raise RuleViolation("subject", "document.subject_length", "Trích yếu tối đa 300 ký tự.",
                            "The subject is at most 300 characters.")
    return out


# --- drafts ------------------------------------------------------------------------------------

def create_draft(
    actor: Any, commune: AdministrativeUnit, *, doc_type: str, subject: str, body: str, signer_name: str,
    recipients: str = "", signer_title: str = "CHỦ TỊCH", authority: str = "TM. ỦY BAN NHÂN DÂN",
    resident: Resident | None = None, supersedes: Document | None = None,
) -> Document:
    """Create a draft document of ``commune`` (no number yet). Raises :class:`RuleViolation`."""
    _authorise(actor, commune.pk)
    _check_commune(commune)
    values = _clean_draft({"doc_type": doc_type, "subject": subject, "body": body, "recipients": recipients,
                           "signer_name": signer_name, "signer_title": signer_title or "CHỦ TỊCH",
                           "authority": authority or "TM. ỦY BAN NHÂN DÂN"})
    if resident is not None and resident.commune_id != commune.pk:
        raise RuleViolation("resident", "document.resident", "Người được xác nhận không thuộc xã này.",
                            "The resident does not belong to this commune.")
    with transaction.atomic():
        document = Document.objects.create(commune=commune, resident=resident, supersedes=supersedes,
                                           created_by=actor if getattr(actor, "is_authenticated", False) else None,
                                           **values)
        record(actor, "document.create", document, unit=commune,
               data={"type": document.doc_type, "supersedes": supersedes.pk if supersedes else None})
    return document


def update_draft(actor: Any, document: Document, **changes: Any) -> Document:
    """Change a draft. A signed document is never edited (Decree 30/2020 art. 17 §2): supersede it."""
    unknown = set(changes) - DRAFT_FIELDS
    if unknown:
        raise TypeError(f"unknown document fields: {sorted(unknown)}")
    _authorise(actor, document.commune_id)
    changes = _clean_draft(changes)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != Status.DRAFT:
            raise RuleViolation("status", "document.not_draft",
                                "Văn bản đã ký không được sửa; hãy ban hành văn bản thay thế.",
                                "A signed document is never edited; issue a replacement.", SOURCE_DECREE_30)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        record(actor, "document.update", locked, unit=locked.commune, data={"fields": sorted(changes)})
    return locked


def start_replacement(actor: Any, document: Document) -> Document:
    """A new draft copying ``document`` that will supersede it once issued.

    Raises :class:`RuleViolation` for a draft (edit it instead), a paper document's copy in
    progress, or a document that already has a replacement.
    """
    _authorise(actor, document.commune_id)
    if document.status not in (Status.SIGNED, Status.ISSUED):
        raise RuleViolation("status", "document.replace_status", "Chỉ thay thế văn bản đã ký hoặc đã ban hành.",
                            "Only a signed or issued document can be replaced.")
    if Document.objects.filter(supersedes=document).exists():
        raise RuleViolation("supersedes", "document.replace_once", "Văn bản này đã có văn bản thay thế.",
                            "This document already has a replacement.")
    body = document.body
    return create_draft(actor, document.commune, doc_type=document.doc_type, subject=document.subject, body=body,
                        signer_name=document.signer_name, recipients=document.recipients,
                        signer_title=document.signer_title, authority=document.authority,
                        resident=document.resident, supersedes=document)


# --- rendering -----------------------------------------------------------------------------------

def verification_url(document: Document) -> str:
    """Absolute URL of the public verification record (printed as a QR on the document)."""
    return conf.public_url() + reverse("documents:record", args=[document.verification_code])


def sheet_for(document: Document, *, number: int | None = None, day: dt.date | None = None) -> rendering.Sheet:
    """What to print for ``document``; ``number``/``day`` are given while it is being signed."""
    commune = document.commune
    number = number if number is not None else document.number
    day = day or document.issued_on or timezone.localdate()
    symbol = f"{TYPE_ABBREVIATION[document.doc_type]}-{ISSUER_ABBREVIATION}"
    number_line = f"Số: {number:02d}/{symbol}" if number else f"Số:        /{symbol}"
    supersedes = document.supersedes
    body = document.body
    if supersedes is not None and supersedes.number is not None:
        body += (f"\nVăn bản này thay thế văn bản số {supersedes.number_and_symbol} ngày "
                 f"{supersedes.issued_on or supersedes.signed_at.date():%d/%m/%Y}.")
    return rendering.Sheet(
        issuer_lines=("ỦY BAN NHÂN DÂN", commune.full_name.upper()),
        number_line=number_line,
        place_date=rendering.vietnamese_date(day, commune.name),
        title=TYPE_TITLE[document.doc_type],
        subject=document.subject,
        body=body,
        recipients=tuple(line for line in document.recipients.split("\n") if line),
        authority=document.authority,
        signer_title=document.signer_title,
        signer_name=document.signer_name,
        verify_url=verification_url(document),
        verify_code=document.verification_code,
        draft=number is None,
        metadata={"title": f"{TYPE_TITLE[document.doc_type]} {number or ''}/{symbol}".strip(),
                  "author": f"Ủy ban nhân dân {commune.full_name}"},
    )


def preview_pdf(document: Document) -> bytes:
    """The unsigned PDF of a draft, marked DỰ THẢO (draft)."""
    return rendering.render(sheet_for(document)).pdf


# --- credentials and the demo PKI ----------------------------------------------------------------

def _demo_crl_url() -> str:
    return conf.public_url() + reverse("documents:demo-crl")


def ensure_demo_authority() -> tuple[Authority, Authority]:
    """The demo root CA and demo TSA, made once (RSA-2048, names say DEMO). Refreshes the CRL."""
    kek = conf.signing_kek()
    with transaction.atomic():
        root = Authority.objects.select_for_update().filter(kind=Authority.Kind.ROOT, is_demo=True).first()
        if root is None:
            issued = pki.make_root("Làng số DEMO Root CA", "Làng số DEMO - không có giá trị pháp lý")
            root = Authority.objects.create(
                kind=Authority.Kind.ROOT, name=DEMO_CA_NAME, certificate_der=pki.der(issued.certificate),
                wrapped_key=pki.wrap(pki.key_pem(issued.key), kek), is_demo=True, trusted=True)
            record(None, "pki.demo_root", root, data={"name": DEMO_CA_NAME})
        ca = _demo_ca(root)
        # A replaced credential is not revoked: documents it signed stay valid (no key compromise).
        root.crl_der = pki.crl_der(pki.make_crl(ca))
        root.save(update_fields=["crl_der"])
        tsa = Authority.objects.filter(kind=Authority.Kind.TSA, is_demo=True).first()
        if tsa is None:
            issued = pki.issue(ca, "Làng số DEMO TSA", "Làng số DEMO - không có giá trị pháp lý", purpose="timestamping", crl_url=_demo_crl_url(),
                               years=8)
            tsa = Authority.objects.create(
                kind=Authority.Kind.TSA, name=DEMO_TSA_NAME, certificate_der=pki.der(issued.certificate),
                wrapped_key=pki.wrap(pki.key_pem(issued.key), kek), is_demo=True, trusted=False)
            record(None, "pki.demo_tsa", tsa, data={"name": DEMO_TSA_NAME})
    return root, tsa


def _demo_ca(root: Authority) -> pki.Issued:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(pki.unwrap(bytes(root.wrapped_key), conf.signing_kek()), None)
    return pki.Issued(x509.load_der_x509_certificate(bytes(root.certificate_der)), key)  # type: ignore[arg-type]


def _store_credential(actor: Any, commune: AdministrativeUnit, issued: pki.Issued, pkcs12: bytes, label: str,
                      *, is_demo: bool) -> SigningCredential:
    cert = issued.certificate
    with transaction.atomic():
        SigningCredential.objects.filter(commune=commune, active=True).update(active=False)
        credential = SigningCredential.objects.create(
            commune=commune, label=label, certificate_der=pki.der(cert),
            wrapped_key=pki.wrap(pkcs12, conf.signing_kek()), subject=cert.subject.rfc4514_string()[:300],
            serial=format(cert.serial_number, "X"), not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc, is_demo=is_demo, active=True)
        record(actor, "credential.install", credential, unit=commune,
               data={"subject": credential.subject, "serial": credential.serial, "demo": is_demo})
    return credential


def issue_demo_credential(commune: AdministrativeUnit, pin: str) -> SigningCredential:
    """A DEMO organisation certificate for ``commune`` from the demo CA, as a PKCS#12 locked by ``pin``.

    Replaces (deactivates) the commune's previous credential. Raises :class:`RuleViolation` for a
    PIN shorter than 6 characters.
    """
    _check_commune(commune)
    _check_pin(pin)
    root, _ = ensure_demo_authority()
    ca = _demo_ca(root)
    province = commune.province.full_name if commune.province_id else ""
    issued = pki.issue(ca, f"UBND {commune.full_name} (DEMO)", f"Ủy ban nhân dân {commune.full_name}",
                       locality=province, crl_url=_demo_crl_url())
    return _store_credential(None, commune, issued, pki.to_pkcs12(issued, pin, f"DEMO {commune.code}"),
                             f"DEMO — UBND {commune.full_name}", is_demo=True)


def install_pkcs12(actor: Any, commune: AdministrativeUnit, pkcs12: bytes, pin: str, label: str = "") -> SigningCredential:
    """Install the commune's real PKCS#12 (from a licensed provider), checking the PIN opens it and the
    key is at least RSA-2048 or ECDSA-256 (Circular 15/2025/TT-BKHCN). Raises :class:`RuleViolation`."""
    _authorise(actor, commune.pk)
    _check_commune(commune)
    try:
        issued = pki.from_pkcs12(pkcs12, pin)
    except ValueError as exc:
        raise RuleViolation("pkcs12", "credential.open", "Không mở được tệp PKCS#12 với mã PIN này.",
                            "The PKCS#12 file does not open with this PIN.") from exc
    size = issued.key.key_size
    is_rsa = hasattr(issued.key, "private_numbers") and hasattr(issued.key.private_numbers(), "p")
    if (is_rsa and size < 2048) or (not is_rsa and size < 256):
        raise RuleViolation("pkcs12", "credential.key_size", "Khóa quá ngắn (cần RSA ≥ 2048 bit hoặc ECDSA ≥ 256 bit).",
                            "Key too short (RSA ≥ 2048 or ECDSA ≥ 256 bits required).",
                            "Thông tư 15/2025/TT-BKHCN")
    label = nfc(label) or issued.certificate.subject.rfc4514_string()[:150]
    return _store_credential(actor, commune, issued, pkcs12, label, is_demo=False)


def _check_pin(pin: str) -> None:
    if not pin or len(pin) < 6:
        raise RuleViolation("pin", "credential.pin_length", "Mã PIN cần ít nhất 6 ký tự.",
                            "The PIN needs at least 6 characters.")


def active_credential(commune: AdministrativeUnit) -> SigningCredential | None:
    return SigningCredential.objects.filter(commune=commune, active=True).first()


def key_source(credential: SigningCredential, pin: str) -> signing.KeySource:
    """Open the credential's key for one signing. Raises :class:`RuleViolation` on a wrong server key."""
    try:
        pkcs12 = pki.unwrap(bytes(credential.wrapped_key), conf.signing_kek())
    except InvalidTag as exc:
        raise RuleViolation("credential", "credential.unwrap",
                            "Không mở được khóa đã lưu (khóa bảo vệ của máy chủ đã đổi).",
                            "The stored key cannot be opened (the server's wrapping key changed).") from exc
    return signing.Pkcs12KeySource(pkcs12, pin)


# --- numbering, signing, issuing ---------------------------------------------------------------------

def _next_number(commune: AdministrativeUnit, year: int) -> int:
    counter, _ = DocumentCounter.objects.select_for_update().get_or_create(commune=commune, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def sign_document(actor: Any, document: Document, pin: str, *, key: signing.KeySource | None = None) -> Document:
    """Number, render and sign a draft with the commune's active credential (PAdES, see signing.py).

    ``key`` overrides the stored credential (a hardware token or remote service later). Raises
    :class:`RuleViolation` (not a draft, no credential, wrong PIN, signing failure); on any error
    nothing is written and the number is not used up.
    """
    _authorise(actor, document.commune_id)
    commune = document.commune
    credential = None
    if key is None:
        credential = active_credential(commune)
        if credential is None:
            raise RuleViolation("credential", "credential.missing", "Xã chưa có chứng thư số để ký.",
                                "The commune has no signing certificate installed.")
        key = key_source(credential, pin)
    with transaction.atomic():
        locked = (Document.objects.select_for_update(of=("self",)).select_related("commune", "supersedes")
                  .get(pk=document.pk))
        if locked.status != Status.DRAFT:
            raise RuleViolation("status", "document.not_draft", "Văn bản này đã được ký.",
                                "This document is already signed.", SOURCE_DECREE_30)
        today = timezone.localdate()
        number = _next_number(commune, today.year)
        rendered = rendering.render(sheet_for(locked, number=number, day=today))
        province = commune.province.full_name if commune.province_id else ""
        appearance = signing.Appearance(f"Ủy ban nhân dân {commune.full_name}", province, locked.signer_name,
                                        rendered.signature_box)
        try:
            signed = signing.sign_pdf(
                rendered.pdf, key, appearance, validation_context=trust.validation_context(for_signing=True),
                timestamper=trust.timestamper(), reason=f"Ban hành văn bản {number:02d}/"
                f"{TYPE_ABBREVIATION[locked.doc_type]}-{ISSUER_ABBREVIATION}",
                location=f"{commune.full_name}, {province}".strip(", "))
        except signing.SigningFailed as exc:
            raise RuleViolation("pin", "document.sign", exc.vi, exc.en) from exc
        locked.number, locked.year = number, today.year
        locked.symbol = f"{TYPE_ABBREVIATION[locked.doc_type]}-{ISSUER_ABBREVIATION}"
        locked.status, locked.signed_at = Status.SIGNED, signed.signed_at
        locked.signature_kind = SignatureKind.DIGITAL
        locked.issued_on = today
        locked.save()
        SignedFile.objects.create(
            document=locked, commune=commune, content=signed.data, sha256=hashlib.sha256(signed.data).hexdigest(),
            size=len(signed.data), pades_level=signed.level,
            certificate_subject=verification.CertificateInfo.of(signed.certificate).subject[:300],
            certificate_serial=format(signed.certificate.serial_number, "X"), signed_at=signed.signed_at)
        record(actor, "document.sign", locked, unit=commune,
               data={"number": locked.number_and_symbol, "level": signed.level,
                     "credential": credential.pk if credential else None})
    return locked


def issue_document(actor: Any, document: Document) -> Document:
    """Release a signed document (Decree 30/2020 art. 16): it becomes public on its verification
    record; a document it supersedes becomes ``superseded``. Raises :class:`RuleViolation`."""
    _authorise(actor, document.commune_id)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != Status.SIGNED:
            raise RuleViolation("status", "document.issue_status", "Chỉ ban hành văn bản đã ký.",
                                "Only a signed document can be issued.", SOURCE_DECREE_30)
        locked.status = Status.ISSUED
        locked.save(update_fields=["status"])
        if locked.supersedes_id:
            Document.objects.filter(pk=locked.supersedes_id).update(status=Status.SUPERSEDED)
        record(actor, "document.issue", locked, unit=locked.commune,
               data={"number": locked.number_and_symbol, "supersedes": locked.supersedes_id})
    return locked


def register_paper_document(
    actor: Any, commune: AdministrativeUnit, *, doc_type: str, subject: str, signer_name: str,
    issued_on: dt.date, body: str = "(bản giấy)", recipients: str = "",
) -> Document:
    """Enter a hand-signed paper document in the register (it takes the next number). It counts in
    the register but not as digitally signed (indicator DOC-SIGNED)."""
    _authorise(actor, commune.pk)
    _check_commune(commune)
    values = _clean_draft({"doc_type": doc_type, "subject": subject, "body": body, "signer_name": signer_name,
                           "recipients": recipients})
    with transaction.atomic():
        number = _next_number(commune, issued_on.year)
        document = Document.objects.create(
            commune=commune, status=Status.ISSUED, signature_kind=SignatureKind.PAPER, year=issued_on.year,
            number=number, symbol=f"{TYPE_ABBREVIATION[values['doc_type']]}-{ISSUER_ABBREVIATION}",
            issued_on=issued_on, created_by=actor if getattr(actor, "is_authenticated", False) else None, **values)
        record(actor, "document.register_paper", document, unit=commune, data={"number": document.number_and_symbol})
    return document


# --- residence confirmation (a resident's procedure) ----------------------------------------------

def submit_residence_request(
    commune: AdministrativeUnit, *, full_name: str, date_of_birth: dt.date, cccd: str, address: str,
    purpose: str, phone: str = "", today: dt.date | None = None,
) -> ResidenceRequest:
    """A resident's request from the public form (no login). Returns it with its reference code.

    Raises :class:`RuleViolation`: empty name/address/purpose, future birth date, a CCCD that
    breaks Circular 07/2016/TT-BCA art. 7 or does not encode the birth year.
    """
    _check_commune(commune)
    today = today or timezone.localdate()
    full_name, address, purpose = nfc(full_name), nfc(address), nfc(purpose)
    for name, value, vi, en in (("full_name", full_name, "Họ và tên", "The full name"),
                                ("address", address, "Nơi cư trú", "The address"),
                                ("purpose", purpose, "Mục đích", "The purpose")):
        if not value:
            raise RuleViolation(name, f"request.{name}", f"{vi} không được để trống.", f"{en} is required.")
    if not isinstance(date_of_birth, dt.date) or date_of_birth > today:
        raise RuleViolation("date_of_birth", "request.dob", "Ngày sinh không hợp lệ.", "The date of birth is invalid.")
    number = validate_cccd(cccd, date_of_birth=date_of_birth)
    with transaction.atomic():
        request = ResidenceRequest.objects.create(
            commune=commune, full_name=full_name[:150], date_of_birth=date_of_birth, cccd=number,
            address=address[:255], purpose=purpose[:255], phone=nfc(phone)[:15])
        record(None, "residence_request.submit", request, unit=commune, data={"reference": request.reference_code})
    return request


def matching_residents(request: ResidenceRequest):
    """Living residents of the request's commune with the same CCCD, name (accent-folded) and birth date."""
    return (Resident.objects.living_here()
            .filter(commune_id=request.commune_id, cccd=request.cccd, date_of_birth=request.date_of_birth,
                    search_name=fold(request.full_name))
            .select_related("household", "household__village"))


def start_review(actor: Any, request: ResidenceRequest) -> ResidenceRequest:
    """An officer opens a received request: submitted → in review (idempotent for in-review)."""
    _authorise(actor, request.commune_id)
    with transaction.atomic():
        locked = ResidenceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status == RequestStatus.SUBMITTED:
            locked.status = RequestStatus.IN_REVIEW
            locked.review_started_at = timezone.now()
            locked.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
            locked.save(update_fields=["status", "review_started_at", "reviewed_by"])
            record(actor, "residence_request.review", locked, unit=locked.commune)
    return locked


def residence_certificate_body(request: ResidenceRequest, resident: Resident) -> str:
    """The text of the confirmation (Giấy xác nhận), one paragraph per line."""
    commune = request.commune
    province = commune.province.full_name if commune.province_id else ""
    village = resident.household.village
    parts = [resident.household.address]
    for extra in (str(village) if village else "", commune.full_name, province):
        if extra and fold(extra) not in fold(", ".join(parts)):
            parts.append(extra)  # the address often already names the village and the commune
    place = ", ".join(p for p in parts if p)
    return "\n".join([
        f"Ủy ban nhân dân {commune.full_name} xác nhận:",
        f"Ông/Bà: {resident.full_name.upper()}, sinh ngày {resident.date_of_birth:%d/%m/%Y};",
        f"Số định danh cá nhân: {resident.cccd};",
        f"Hiện đang cư trú tại: {place}, theo sổ hộ gia đình do xã quản lý.",
        f"Giấy xác nhận này được cấp để ông/bà {resident.full_name} sử dụng vào mục đích: {request.purpose}.",
    ])


def approve_residence_request(actor: Any, request: ResidenceRequest, pin: str, *, signer_name: str,
                              signer_title: str = "CHỦ TỊCH") -> ResidenceRequest:
    """Confirm a request: the certificate is drafted, signed with the commune's key and issued, and the
    request becomes ``issued`` (its PDF then opens with the reference code).

    Raises :class:`RuleViolation` when the request is not under review or no living resident of the
    commune matches its CCCD, name and birth date; when signing fails nothing changes.
    """
    _authorise(actor, request.commune_id)
    with transaction.atomic():
        locked = ResidenceRequest.objects.select_for_update(of=("self",)).select_related("commune").get(pk=request.pk)
        if locked.status != RequestStatus.IN_REVIEW:
            raise RuleViolation("status", "request.approve_status", "Hồ sơ không ở trạng thái đang xem xét.",
                                "The request is not under review.")
        resident = matching_residents(locked).first()
        if resident is None:
            raise RuleViolation("cccd", "request.no_match",
                                "Không có nhân khẩu nào trong sổ hộ của xã khớp số CCCD, họ tên và ngày sinh.",
                                "No resident of the commune register matches the CCCD, name and date of birth.")
        document = create_draft(actor, locked.commune, doc_type=DocumentType.CERTIFICATE,
                                subject="Về việc xác nhận nơi cư trú", body=residence_certificate_body(locked, resident),
                                signer_name=signer_name, signer_title=signer_title,
                                recipients="Ông/Bà " + resident.full_name + ";\nLưu: VT.", resident=resident)
        document = sign_document(actor, document, pin)
        document = issue_document(actor, document)
        locked.status, locked.resident, locked.document = RequestStatus.ISSUED, resident, document
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "resident", "document", "decided_at"])
        record(actor, "residence_request.approve", locked, unit=locked.commune,
               data={"document": document.number_and_symbol})
    return locked


def refuse_residence_request(actor: Any, request: ResidenceRequest, reason: str) -> ResidenceRequest:
    """Refuse a request with a reason the resident reads. Raises :class:`RuleViolation`."""
    _authorise(actor, request.commune_id)
    reason = nfc(reason)
    if not reason:
        raise RuleViolation("refusal_reason", "request.reason", "Cần ghi lý do từ chối.", "A reason is required.")
    with transaction.atomic():
        locked = ResidenceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW):
            raise RuleViolation("status", "request.refuse_status", "Hồ sơ đã được giải quyết.",
                                "The request has already been decided.")
        locked.status, locked.refusal_reason, locked.decided_at = RequestStatus.REJECTED, reason[:300], timezone.now()
        locked.save(update_fields=["status", "refusal_reason", "decided_at"])
        record(actor, "residence_request.refuse", locked, unit=locked.commune, data={"reason": reason[:300]})
    return locked
