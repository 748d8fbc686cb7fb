"""Rendering, PAdES signing and verification, offline, on the session's test PKI (no database)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from pyhanko.sign import timestamps
from pyhanko_certvalidator import ValidationContext

from langso.documents import pki, rendering, signing, verification

from .conftest import PIN


def sheet(**overrides) -> rendering.Sheet:
    values = dict(
        issuer_lines=("ỦY BAN NHÂN DÂN", "XÃ VĨNH PHÚ"), number_line="Số: 07/QĐ-UBND",
        place_date=rendering.vietnamese_date(dt.date(2026, 2, 5), "Vĩnh Phú"), title="QUYẾT ĐỊNH",
        subject="Về việc công nhận thôn Ngũ Kiên đạt chuẩn thôn thông minh",
        body="Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\nĐiều 1. Công nhận thôn Ngũ Kiên.",
        recipients=("Như Điều 3;", "Lưu: VT."), signer_name="Nguyễn Văn An",
        verify_url="http://testserver/v/ABCDEFGHJKLMNPQR/", verify_code="ABCDEFGHJKLMNPQR")
    values.update(overrides)
    return rendering.Sheet(**values)


def asn1_cert(issued: pki.Issued) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(pki.der(issued.certificate))


def tsa_of(test_pki) -> timestamps.TimeStamper:
    from cryptography.hazmat.primitives import serialization

    key = test_pki.tsa.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
    return timestamps.DummyTimeStamper(tsa_cert=asn1_cert(test_pki.tsa), tsa_key=asn1_keys.PrivateKeyInfo.load(key))


def context_factory(test_pki, *, revoked: tuple[int, ...] = ()):
    crl = asn1_crl.CertificateList.load(pki.crl_der(pki.make_crl(test_pki.root, list(revoked))))

    def factory(extra: dict, for_signing: bool = False) -> ValidationContext:
        extra = dict(extra)
        return ValidationContext(trust_roots=[asn1_cert(test_pki.root)], crls=list(extra.pop("crls", [])) + [crl],
                                 ocsps=extra.pop("ocsps", []), other_certs=extra.pop("other_certs", []),
                                 allow_fetching=False, revocation_mode="hard-fail" if for_signing else "soft-fail")
    return factory


def appearance(box) -> signing.Appearance:
    return signing.Appearance("Ủy ban nhân dân Xã Vĩnh Phú", "Tỉnh Phú Thọ", "Nguyễn Văn An", box)


@pytest.fixture(scope="module")
def rendered() -> rendering.Rendered:
    return rendering.render(sheet())


@pytest.fixture(scope="module")
def signed_blt(rendered, test_pki, pkcs12_a) -> signing.SignedPdf:
    return signing.sign_pdf(rendered.pdf, signing.Pkcs12KeySource(pkcs12_a, PIN), appearance(rendered.signature_box),
                            validation_context=context_factory(test_pki)({}, for_signing=True),
                            timestamper=tsa_of(test_pki))


def test_vietnamese_date_leading_zeros():
    assert rendering.vietnamese_date(dt.date(2026, 2, 5), "Vĩnh Phú") == "Vĩnh Phú, ngày 05 tháng 02 năm 2026"
    assert rendering.vietnamese_date(dt.date(2026, 11, 29), "Vĩnh Phú") == "Vĩnh Phú, ngày 29 tháng 11 năm 2026"
    assert rendering.vietnamese_date(dt.date(2026, 3, 10), "Vĩnh Phú") == "Vĩnh Phú, ngày 10 tháng 3 năm 2026"


def test_render_is_a4_pdf_with_signature_box_on_last_page(rendered):
    assert rendered.pdf.startswith(b"%PDF-1.")
    assert rendered.pages == 1
    box = rendered.signature_box
    assert box.page == 0 and 0 < box.x1 < box.x2 <= 595.3 and 0 < box.y1 < box.y2 <= 841.9


def test_long_body_flows_to_more_pages_and_keeps_signature_on_last():
    body = "\n".join(f"Điều {i}. Nội dung điều khoản dài để kiểm tra ngắt trang của văn bản hành chính." * 3
                     for i in range(1, 30))
    result = rendering.render(sheet(body=body))
    assert result.pages >= 2
    assert result.signature_box.page == result.pages - 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_text_is_nfc_even_from_nfd_input(tmp_path):
    nfd_subject = unicodedata.normalize("NFD", "Về việc xác nhận nơi cư trú của bà Nguyễn Thị Mai")
    path = tmp_path / "d.pdf"
    path.write_bytes(rendering.render(sheet(subject=nfd_subject)).pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Về việc xác nhận nơi cư trú của bà Nguyễn Thị Mai" in unicodedata.normalize("NFC", text)
    assert unicodedata.normalize("NFD", "ư") not in text


def test_b_b_signature_offline_is_valid(rendered, test_pki, pkcs12_a):
    signed = signing.sign_pdf(rendered.pdf, signing.Pkcs12KeySource(pkcs12_a, PIN), appearance(rendered.signature_box))
    assert signed.level == "B-B"
    report = verification.verify_pdf(signed.data, context_factory(test_pki))
    assert report.verdict == verification.VALID, report
    sig = report.signatures[0]
    assert sig.level == "B-B" and sig.time_source == "signer"
    assert sig.signer == "UBND Xã Vĩnh Phú (TEST)"
    assert sig.signed_at.endswith("+07:00")
    assert [c.name for c in sig.chain] == ["UBND Xã Vĩnh Phú (TEST)", "Làng số TEST Root CA"]
    assert sig.chain[0].issuer == "Làng số TEST Root CA" and sig.chain[0].organisation.startswith("Ủy ban")


def test_b_t_with_timestamp(rendered, test_pki, pkcs12_a):
    signed = signing.sign_pdf(rendered.pdf, signing.Pkcs12KeySource(pkcs12_a, PIN), appearance(rendered.signature_box),
                              timestamper=tsa_of(test_pki))
    assert signed.level == "B-T"
    report = verification.verify_pdf(signed.data, context_factory(test_pki))
    assert report.verdict == verification.VALID
    assert report.signatures[0].level == "B-T" and report.signatures[0].time_source == "tsa"


def test_b_lt_embeds_revocation_data_in_one_revision(signed_blt, test_pki):
    assert signed_blt.level == "B-LT"
    assert b"/DSS" in signed_blt.data and b"/CRLs" in signed_blt.data
    report = verification.verify_pdf(signed_blt.data, context_factory(test_pki))
    assert report.verdict == verification.VALID
    sig = report.signatures[0]
    assert sig.level == "B-LT" and sig.covers_whole_file and sig.changed_after == ""


def test_b_lt_falls_back_to_b_t_without_revocation_data(rendered, test_pki, pkcs12_a):
    no_crl = ValidationContext(trust_roots=[asn1_cert(test_pki.root)], crls=[], allow_fetching=False,
                               revocation_mode="hard-fail")
    signed = signing.sign_pdf(rendered.pdf, signing.Pkcs12KeySource(pkcs12_a, PIN), appearance(rendered.signature_box),
                              validation_context=no_crl, timestamper=tsa_of(test_pki))
    assert signed.level == "B-T"


def test_stamp_shows_organisation_and_iso_vietnam_time(signed_blt):
    # The appearance stream is compressed; the signing time is what the stamp printed.
    assert signing.iso_vietnam(signed_blt.signed_at).endswith("+07:00")
    assert signed_blt.signed_at.utcoffset() == dt.timedelta(hours=7)


def test_wrong_pin_is_refused(rendered, pkcs12_a):
    with pytest.raises(signing.SigningFailed) as caught:
        signing.sign_pdf(rendered.pdf, signing.Pkcs12KeySource(pkcs12_a, "000000"), appearance(rendered.signature_box))
    assert "PIN" in caught.value.vi


def test_one_byte_change_is_altered(signed_blt, test_pki):
    data = bytearray(signed_blt.data)
    at = data.index(b"/Title")
    data[at + 8] ^= 0x01  # a letter of the title inside the signed range
    report = verification.verify_pdf(bytes(data), context_factory(test_pki))
    assert report.verdict == verification.ALTERED
    assert "thay đổi" in report.headline_vi


def test_byte_flip_anywhere_in_signed_range_is_never_valid(signed_blt, test_pki):
    factory = context_factory(test_pki)
    size = len(signed_blt.data)
    for offset in (size // 7, size // 3, size // 2 - 5000):
        data = bytearray(signed_blt.data)
        data[offset] ^= 0x20
        assert verification.verify_pdf(bytes(data), factory).verdict != verification.VALID


def test_truncated_is_damaged(signed_blt, test_pki):
    for cut in (len(signed_blt.data) // 2, len(signed_blt.data) - 20):
        report = verification.verify_pdf(signed_blt.data[:cut], context_factory(test_pki))
        assert report.verdict in (verification.DAMAGED, verification.ALTERED)
        assert not report.is_valid


def test_unsigned_and_not_pdf(rendered, test_pki):
    assert verification.verify_pdf(rendered.pdf, context_factory(test_pki)).verdict == verification.UNSIGNED
    junk = verification.verify_pdf(b"GIF89a not a pdf", context_factory(test_pki))
    assert junk.verdict == verification.DAMAGED and junk.problems


def test_wrongly_rooted_is_untrusted(rendered, test_pki):
    foreign = pki.to_pkcs12(test_pki.foreign_signer, PIN)
    signed = signing.sign_pdf(rendered.pdf, signing.Pkcs12KeySource(foreign, PIN), appearance(rendered.signature_box))
    report = verification.verify_pdf(signed.data, context_factory(test_pki))
    assert report.verdict == verification.UNTRUSTED
    assert report.signatures[0].intact and not report.signatures[0].trusted
    assert "KHÔNG tin cậy" in report.headline_vi


def test_revoked_certificate_is_untrusted(rendered, test_pki):
    revoked = pki.to_pkcs12(test_pki.revoked_signer, PIN)
    signed = signing.sign_pdf(rendered.pdf, signing.Pkcs12KeySource(revoked, PIN), appearance(rendered.signature_box))
    factory = context_factory(test_pki, revoked=(test_pki.revoked_signer.certificate.serial_number,))
    report = verification.verify_pdf(signed.data, factory)
    assert report.verdict == verification.UNTRUSTED
    assert report.signatures[0].revoked


def test_pkcs12_round_trip_and_wrap(test_pki):
    blob = pki.to_pkcs12(test_pki.signer, "pin-1234")
    assert pki.from_pkcs12(blob, "pin-1234").certificate == test_pki.signer.certificate
    with pytest.raises(ValueError):
        pki.from_pkcs12(blob, "wrong")
    wrapped = pki.wrap(blob, b"server secret")
    assert blob not in wrapped and pki.unwrap(wrapped, b"server secret") == blob
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):
        pki.unwrap(wrapped, b"another secret")


def test_key_sizes_meet_circular_15_2025(test_pki):
    assert test_pki.signer.key.key_size >= 2048 and test_pki.root.key.key_size >= 2048
