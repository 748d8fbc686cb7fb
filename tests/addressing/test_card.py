"""The A6 household card: size, Vietnamese text, QR with only the code and a geo: URI."""

from __future__ import annotations

import datetime as dt
import re

import pypdfium2
import zxingcpp

from langso.addressing.card import Card, card_pdf, qr_payload


def _render(pdf: bytes, scale: float = 4.0):
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    width, height = page.get_size()
    image = page.render(scale=scale).to_pil()
    text = page.get_textpage().get_text_range()
    return (width, height), image, text


def test_card_is_a6_with_code_plus_code_places_and_a_decodable_qr() -> None:
    card = Card("BF1-PPP-004P", 21.30092, 105.59043, "Thôn Ngũ Kiên", "Xã Vĩnh Phú", "Tỉnh Phú Thọ",
                dt.date(2026, 11, 29), commune_centre=(21.31, 105.58))
    (width, height), image, text = _render(card_pdf([card]))
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (105, 148)  # A6 in mm
    for expected in ("BF1-PPP-004P", "7PH78H2R+95", "Thôn Ngũ Kiên", "Xã Vĩnh Phú", "Tỉnh Phú Thọ", "29/11/2026"):
        assert expected in text
    (found,) = zxingcpp.read_barcodes(image)
    assert found.text == qr_payload("BF1-PPP-004P", 21.30092, 105.59043)
    assert re.fullmatch(r"geo:21\.30092,105\.59043\?q=21\.30092,105\.59043\(BF1-PPP-004P\)", found.text)


def test_one_page_per_card() -> None:
    cards = [Card(f"BF1-PPP-00{i}X", 21.3, 105.59, "", "Xã A", "Tỉnh B", dt.date(2026, 1, 1)) for i in range(3)]
    assert len(pypdfium2.PdfDocument(card_pdf(cards))) == 3
