"""The commands: import_households (progress bar, exit status, error report, mapping), export_households."""

import pytest
from django.core.management import CommandError, call_command
from import_files import HEADER, TITLES, clean_rows, write_xlsx
from openpyxl import load_workbook

from langso.imports import legacy
from langso.imports.management.commands.import_households import parse_mapping
from langso.registry.models import Resident

pytestmark = pytest.mark.django_db


def test_import_a_tcvn3_file_with_progress(territory, tmp_path, capsys):
    rows = [[legacy.from_unicode(c, legacy.TCVN3) if isinstance(c, str) else c for c in r] for r in clean_rows()]
    path = write_xlsx(tmp_path / "abc.xlsx", rows, header=[legacy.from_unicode(h, legacy.TCVN3) for h in HEADER],
                      titles=[legacy.from_unicode(t, legacy.TCVN3) for t in TITLES], merged=True)
    call_command("import_households", territory["a"].code, str(path))
    out, err = capsys.readouterr()
    assert "rows 5, rejected 0" in out and "encoding tcvn3" in out
    assert "[##############################] 100%" in err
    assert set(Resident.objects.values_list("full_name", flat=True)) >= {"Nguyễn Văn An", "Trần Thị Bình"}


def test_bad_rows_exit_1_and_write_the_report(territory, tmp_path, capsys):
    rows = clean_rows()
    rows[0][3] = "?"
    report = tmp_path / "loi.xlsx"
    with pytest.raises(SystemExit) as caught:
        call_command("import_households", territory["a"].code, str(write_xlsx(tmp_path / "a.xlsx", rows)),
                     "--errors", str(report), "--no-progress")
    assert caught.value.code == 1 and Resident.objects.count() == 0
    assert "NOTHING WRITTEN" in capsys.readouterr().out
    assert [r[0] for r in load_workbook(report).worksheets[0].iter_rows(min_row=2, values_only=True)] == [4, 5, 6]


def test_mapping_option_and_export(territory, tmp_path, capsys):
    header = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]  # no recognisable header: mapping given
    path = write_xlsx(tmp_path / "m.xlsx", clean_rows(), header=["Họ và tên", *header[1:]], title_rows=0)
    call_command("import_households", territory["a"].code, str(path), "--no-progress",
                 "--mapping", "full_name=B,date_of_birth=3,sex=D,id_number=E,relation=F,village=G")
    assert Resident.objects.count() == 5
    out = tmp_path / "so-ho.xlsx"
    call_command("export_households", territory["a"].code, str(out))
    assert load_workbook(out).worksheets[0].max_row == 6


def test_parse_mapping_and_unknown_commune(tmp_path):
    assert parse_mapping("full_name=B, date_of_birth=3") == {"full_name": 1, "date_of_birth": 2}
    with pytest.raises(CommandError):
        parse_mapping("nickname=A")
    with pytest.raises(CommandError):
        call_command("export_households", "99999", str(tmp_path / "x.xlsx"))
