"""Readers, encodings of CSV files, header detection (title rows, merged cells) and column mapping."""

import codecs
import unicodedata

import pytest
from import_files import HEADER, TITLES, clean_rows, write_csv, write_xlsx

from langso.imports import legacy
from langso.imports.parsing import (apply_saved_mapping, decode_csv_bytes, detect_header, field_for_header,
                                    read_file)
from langso.lib.errors import RuleViolation


@pytest.mark.parametrize("title, field", [
    ("Họ và tên", "full_name"), ("HỌ VÀ TÊN", "full_name"), ("Ho va ten", "full_name"), ("Họ tên", "full_name"),
    ("Ngày sinh", "date_of_birth"), ("Ngày, tháng, năm sinh", "date_of_birth"), ("Năm sinh", "date_of_birth"),
    ("Giới tính", "sex"), ("Số CCCD/CMND", "id_number"), ("CCCD", "cccd"), ("Số CMND", "cmnd"),
    ("Số định danh cá nhân", "id_number"), ("Quan hệ với chủ hộ", "relation"), ("QH với chủ hộ", "relation"),
    ("Thôn/Xóm", "village"), ("Tổ dân phố", "village"), ("Địa chỉ", "address"), ("Số điện thoại", "phone"),
    ("SĐT", "phone"), ("Số hộ", "household_no"), ("STT", None), ("Ghi chú", None),
])
def test_headers_are_recognised_accent_insensitively(title, field):
    assert field_for_header(title) == field


def test_title_rows_above_the_header_are_skipped(tmp_path):
    sheet = read_file(write_xlsx(tmp_path / "a.xlsx", clean_rows(), title_rows=3))
    header = detect_header(sheet)
    assert header.row_index == 3
    assert header.mapping["full_name"] == 1 and header.mapping["relation"] == 5


def test_merged_header_cells(tmp_path):
    sheet = read_file(write_xlsx(tmp_path / "m.xlsx", clean_rows(), merged=True))
    header = detect_header(sheet)
    assert header.titles[1] == "Họ và tên"  # merged down from the row above
    assert header.mapping["id_number"] == 4 and header.mapping["full_name"] == 1


def test_no_header_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(RuleViolation) as caught:
        detect_header(read_file(path))
    assert caught.value.rule == "import.no_header"


def test_saved_mapping_wins_over_detection():
    titles = ["Tên chủ hộ và thành viên", "Sinh ngày", "Giới tính"]
    mapping = apply_saved_mapping(titles, {"full_name": "Tên chủ hộ và thành viên", "date_of_birth": "Sinh ngày"})
    assert mapping == {"full_name": 0, "date_of_birth": 1, "sex": 2}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_unicode_encodings(tmp_path, encoding):
    sheet = read_file(write_csv(tmp_path / "u.csv", clean_rows(), encoding=encoding))
    assert sheet.rows[1][1] == "Nguyễn Văn An"


def test_csv_semicolons(tmp_path):
    sheet = read_file(write_csv(tmp_path / "s.csv", clean_rows(), delimiter=";"))
    assert sheet.rows[0] == HEADER


@pytest.mark.parametrize("encoding", [legacy.TCVN3, legacy.VNI])
def test_csv_in_a_legacy_font_as_windows_bytes(tmp_path, encoding):
    rows = [[legacy.from_unicode(c, encoding) if isinstance(c, str) else c for c in row] for row in clean_rows()]
    header = [legacy.from_unicode(h, encoding) for h in HEADER]
    path = write_csv(tmp_path / "l.csv", rows, header=header, encoding="cp1252")
    sheet = read_file(path)
    assert sheet.encoding == encoding
    assert sheet.rows[0] == HEADER and sheet.rows[1][1] == "Nguyễn Văn An"


@pytest.mark.parametrize("encoding", [legacy.TCVN3, legacy.VNI])
def test_xlsx_in_a_legacy_font(tmp_path, encoding):
    rows = [[legacy.from_unicode(c, encoding) if isinstance(c, str) else c for c in row] for row in clean_rows()]
    header = [legacy.from_unicode(h, encoding) for h in HEADER]
    titles = [legacy.from_unicode(t, encoding) for t in TITLES]
    sheet = read_file(write_xlsx(tmp_path / "l.xlsx", rows, header=header, titles=titles))
    assert sheet.encoding == encoding
    header_found = detect_header(sheet)
    assert header_found.mapping["full_name"] == 1
    assert sheet.rows[header_found.row_index + 2][1] == "Trần Thị Bình"


def _cp1258(text: str) -> bytes:
    """Windows-1258 keeps base letters (â ê ô ơ ư ă đ) precomposed and the five tones as combining marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in nfd if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in tones))
            out += (base + tones).encode("cp1258")
    return out


def test_windows_1258_csv():
    data = _cp1258("Họ và tên,Ngày sinh\nNguyễn Văn An,05/03/1970\n")
    assert "Nguyễn Văn An" in unicodedata.normalize("NFC", decode_csv_bytes(data))


def test_bom_is_dropped():
    assert decode_csv_bytes(codecs.BOM_UTF8 + "Họ và tên".encode()) == "Họ và tên"


def test_unknown_format_and_damaged_file(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(RuleViolation) as caught:
        read_file(tmp_path / "a.pdf")
    assert caught.value.rule == "import.format"
    (tmp_path / "b.xlsx").write_bytes(b"not a zip")
    with pytest.raises(RuleViolation) as caught:
        read_file(tmp_path / "b.xlsx")
    assert caught.value.rule == "import.unreadable"


def test_fast_xlsx_reader_agrees_with_openpyxl(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    from langso.imports.parsing import _read_xlsx_openpyxl
    from langso.imports.values import parse_date
    from langso.imports.xlsx import read_first_sheet

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Ngày sinh", "Số CCCD", "Ghi chú"])
    sheet.append(["Nguyễn Văn An", dt.date(1970, 3, 5), 25070000001, None])
    sheet.append([None, None, 1.5, True])
    sheet["D5"] = "xa"  # a gap row above
    sheet.merge_cells("A6:B6")
    sheet["A6"] = "gộp"
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    fast = read_first_sheet(path)
    slow = _read_xlsx_openpyxl(path).rows

    def trim(rows):
        out = []
        for row in rows:
            row = list(row)
            while row and row[-1] is None:
                row.pop()
            out.append(row)
        return out

    assert fast[0] == slow[0] and fast[1][0] == "Nguyễn Văn An" and fast[1][2] == 25070000001
    assert parse_date(fast[1][1], dt.date(2026, 1, 1)).value == dt.date(1970, 3, 5)  # a serial number
    assert trim(fast)[2:] == trim(slow)[2:]
