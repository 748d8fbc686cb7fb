"""PAdES signing of commune documents with pyHanko, behind a small key seam.

Levels (ETSI EN 319 142-1, PAdES baseline):
- **B-B**: CMS signature with the signing certificate as a signed attribute — always possible offline;
- **B-T**: plus an RFC 3161 signature timestamp, when a timestamp authority is available;
- **B-LT**: plus the revocation data (CRL/OCSP) of the chain in the document security store, when it
  can be obtained; the DSS is written in the signature's own revision so one revision holds it all.

The key never leaves its :class:`KeySource`. Today the only source is a PKCS#12 file unlocked for
one signing (:class:`Pkcs12KeySource`); a USB token (pyHanko's ``PKCS11Signer``) or remote signing
(pyHanko's CSC client, Decree 23/2025/NĐ-CP remote signing services) implement the same protocol.

The visible appearance follows Decree 30/2020/NĐ-CP, Appendix I, §II: the seal image (red) over the
left third of the signer's signature image (blue), then the organisation's name and the signing
time in ISO 8601 with the Vietnam offset (+07:00), 10 pt.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from langso.lib.vietnamese import nfc

from . import fonts, images

log = logging.getLogger(__name__)


class _OfflineNotice(logging.Filter):
    """Drop pyHanko's warning that fetching is off while embedding validation data: offline B-LT from
    known CRLs is the design here (a commune LAN may have no internet), not an accident."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineNotice())
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PT_PER_MM = 72 / 25.4
STAMP_TEXT_PT = 10  # Decree 30/2020, Appendix I, §II: Times New Roman 10 (here Noto Serif, see fonts.py)


class SigningFailed(Exception):
    """The document could not be signed: wrong PIN, unusable key or certificate, broken PDF.

    ``vi`` and ``en`` say why, for the officer.
    """

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(f"{vi} — {en}")
        self.vi, self.en = vi, en


class KeySource(Protocol):
    """Where a signing key lives. ``open()`` returns a pyHanko signer usable for one signing."""

    def open(self) -> signers.Signer: ...


class Pkcs12KeySource:
    """A PKCS#12 file (bytes) and its passphrase, opened for one signing and then dropped."""

    def __init__(self, pkcs12: bytes, passphrase: str) -> None:
        self._pkcs12 = bytes(pkcs12)
        self._passphrase = passphrase

    def open(self) -> signers.Signer:
        try:
            return signers.SimpleSigner.load_pkcs12_data(self._pkcs12, other_certs=[],
                                                         passphrase=self._passphrase.encode("utf-8"))
        except ValueError as exc:
            raise SigningFailed("Mã PIN không đúng hoặc tệp khóa hỏng.",
                                "Wrong PIN or damaged key file.") from exc


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible signature goes: page index (0-based) and a rectangle in PDF points,
    origin at the bottom-left corner of the page (ISO 32000-1 §8.3.2.3)."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Appearance:
    """What the visible signature shows (Decree 30/2020, Appendix I, §II)."""

    organisation: str  # e.g. "Ủy ban nhân dân Xã Vĩnh Phú"
    province: str  # under the seal's bottom arc, e.g. "Tỉnh Phú Thọ"
    signer_name: str  # seeds the demo signature image
    box: SignatureBox


@dataclass(frozen=True)
class SignedPdf:
    """The signed file, its PAdES level ("B-B", "B-T" or "B-LT") and the signing time (aware)."""

    data: bytes
    level: str
    signed_at: dt.datetime
    certificate: asn1_x509.Certificate


def iso_vietnam(moment: dt.datetime) -> str:
    """``moment`` as ISO 8601 in Vietnam time, to the second: ``2026-11-29T10:15:03+07:00``."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def stamp_style(appearance: Appearance) -> TextStampStyle:
    """The pyHanko stamp style: images on top (real size), two lines of text under them."""
    picture: Image.Image = images.stamp_image(appearance.organisation, appearance.province,
                                              appearance.signer_name)
    mm_w, mm_h = picture.width / images.PX_PER_MM, picture.height / images.PX_PER_MM
    background = PdfImage(picture, box=layout.BoxConstraints(mm_w * PT_PER_MM, mm_h * PT_PER_MM))
    return TextStampStyle(
        stamp_text="%(org)s\nThời gian ký: %(when)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(fonts.face_path(""))),
                                    font_size=STAMP_TEXT_PT, leading=STAMP_TEXT_PT + 2),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(0, 0, 0, 0), inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT),
        background=background,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(0, 0, 0, 0), inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT),
        background_opacity=1.0,
        border_width=0,
    )


def sign_pdf(
    pdf: bytes,
    key: KeySource,
    appearance: Appearance,
    *,
    validation_context: ValidationContext | None = None,
    timestamper: timestamps.TimeStamper | None = None,
    reason: str = "Ký số văn bản",
    location: str = "",
    field_name: str = "ChuKySo1",
) -> SignedPdf:
    """Sign ``pdf`` (bytes of an unsigned PDF ≥ 1.4) and return the signed file.

    With ``timestamper`` the level is B-T; with ``validation_context`` too (trust roots and
    revocation data for the signer's and the TSA's chains) B-LT is attempted first and, when the
    revocation data cannot be had, B-T is made instead (logged). Raises :class:`SigningFailed`.
    """
    signer = key.open()
    moment = dt.datetime.now(VIETNAM).replace(microsecond=0)
    text = {"org": nfc(appearance.organisation), "when": iso_vietnam(moment)}
    box = appearance.box
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=box.page, box=(box.x1, box.y1, box.x2, box.y2))
    attempts = ["B-LT", "B-T"] if timestamper and validation_context else ["B-T"] if timestamper else ["B-B"]
    last_error: Exception | None = None
    for level in attempts:
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason, location=nfc(location) or None, name=nfc(appearance.organisation),
            embed_validation_info=level == "B-LT",
            validation_context=validation_context if level == "B-LT" else None,
            dss_settings=DSSContentSettings(placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE,
                                            include_vri=False),
        )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper,
                                           stamp_style=stamp_style(appearance), new_field_spec=spec)
            out = pdf_signer.sign_pdf(writer, appearance_text_params=text)
        except Exception as exc:  # pyHanko raises several kinds; the next level is tried or we fail
            last_error = exc
            log.warning("signing at %s failed: %s", level, exc)
            continue
        return SignedPdf(out.getvalue(), level, moment, signer.signing_cert)
    raise SigningFailed("Không ký được văn bản.", f"The document could not be signed ({last_error}).") \
        from last_error
