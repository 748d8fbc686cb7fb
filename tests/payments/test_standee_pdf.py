"""Standee PDFs: page size, Vietnamese text, and a QR that decodes to the stored payload even at
the resolution a phone camera has of the page from one metre (35 dpi, see langso.payments.standee)."""

from __future__ import annotations

import io

import pytest

from langso.payments.standee import LAYOUTS, Standee, standee_pdf
from langso.payments.vietqr import VietQR, encode

pdfium = pytest.importorskip("pypdfium2")
zxingcpp = pytest.importorskip("zxingcpp")

PAYLOAD = encode(VietQR(bin="970436", account="0011004325123"))
ITEM = Standee(
    trade_name="Phở Đức — Quán ăn gia đình Ngũ Kiên", commune="Xã Vĩnh Phú", province="Tỉnh Phú Thọ",
    bank_short_name="Vietcombank", account_holder="NGUYEN VAN DUC", account_number="0011004325123", is_card=False,
    payload=PAYLOAD,
)
MM_PER_PT = 25.4 / 72


def qr_texts(page, dpi: float) -> list[str]:
    image = page.render(scale=dpi / 72).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("size", ["A5", "A6"])
def test_standee_page_size_text_and_qr(size):
    document = pdfium.PdfDocument(io.BytesIO(standee_pdf([ITEM], size)))
    assert len(document) == 1
    page = document[0]
    width, height = page.get_size()
    layout = LAYOUTS[size]
    assert round(width * MM_PER_PT) == layout.width and round(height * MM_PER_PT) == layout.height
    text = page.get_textpage().get_text_range()
    for expected in ("QUÉT MÃ ĐỂ THANH TOÁN", "Phở Đức", "Vietcombank", "NGUYEN VAN DUC", "Xã Vĩnh Phú", "0011 0043 2512 3"):
        assert expected in text, expected
    assert qr_texts(page, 150) == [PAYLOAD]
    assert qr_texts(page, 35) == [PAYLOAD]  # a 1080p phone preview of the page at 1 m


def test_bulk_pdf_has_one_page_per_business_in_order():
    items = [ITEM, Standee(**{**ITEM.__dict__, "trade_name": "Tạp hóa Hoa", "payload": encode(VietQR(bin="970405", account="1500205123456"))})]
    document = pdfium.PdfDocument(io.BytesIO(standee_pdf(items, "A6")))
    assert len(document) == 2
    assert qr_texts(document[1], 150) == [items[1].payload]
    assert "Tạp hóa Hoa" in document[1].get_textpage().get_text_range()


def test_long_trade_name_wraps_instead_of_overflowing():
    long_name = "Hợp tác xã dịch vụ nông nghiệp và tiêu thụ sản phẩm mật ong Tam Đảo"
    document = pdfium.PdfDocument(io.BytesIO(standee_pdf([Standee(**{**ITEM.__dict__, "trade_name": long_name})], "A6")))
    text = document[0].get_textpage().get_text_range()
    assert "mật ong" in text
    assert qr_texts(document[0], 150) == [PAYLOAD]


def test_bad_size_or_nothing_to_print():
    with pytest.raises(ValueError):
        standee_pdf([ITEM], "A4")
    with pytest.raises(ValueError):
        standee_pdf([], "A5")
