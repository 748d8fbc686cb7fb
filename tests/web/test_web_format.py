"""Number, date and identifier formatting in both languages."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from langso.web.templatetags.langso_format import dmy, in_language, indicator_value, mask_cccd, mask_phone, num


def test_numbers_in_vietnamese():
    with translation.override("vi"):
        assert num(1234) == "1.234"
        assert num(1234567) == "1.234.567"
        assert num(85.25, 1) == "85,3"
        assert num(85.0, 1) == "85"
        assert num(0.04, 1) == "0"
        assert num(-0.04, 1) == "0"
        assert indicator_value(-0.01, "percent") == "0,0%"
        assert num(-1234.5, 1) == "-1.234,5"
        assert num(None) == "—"
        assert num("abc") == "—"
        assert indicator_value(85.25, "percent") == "85,3%"
        assert indicator_value(12345, "count") == "12.345"
        assert indicator_value(None, "percent") == "—"


def test_numbers_in_english():
    with translation.override("en"):
        assert num(1234567) == "1,234,567"
        assert num(85.25, 1) == "85.3"
        assert indicator_value(99.95, "percent") == "100.0%"
        assert indicator_value(40, "percent") == "40.0%"


def test_dates():
    day = dt.date(1980, 3, 5)
    with translation.override("vi"):
        assert dmy(day) == "05/03/1980"
        assert dmy(None) == "—"
    with translation.override("en"):
        assert dmy(day) == "5 Mar 1980"


def test_masks_and_bilingual_labels():
    assert mask_cccd("025080000123") == "•••••••••123"
    assert mask_cccd(None) == "—"
    assert mask_phone("0912345678") == "•••••••678"
    with translation.override("vi"):
        assert in_language("Vợ/Chồng / Spouse") == "Vợ/Chồng"
        assert in_language("Xã") == "Xã"
    with translation.override("en"):
        assert in_language("Vợ/Chồng / Spouse") == "Spouse"
