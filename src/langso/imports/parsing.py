"""Reading the household lists communes keep in Excel: files → rows of cells → header → mapping.

Readers (all return a :class:`Sheet`: rows of raw cell values, 1-based spreadsheet row numbers):

- ``.xlsx`` with openpyxl in read-only mode (constant memory; merged cells arrive as a value in
  the top-left cell and ``None`` elsewhere, which the header detection fills forward);
- ``.xls`` (BIFF, Excel 97–2003) with xlrd when it is installed; otherwise refused with a message;
- ``.csv`` with the encoding sniffed: a BOM (UTF-8/UTF-16), else strict UTF-8, else Windows-1252
  (whose characters then go through legacy-font detection), else Windows-1258; the delimiter is
  sniffed among ``,`` ``;`` and tab.

Text cells then pass :func:`langso.imports.legacy.detect` once per file and are converted to
Unicode NFC (TCVN3/ABC and VNI).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold

from . import legacy

HEADER_SCAN_ROWS = 20


@dataclass
class Sheet:
    """A worksheet read into memory: ``rows[i]`` is spreadsheet row ``first_row + i``."""

    rows: list[list[Any]]
    first_row: int = 1
    encoding: str = legacy.UNICODE


def _refuse(rule: str, vi: str, en: str) -> RuleViolation:
    return RuleViolation("file", rule, vi, en)


def read_file(path: str | Path, name: str | None = None) -> Sheet:
    """Read the first worksheet of ``path`` (format from ``name`` or the path's suffix).

    Raises :class:`RuleViolation` (``import.format``, ``import.unreadable``, ``import.encoding_mixed``).
    """
    suffix = Path(name or str(path)).suffix.lower()
    try:
        if suffix == ".xlsx" or suffix == ".xlsm":
            sheet = _read_xlsx(path)
        elif suffix == ".xls":
            sheet = _read_xls(path)
        elif suffix in {".csv", ".txt"}:
            sheet = _read_csv(Path(path).read_bytes())
        else:
            raise _refuse("import.format", f"Không đọc được tệp '{suffix}': chỉ nhận .xlsx, .xls hoặc .csv.",
                          f"Cannot read '{suffix}' files: only .xlsx, .xls or .csv.")
    except RuleViolation:
        raise
    except Exception as exc:  # a corrupt or mislabelled file: the reader's own error, reworded
        raise _refuse("import.unreadable", f"Tệp bị hỏng hoặc không đúng định dạng {suffix}.",
                      f"The file is damaged or not a valid {suffix} file ({type(exc).__name__}).") from exc
    _decode_legacy(sheet)
    return sheet


def _read_xlsx(path: str | Path) -> Sheet:
    """The fast reader (:mod:`langso.imports.xlsx`), else openpyxl read-only for what it cannot read."""
    from .xlsx import read_first_sheet

    try:
        return Sheet(read_first_sheet(path))
    except Exception:  # noqa: BLE001 — any oddity of the package: let openpyxl have a go
        return _read_xlsx_openpyxl(path)


def _read_xlsx_openpyxl(path: str | Path) -> Sheet:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet = workbook.worksheets[0]
        rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return Sheet(rows)


def _read_xls(path: str | Path) -> Sheet:
    try:
        import xlrd
    except ImportError:
        raise _refuse("import.xls_unsupported",
                      "Máy chủ chưa hỗ trợ tệp .xls (Excel 97–2003): hãy lưu lại thành .xlsx rồi nhập.",
                      "This server cannot read .xls (Excel 97–2003) files yet: save as .xlsx and import that.") from None
    import datetime as dt

    book = xlrd.open_workbook(str(path))
    sheet = book.sheet_by_index(0)
    rows = []
    for r in range(sheet.nrows):
        row = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(dt.datetime(*xlrd.xldate_as_tuple(cell.value, book.datemode)))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            else:
                row.append(cell.value)
        rows.append(row)
    return Sheet(rows)


def decode_csv_bytes(data: bytes) -> str:
    """Text of a CSV file: BOM → UTF-8/UTF-16; strict UTF-8; else Windows-1252 (legacy fonts are
    recognised afterwards); Windows-1258 when cp1252 shows no legacy font but 1258 shows Vietnamese."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    counts = legacy.score(text.splitlines())
    if counts[legacy.TCVN3] or counts[legacy.VNI]:
        return text
    return data.decode("cp1258", errors="replace")


def _read_csv(data: bytes) -> Sheet:
    text = decode_csv_bytes(data)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return Sheet([row for row in csv.reader(io.StringIO(text), dialect)])


def _decode_legacy(sheet: Sheet) -> None:
    texts = (cell for row in sheet.rows[:2000] for cell in row if isinstance(cell, str))
    encoding = legacy.detect(texts)
    sheet.encoding = encoding
    convert = legacy.to_unicode
    for row in sheet.rows:
        for i, cell in enumerate(row):
            if isinstance(cell, str) and not cell.isascii():
                row[i] = convert(cell, encoding)


# --- header and mapping -------------------------------------------------------------------------

FIELDS = ("household_no", "full_name", "date_of_birth", "sex", "id_number", "cccd", "cmnd", "relation",
          "village", "address", "phone")
FIELD_LABELS = {
    "household_no": "Số hộ / Household no.",
    "full_name": "Họ và tên / Full name",
    "date_of_birth": "Ngày sinh / Date of birth",
    "sex": "Giới tính / Sex",
    "id_number": "Số CCCD/CMND / ID number",
    "cccd": "Số CCCD / CCCD",
    "cmnd": "Số CMND / Old ID (CMND)",
    "relation": "Quan hệ với chủ hộ / Relation to head",
    "village": "Thôn/Xóm / Village",
    "address": "Địa chỉ / Address",
    "phone": "Số điện thoại / Phone",
}

# Folded header texts (see ``header_key``) → field. Exact matches first, then the phrases below.
SYNONYMS: dict[str, str] = {}
for _field, _names in {
    "household_no": ["so ho", "ma ho", "so ho khau", "so so ho khau", "stt ho", "ho so", "ho"],
    "full_name": ["ho va ten", "ho ten", "ho va ten nhan khau", "ho ten nhan khau", "ten", "ho va ten khai sinh"],
    "date_of_birth": ["ngay sinh", "ngay thang nam sinh", "ngay thang sinh", "nam sinh", "ns", "sinh ngay"],
    "sex": ["gioi tinh", "gioi", "nam nu", "phai"],
    "id_number": ["so cccd cmnd", "cccd cmnd", "so cmnd cccd", "cmnd cccd", "so dinh danh", "so dinh danh ca nhan",
                  "so giay to tuy than", "can cuoc", "so can cuoc", "so cmnd cccd dinh danh"],
    "cccd": ["so cccd", "cccd", "so can cuoc cong dan", "can cuoc cong dan"],
    "cmnd": ["so cmnd", "cmnd", "chung minh nhan dan", "so chung minh nhan dan", "so cmt", "cmt"],
    "relation": ["quan he voi chu ho", "quan he", "qh voi chu ho", "quan he chu ho", "qh chu ho", "quan he vs chu ho"],
    "village": ["thon xom", "thon", "xom", "thon to", "to dan pho", "ban", "khu", "thon ban", "thon xom to"],
    "address": ["dia chi", "noi o hien nay", "dia chi thuong tru", "noi thuong tru", "cho o hien nay"],
    "phone": ["so dien thoai", "dien thoai", "sdt", "dt", "so dt", "dtdd"],
}.items():
    for _name in _names:
        SYNONYMS[_name] = _field
_PHRASES = [("cccd", "id_number"), ("cmnd", "cmnd"), ("dinh danh", "id_number"), ("ho va ten", "full_name"),
            ("ho ten", "full_name"), ("ngay sinh", "date_of_birth"), ("nam sinh", "date_of_birth"),
            ("gioi tinh", "sex"), ("quan he", "relation"), ("dien thoai", "phone"), ("dia chi", "address"),
            ("thon", "village"), ("xom", "village")]
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(text: Any) -> str:
    """A header cell's comparison key: folded (accents and đ removed, lower case), punctuation to spaces."""
    return _NOT_WORD.sub(" ", fold(str(text or ""))).strip()


def field_for_header(text: Any) -> str | None:
    """The field a header names, accent-insensitively (``"HỌ VÀ TÊN"``, ``"Ho va ten"`` → full_name)."""
    key = header_key(text)
    if not key:
        return None
    if key in SYNONYMS:
        return SYNONYMS[key]
    if "cccd" in key and "cmnd" in key:
        return "id_number"
    for phrase, name in _PHRASES:
        if phrase in key:
            return name
    return None


@dataclass
class Header:
    """Where the header is and what each column holds.

    ``row_index`` indexes ``Sheet.rows`` (data starts after it); ``titles[c]`` is the header text of
    column ``c`` (merged cells filled forward, a title above joined with a sub-title below);
    ``mapping`` maps field → column index.
    """

    row_index: int
    titles: list[str]
    mapping: dict[str, int] = field(default_factory=dict)


def _filled(row: list[Any]) -> list[str]:
    out, last = [], ""
    for cell in row:
        text = str(cell).strip() if cell not in (None, "") else ""
        last = text or last
        out.append(last)
    return out


def detect_header(sheet: Sheet) -> Header:
    """Find the header row among the first ``HEADER_SCAN_ROWS`` rows (title rows above are skipped).

    A row scores one per distinct field its cells name; a two-row header (a merged group title above
    sub-titles such as "Giấy tờ" over "CCCD" and "CMND") is read by taking, per column, the lower
    cell or else the merged title above. Raises :class:`RuleViolation` (``import.no_header``) when
    no row names at least the full name and one other field.
    """
    best: Header | None = None
    best_score = 1
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        above = _filled(sheet.rows[index - 1]) if index else []
        titles = []
        for c in range(max(len(row), len(above))):
            cell = row[c] if c < len(row) else None
            text = str(cell).strip() if cell not in (None, "") else ""
            if not text and c < len(above):
                text = above[c]
            titles.append(text)
        mapping = guess_mapping(titles)
        if "full_name" in mapping and len(mapping) > best_score:
            best, best_score = Header(index, titles, mapping), len(mapping)
    if best is None:
        raise _refuse("import.no_header",
                      "Không tìm thấy dòng tiêu đề (cần ít nhất cột Họ và tên và một cột khác như Ngày sinh).",
                      "No header row found (it needs at least a Full name column and another such as Date of birth).")
    # A second header row right below (sub-titles) with more fields wins over the group titles.
    return best


def guess_mapping(titles: list[str]) -> dict[str, int]:
    """``{field: column index}`` for the titles that name a field (first column wins)."""
    mapping: dict[str, int] = {}
    for c, title in enumerate(titles):
        name = field_for_header(title)
        if name and name not in mapping:
            mapping[name] = c
    return mapping


def apply_saved_mapping(titles: list[str], saved: dict[str, str]) -> dict[str, int]:
    """A mapping from a saved ``{field: header text}`` (compared by :func:`header_key`), falling back
    to :func:`guess_mapping` for fields the saved mapping does not name."""
    keys = [header_key(t) for t in titles]
    mapping = guess_mapping(titles)
    for name, title in saved.items():
        if name not in FIELDS:
            continue
        if not title:
            mapping.pop(name, None)
            continue
        key = header_key(title)
        if key in keys:
            mapping[name] = keys.index(key)
    return mapping


def data_rows(sheet: Sheet, header: Header) -> Iterator[tuple[int, list[Any]]]:
    """``(spreadsheet row number, cells)`` of the rows below the header, skipping blank rows."""
    start = header.row_index + 1
    for offset, row in enumerate(sheet.rows[start:]):
        if any(cell not in (None, "") and not (isinstance(cell, str) and not cell.strip()) for cell in row):
            yield sheet.first_row + start + offset, row
