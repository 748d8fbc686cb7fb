"""The commune's register of documents, their signed files, signing credentials and the residents'
requests for a residence confirmation.

Rules (Decree 30/2020/NĐ-CP on clerical work):
- art. 15 and Appendix I §II.3: a document's number runs from 01 on 1 January to 31 December in
  one register per issuing body; its symbol is the type's abbreviation and the body's
  (e.g. ``12/QĐ-UBND``; Appendix III lists the abbreviations);
- art. 16 and 18: a document is registered and issued on the day it is signed; a signed
  document is never edited: a correction is a new document that supersedes it (art. 17 §2).
Everything commune-owned carries ``commune`` and offers ``visible_to(scope)`` (accounts.access).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def random_code(length: int) -> str:
    """An unguessable code of ``length`` characters from :data:`CODE_ALPHABET` (5 bits each)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_verification_code() -> str:
    return random_code(16)  # 80 bits: printed in the QR of the document


def new_reference_code() -> str:
    return random_code(12)  # 60 bits: given to the resident, opens the request's page


class CommuneOwnedQuerySet(models.QuerySet):
    def visible_to(self, scope) -> models.QuerySet:
        """Rows of communes the scope may read (see :mod:`langso.accounts.access`)."""
        return scope.filter(self)


class DocumentType(models.TextChoices):
    """Types handled, with the abbreviation of Decree 30/2020, Appendix III."""

    DECISION = "decision", "Quyết định / Decision"
    NOTICE = "notice", "Thông báo / Notice"
    REPORT = "report", "Báo cáo / Report"
    CERTIFICATE = "certificate", "Giấy xác nhận / Certificate"


TYPE_ABBREVIATION = {
    DocumentType.DECISION: "QĐ",
    DocumentType.NOTICE: "TB",
    DocumentType.REPORT: "BC",
    DocumentType.CERTIFICATE: "XN",
}
TYPE_TITLE = {
    DocumentType.DECISION: "QUYẾT ĐỊNH",
    DocumentType.NOTICE: "THÔNG BÁO",
    DocumentType.REPORT: "BÁO CÁO",
    DocumentType.CERTIFICATE: "GIẤY XÁC NHẬN",
}
ISSUER_ABBREVIATION = "UBND"  # Ủy ban nhân dân


class Status(models.TextChoices):
    DRAFT = "draft", "Dự thảo / Draft"
    SIGNED = "signed", "Đã ký / Signed"
    ISSUED = "issued", "Đã ban hành / Issued"
    SUPERSEDED = "superseded", "Đã bị thay thế / Superseded"


class SignatureKind(models.TextChoices):
    DIGITAL = "digital", "Chữ ký số / Digital signature"
    PAPER = "paper", "Ký tay trên giấy / Hand-signed on paper"


class DocumentQuerySet(CommuneOwnedQuerySet):
    def issued(self) -> DocumentQuerySet:
        """Documents that went out: issued, or issued and later superseded."""
        return self.filter(status__in=[Status.ISSUED, Status.SUPERSEDED])


class Document(models.Model):
    """One entry of the commune's register of documents.

    ``number`` is assigned when the document is signed (per commune and year, art. 15);
    ``symbol`` is then e.g. ``QĐ-UBND``. ``verification_code`` exists from the draft on because it
    is printed (as a QR) on the PDF before the signature is made.
    """

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField(max_length=16, choices=DocumentType.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    signature_kind = models.CharField(max_length=8, choices=SignatureKind.choices, default=SignatureKind.DIGITAL)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    symbol = models.CharField(max_length=30, blank=True, default="")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    recipients = models.TextField(blank=True, default="", help_text="one recipient per line")
    signer_name = models.CharField(max_length=150)
    signer_title = models.CharField(max_length=100, default="CHỦ TỊCH")
    authority = models.CharField(max_length=100, default="TM. ỦY BAN NHÂN DÂN")
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="documents")
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    verification_code = models.CharField(max_length=16, unique=True, default=new_verification_code)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "number"], name="document_number_unique",
                                    condition=Q(number__isnull=False)),
            models.CheckConstraint(condition=Q(status="draft") | Q(number__isnull=False),
                                   name="document_numbered_unless_draft"),
        ]
        indexes = [models.Index(fields=["commune", "status", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.number_and_symbol or 'Dự thảo'} — {self.subject}"

    @property
    def number_and_symbol(self) -> str:
        """``"05/QĐ-UBND"`` (numbers under 10 take a leading 0, Decree 30/2020 App. I §II.3), or ``""``."""
        if self.number is None:
            return ""
        number = f"{self.number:02d}"
        return f"{number}/{self.symbol}"

    @property
    def is_editable(self) -> bool:
        return self.status == Status.DRAFT


class DocumentCounter(models.Model):
    """The last number given in a commune's register for a year (locked while numbering)."""

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="document_counter_unique")]


class SignedFile(models.Model):
    """The signed PDF of a document, kept byte for byte (its SHA-256 identifies it on upload)."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="signed_file")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    pades_level = models.CharField(max_length=8)  # B-B, B-T, B-LT
    certificate_subject = models.CharField(max_length=300)
    certificate_serial = models.CharField(max_length=64)
    signed_at = models.DateTimeField()

    objects = CommuneOwnedQuerySet.as_manager()


class CredentialBackend(models.TextChoices):
    PKCS12 = "pkcs12", "Tệp PKCS#12 / PKCS#12 file"


class SigningCredential(models.Model):
    """A commune's organisation certificate and its key.

    For ``pkcs12`` the key is a PKCS#12 file protected by the signing PIN and, on top, wrapped with
    AES-256-GCM under ``LANGSO_SIGNING_KEK`` (:func:`langso.documents.pki.wrap`): a database dump
    alone opens nothing, and the server alone cannot sign without the officer's PIN.
    """

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT,
                                related_name="signing_credentials")
    label = models.CharField(max_length=150)
    backend = models.CharField(max_length=12, choices=CredentialBackend.choices, default=CredentialBackend.PKCS12)
    certificate_der = models.BinaryField()
    wrapped_key = models.BinaryField()
    subject = models.CharField(max_length=300)
    serial = models.CharField(max_length=64)
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    is_demo = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune"], condition=Q(active=True), name="one_active_credential"),
        ]

    def __str__(self) -> str:
        return self.label


class Authority(models.Model):
    """A certification or timestamp authority the platform knows: the demo CA (with its key, to
    issue demo certificates and CRLs), the demo TSA, or an imported anchor without a key.

    ``trusted`` roots are trust anchors for verification, beside ``LANGSO_TRUST_ANCHORS_DIR``.
    """

    class Kind(models.TextChoices):
        ROOT = "root", "CA gốc / Root CA"
        TSA = "tsa", "Dịch vụ cấp dấu thời gian / Timestamp authority"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=200)
    certificate_der = models.BinaryField()
    wrapped_key = models.BinaryField(null=True, blank=True)
    crl_der = models.BinaryField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    trusted = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "Đã tiếp nhận / Received"
    IN_REVIEW = "in_review", "Đang xem xét / Under review"
    ISSUED = "issued", "Đã ký, trả kết quả / Signed, ready"
    REJECTED = "rejected", "Từ chối / Refused"


class ResidenceRequest(models.Model):
    """A resident's online request for a residence confirmation from the commune.

    The resident gets ``reference_code`` on submission and follows the request with it; once
    issued, the signed confirmation is downloadable with the same code. ``cccd`` is the 12-digit
    identification number the resident typed; the officer matches it to the register.
    """

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT,
                                related_name="residence_requests")
    reference_code = models.CharField(max_length=12, unique=True, default=new_reference_code)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED,
                              db_index=True)
    full_name = models.CharField(max_length=150)
    date_of_birth = models.DateField()
    cccd = models.CharField(max_length=12)
    address = models.CharField(max_length=255)
    purpose = models.CharField(max_length=255)
    phone = models.CharField(max_length=15, blank=True, default="")
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="residence_request")
    refusal_reason = models.CharField(max_length=300, blank=True, default="")
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    review_started_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["commune", "status"])]

    def __str__(self) -> str:
        return f"{self.reference_code} — {self.full_name}"
