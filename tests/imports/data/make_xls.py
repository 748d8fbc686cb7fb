"""Generates ``so-ho-mau.xls`` (Excel 97–2003) once, with xlwt in a throw-away virtualenv:

    python3 -m venv /tmp/xlwtenv && /tmp/xlwtenv/bin/pip install xlwt
    /tmp/xlwtenv/bin/python tests/imports/data/make_xls.py

xlwt is not a dependency of the project (unmaintained since 2017), so the .xls is committed. It holds a
title row, a header, a real date cell, a CCCD stored as a number (leading zeros lost) and a text CCCD.
"""

import datetime as dt
from pathlib import Path

import xlwt

book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("Danh sach")
date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
sheet.write_merge(0, 0, 0, 5, "DANH SÁCH HỘ GIA ĐÌNH THÔN NGŨ KIÊN")
for c, title in enumerate(["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND", "Quan hệ với chủ hộ", "Thôn/Xóm"]):
    sheet.write(1, c, title)
rows = [
    ("Vũ Văn Khánh", dt.date(1980, 10, 10), "Nam", 1080000077, "Chủ hộ", "Ngũ Kiên"),  # CCCD 001080000077 as a number
    ("Vũ Thị Lan", dt.date(1982, 11, 11), "Nữ", "025182000078", "Vợ", "Ngũ Kiên"),
    ("Vũ Minh Quân", "1999", "Nam", "", "Con", "Ngũ Kiên"),
]
for r, row in enumerate(rows, start=2):
    for c, value in enumerate(row):
        if isinstance(value, dt.date):
            sheet.write(r, c, value, date_style)
        else:
            sheet.write(r, c, value)
book.save(str(Path(__file__).with_name("so-ho-mau.xls")))
