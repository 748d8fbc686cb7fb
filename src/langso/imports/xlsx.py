"""A fast streaming reader for the first worksheet of an .xlsx file (Office Open XML, ECMA-376 Part 1,
§18.3 worksheets and §18.4 shared strings).

openpyxl's read-only mode builds a cell object per cell and reads at about 10,000 rows of nine
columns a second on our machines — the slowest part of an import. Household lists need only the
values, so this reader walks the XML with ``xml.etree.ElementTree.iterparse`` and returns raw
values: shared and inline strings as ``str``, numbers as ``int``/``float``, booleans as ``bool``.
Dates stay Excel serial numbers (their date-ness lives in the cell style, which is not read): the
date parser reads serial numbers anyway. Merged cells give the value in the top-left cell and
nothing elsewhere, as in openpyxl's read-only mode. Raises ``KeyError``/``ET.ParseError``/
``zipfile.BadZipFile`` on a file that is not a plain workbook; the caller then falls back to openpyxl.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_NS}sheets/{_NS}sheet")
    rel_id = sheet.get(f"{_REL}id")
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    raise KeyError(rel_id)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        data = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings = []
    t_tag, si_tag = f"{_NS}t", f"{_NS}si"
    for _, element in ET.iterparse(data, events=("end",)):
        if element.tag == si_tag:
            # plain text is one <t>; rich text is runs <r><t>; phonetic runs (<rPh>) are left out
            plain = element.find(t_tag)
            if plain is not None:
                strings.append(plain.text or "")
            else:
                strings.append("".join((run.findtext(t_tag) or "") for run in element.findall(f"{_NS}r")))
            element.clear()
    return strings


def _column(ref: str) -> int:
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def read_first_sheet(path: str | Path) -> list[list[Any]]:
    """Rows of the first worksheet, row 1 first (empty rows kept as ``[]`` so numbers stay true)."""
    with zipfile.ZipFile(path) as archive:
        strings = _shared_strings(archive)
        sheet_path = _first_sheet_path(archive)
        rows: list[list[Any]] = []
        row_tag, c_tag, v_tag, is_tag, t_tag = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}is", f"{_NS}t"
        with archive.open(sheet_path) as stream:
            for _, element in ET.iterparse(stream, events=("end",)):
                if element.tag != row_tag:
                    continue
                number = int(element.get("r") or len(rows) + 1)
                while len(rows) < number - 1:
                    rows.append([])
                cells: list[Any] = []
                position = 0
                for cell in element.iter(c_tag):
                    ref = cell.get("r")
                    column = _column(ref) if ref else position
                    position = column + 1
                    kind = cell.get("t", "n")
                    if kind == "inlineStr":
                        node = cell.find(is_tag)
                        value: Any = "".join(t.text or "" for t in node.iter(t_tag)) if node is not None else None
                    else:
                        v = cell.find(v_tag)
                        text = v.text if v is not None else None
                        if text is None:
                            value = None
                        elif kind == "s":
                            value = strings[int(text)]
                        elif kind == "b":
                            value = text == "1"
                        elif kind in ("str", "e"):
                            value = text
                        else:
                            number_value = float(text)
                            value = int(number_value) if number_value.is_integer() and "E" not in text and "." not in text else number_value
                    if value is None:
                        continue
                    while len(cells) < column:
                        cells.append(None)
                    cells.append(value)
                rows.append(cells)
                element.clear()
    return rows
