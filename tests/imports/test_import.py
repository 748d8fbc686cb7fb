"""Importing files into the register: all-or-nothing, skipping bad rows, re-import, duplicates,
households over several rows, CMND numbers, the error report and the export round trip."""

import datetime as dt

import pytest
from django.http import Http404
from import_files import HEADER, clean_rows, person, write_csv, write_xlsx
from openpyxl import load_workbook

from langso.audit.models import AuditEntry
from langso.imports.actions import import_file
from langso.imports.reports import EXPORT_HEADERS, error_report, export_households
from langso.registry.identifiers import make_cccd
from langso.registry.models import Household, Resident

pytestmark = pytest.mark.django_db


def _run(territory, path, today, **kwargs):
    return import_file(None, territory["a"], path, today=today, **kwargs)


def test_clean_file_imports_households_with_head_first(territory, tmp_path, today):
    result = _run(territory, write_xlsx(tmp_path / "a.xlsx", clean_rows()), today)
    outcome = result.outcome
    assert outcome.written and not outcome.errors
    assert (outcome.households_created, outcome.residents_created) == (2, 5)
    first = Household.objects.get(head_search_name="nguyen van an")
    assert first.village.name == "Ngũ Kiên" and first.address == "Xóm 1"
    assert [r.full_name for r in first.members.order_by("id")] == ["Nguyễn Văn An", "Trần Thị Bình",
                                                                   "Nguyễn Văn Cường"]
    second = Household.objects.get(head_search_name="le van dung")
    assert second.village.name == "Đồng Xuân"  # a village named in the file is created
    em = Resident.objects.get(full_name="Phạm Thị Em")
    assert em.date_of_birth == dt.date(1958, 1, 1) and outcome.approximate_rows == [8]


def test_reimporting_the_same_file_changes_nothing(territory, tmp_path, today):
    path = write_xlsx(tmp_path / "a.xlsx", clean_rows())
    _run(territory, path, today)
    before = (Household.objects.count(), Resident.objects.count(), AuditEntry.objects.count())
    outcome = _run(territory, path, today).outcome
    assert outcome.written and outcome.households_created == 0 and outcome.residents_created == 0
    assert outcome.residents_updated == 0 and outcome.residents_unchanged == 5
    assert (Household.objects.count(), Resident.objects.count(), AuditEntry.objects.count()) == before


def test_reimport_updates_by_identifier_and_adds_new_members(territory, tmp_path, today):
    _run(territory, write_xlsx(tmp_path / "a.xlsx", clean_rows()), today)
    rows = clean_rows()
    rows[1][8] = "0987654321"                                      # Bình's phone changed
    rows.insert(3, person(6, "Nguyễn Thị Dung", "02/02/2010", "Nữ", "", "Con"))  # a new child
    outcome = _run(territory, write_xlsx(tmp_path / "b.xlsx", rows), today).outcome
    assert outcome.written and outcome.residents_updated == 1 and outcome.residents_created == 1
    assert Resident.objects.get(full_name="Trần Thị Bình").phone == "0987654321"
    assert Household.objects.count() == 2
    assert Resident.objects.get(full_name="Nguyễn Thị Dung").household.head_search_name == "nguyen van an"


def _bad_rows():
    rows = clean_rows()
    rows[2][2] = "31/02/2001"                 # row 6: impossible date (member)
    rows[3][3] = "Không rõ"                   # row 7: bad sex on a head: its household goes too
    return rows


def test_one_bad_row_means_nothing_is_written(territory, tmp_path, today):
    outcome = _run(territory, write_xlsx(tmp_path / "bad.xlsx", _bad_rows()), today).outcome
    assert not outcome.written
    assert Resident.objects.count() == 0 and Household.objects.count() == 0
    assert [e.row for e in outcome.errors] == [6, 7, 8]
    assert outcome.errors[0].vi.startswith("Dòng 6, cột Ngày sinh") and outcome.errors[0].en.startswith("Row 6")
    assert "7" in outcome.errors[2].vi  # the member names its rejected head's row


def test_skip_bad_rows_skips_exactly_the_reported_rows(territory, tmp_path, today):
    rows = _bad_rows()
    outcome = _run(territory, write_xlsx(tmp_path / "bad.xlsx", rows), today, skip_bad_rows=True).outcome
    assert outcome.written
    reported = {e.row for e in outcome.errors}
    names_by_row = {4 + i: row[1] for i, row in enumerate(rows)}
    imported = set(Resident.objects.values_list("full_name", flat=True))
    assert imported == {name for row, name in names_by_row.items() if row not in reported}
    assert reported == {6, 7, 8}


def test_error_report_names_each_bad_row(territory, tmp_path, today):
    result = _run(territory, write_xlsx(tmp_path / "bad.xlsx", _bad_rows()), today)
    path = tmp_path / "errors.xlsx"
    path.write_bytes(error_report(result.outcome.as_report(), result.titles))
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Dòng / Row", "Cột / Field", "Lý do / Reason", "STT")
    assert [r[0] for r in rows[1:]] == [6, 7, 8]
    assert "31/02/2001" in rows[1] and "Ngày" in rows[1][2] and "date" in rows[1][2]


def test_duplicates_within_the_file(territory, tmp_path, today):
    rows = clean_rows()
    rows.append(person(6, "Nguyễn Văn An", "05/03/1970", "Nam", rows[0][4], "Chủ hộ"))      # same CCCD
    rows.append(person(7, "Hoàng Văn Giáp", "01/01/1980", "Nam", "", "Chủ hộ"))
    rows.append(person(8, "Hoàng Văn Giáp", "01/01/1980", "Nam", "", "Con"))               # same person
    outcome = _run(territory, write_xlsx(tmp_path / "d.xlsx", rows), today, skip_bad_rows=True).outcome
    assert {e.rule for e in outcome.errors} == {"import.duplicate_cccd", "import.duplicate_person"}
    assert [e.row for e in outcome.errors] == [9, 11]


def test_cccd_of_a_resident_of_another_commune_is_refused(territory, tmp_path, today):
    import_file(None, territory["b"], write_xlsx(tmp_path / "b.xlsx", clean_rows()[:1]), today=today)
    outcome = _run(territory, write_xlsx(tmp_path / "a.xlsx", clean_rows()), today, skip_bad_rows=True).outcome
    assert [(e.row, e.rule) for e in outcome.errors][:1] == [(4, "import.other_commune")]
    assert {e.row for e in outcome.errors} == {4, 5, 6}  # the household goes with it
    assert Resident.objects.filter(commune=territory["a"]).count() == 2


def test_household_number_column_groups_rows(territory, tmp_path, today):
    header = ["Số hộ", *HEADER]
    rows = [["H1", *clean_rows()[0]], ["H2", *clean_rows()[3]], ["H1", *clean_rows()[1]], ["H2", *clean_rows()[4]],
            ["H3", *person(9, "Đỗ Văn Hải", "01/01/1990", "Nam", "", "Con")]]
    outcome = _run(territory, write_csv(tmp_path / "n.csv", rows, header=header), today, skip_bad_rows=True).outcome
    assert outcome.households_created == 2 and outcome.residents_created == 4
    assert [(e.row, e.rule) for e in outcome.errors] == [(6, "import.head_first")]
    assert Resident.objects.get(full_name="Trần Thị Bình").household.head_search_name == "nguyen van an"


def test_member_before_any_head_is_rejected(territory, tmp_path, today):
    rows = clean_rows()[1:]
    outcome = _run(territory, write_xlsx(tmp_path / "h.xlsx", rows), today, skip_bad_rows=True).outcome
    assert [(e.row, e.rule) for e in outcome.errors][:2] == [(4, "import.no_head_above"), (5, "import.no_head_above")]


def test_cmnd_and_numeric_cccd(territory, tmp_path, today):
    cccd = make_cccd("001", "M", 1980, 77)
    rows = [person(1, "Vũ Văn Khánh", "10/10/1980", "Nam", int(cccd), "Chủ hộ"),
            person(2, "Vũ Thị Lan", "11/11/1982", "Nữ", "012 345 678", "Vợ")]
    outcome = _run(territory, write_xlsx(tmp_path / "c.xlsx", rows), today).outcome
    assert outcome.written and outcome.restored_ids == [4]
    assert Resident.objects.get(full_name="Vũ Văn Khánh").cccd == cccd
    lan = Resident.objects.get(full_name="Vũ Thị Lan")
    assert lan.old_id_number == "012345678" and lan.cccd is None
    # matched by CMND on a second import: nothing new
    again = _run(territory, write_xlsx(tmp_path / "c.xlsx", rows), today).outcome
    assert again.residents_created == 0 and again.residents_unchanged == 2


def test_export_round_trip(territory, tmp_path, today):
    _run(territory, write_xlsx(tmp_path / "a.xlsx", clean_rows()), today)
    path = tmp_path / "export.xlsx"
    assert export_households(territory["a"], str(path)) == 5
    rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADERS
    assert rows[1][2] == "Nguyễn Văn An" and rows[1][7] == "Chủ hộ" and rows[1][3] == "05/03/1970"
    outcome = _run(territory, path, today).outcome
    assert outcome.written and outcome.residents_created == 0 and outcome.residents_unchanged == 5


def test_outsider_cannot_import(territory, users, tmp_path, today):
    with pytest.raises(Http404):
        import_file(users["outsider"], territory["a"], write_xlsx(tmp_path / "a.xlsx", clean_rows()), today=today)
    with pytest.raises(Http404):
        import_file(users["reader"], territory["a"], write_xlsx(tmp_path / "a.xlsx", clean_rows()), today=today)
    assert Resident.objects.count() == 0


def test_one_audit_entry_per_batch(territory, users, tmp_path, today):
    before = AuditEntry.objects.count()
    import_file(users["editor"], territory["a"], write_xlsx(tmp_path / "a.xlsx", clean_rows()), today=today)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[before:])
    assert actions == ["village.bulk_create", "registry.bulk_register"]


def test_xls_file(territory, today):
    """A committed .xls (Excel 97–2003; generated once by tests/imports/data/make_xls.py with xlwt)."""
    from pathlib import Path

    path = Path(__file__).with_name("data") / "so-ho-mau.xls"
    result = _run(territory, path, today)
    outcome = result.outcome
    assert outcome.written and outcome.residents_created == 3 and not outcome.errors
    assert Resident.objects.get(full_name="Vũ Văn Khánh").cccd == "001080000077"  # zeros restored
    assert Resident.objects.get(full_name="Vũ Văn Khánh").date_of_birth == dt.date(1980, 10, 10)
    assert outcome.restored_ids == [3] and outcome.approximate_rows == [5]
