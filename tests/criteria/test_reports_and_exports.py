"""Filing reports (Excel read back with openpyxl, PDF rendered with poppler) and the DHIS2 exports
(ADX XML and dataValueSets JSON)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from langso.criteria import actions, exports
from langso.criteria.reports import assessment_report, pdf, province_report, xlsx

from .factories import fill_entered

pytestmark = pytest.mark.django_db
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")


@pytest.fixture
def approved(assessment, users):
    fill_entered(assessment, users["editor"])
    actions.submit_assessment(users["editor"], assessment, "Xã gửi")
    return actions.approve_assessment(users["reader"], assessment, "Đồng ý")


def _cells(sheet) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_commune_report_in_excel_has_the_filing_layout(approved):
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(assessment_report(approved))))
    filing = book.worksheets[0]
    text = _cells(filing)
    assert filing["A1"].value == "UBND TỈNH PHÚ THỌ" and filing["A2"].value == "UBND XÃ VĨNH PHÚ"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert any(t.startswith("Vĩnh Phú, ngày ") for t in text) and "BÁO CÁO" in text
    assert "NGƯỜI LẬP BIỂU" in text and "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH" in text
    assert "I. TỔNG HỢP THEO TIÊU CHÍ" in text and "III. QUÁ TRÌNH XÉT DUYỆT" in text
    assert "> 95% (chưa xác nhận)" in text and "91,2% (912/1.000)" in text
    assert any("thiếu 3,8 điểm %" in t and "(39 thêm)" in t for t in text)
    assert filing.page_setup.orientation == "landscape" and filing.page_setup.paperSize == 9
    assert "Trang &P/&N" in filing.oddFooter.center.text
    detail = book["Chi tiết chỉ tiêu"]
    assert [c.value for c in detail[1]] == ["Mã", "Chỉ tiêu", "Đơn vị tính", "Mức chuẩn", "Giá trị", "Nguồn số liệu",
                                           "Kết quả"]
    codes = [row[0].value for row in detail.iter_rows(min_row=2)]
    assert "7.2" in codes and "1.1" in codes


def test_province_report_in_excel(approved, territory):
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(province_report(territory["p25"], 2026))))
    text = _cells(book.worksheets[0])
    assert "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI" in text and "CHÁNH VĂN PHÒNG" in text
    assert "Xã Vĩnh Phú" in text and "Tỉnh đã duyệt" in text and "Chưa có dữ liệu" in text
    targets = book["Mục tiêu chương trình"]
    assert [row[0].value for row in targets.iter_rows(min_row=2)][:3] == ["GOV-1", "GOV-1", "GOV-2"]


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftoppm, pdftotext) not installed")
def test_reports_render_as_pdf(approved, territory, tmp_path):
    for name, report in [("commune", assessment_report(approved)), ("province", province_report(territory["p25"], 2026))]:
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf.render(report))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "NGƯỜI LẬP BIỂU" in text and "Trang 1/" in text
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / name)],
                       check=True)
        assert (tmp_path / f"{name}-1.png").stat().st_size > 5_000
    commune_text = subprocess.run(["pdftotext", str(tmp_path / "commune.pdf"), "-"], capture_output=True,
                                  text=True).stdout
    assert "Tỷ lệ người trưởng thành" in commune_text and "Tỉnh phê duyệt" in commune_text


def test_indicator_values_as_adx_and_data_value_sets(ready):
    values = exports.indicator_values(ready["territory"]["p25"], "202611")
    by_element = {v.data_element: v for v in values}
    assert by_element["LS_PAY_ADULT_NUM"].value == "912" and by_element["LS_PAY_ADULT_DEN"].value == "1000"
    assert {v.org_unit for v in values} == {"VN09154"} and {v.period for v in values} == {"202611"}
    root = ET.fromstring(exports.to_adx(values))
    ns = {"adx": exports.ADX_NS}
    assert root.tag == f"{{{exports.ADX_NS}}}adx" and root.get("exported").endswith("Z")
    group = root.find("adx:group", ns)
    assert group.attrib == {"dataSet": "LANGSO_IND_M", "orgUnit": "VN09154", "period": "2026-11-01/P1M"}
    assert len(group.findall("adx:dataValue", ns)) == len(values) == 10
    payload = exports.to_data_value_sets(values, "LANGSO_IND_M")
    assert payload["dataSet"] == "LANGSO_IND_M"
    assert {"dataElement": "LS_PAY_QR_NUM", "period": "202611", "orgUnit": "VN09154", "value": "27"} in payload["dataValues"]
    with pytest.raises(ValueError):
        exports.to_data_value_sets(values, "OTHER")
    assert exports.adx_period("2026") == "2026-01-01/P1Y"


def test_criteria_results_of_approved_assessments_only(approved, ready):
    values = exports.criteria_values(ready["territory"]["p25"], 2026)
    elements = {v.data_element: v.value for v in values}
    assert elements["NTM_X2630_7_2"] == "91.2" and elements["NTM_X2630_1_1"] == "true"
    assert not any(e.startswith("NTM_X2630_2_") for e in elements)  # empty slots are not sent
    assert exports.criteria_values(ready["territory"]["p25"], 2025) == []


def test_export_endpoints(approved, users, client):
    client.force_login(users["reader"])
    response = client.get("/p/25/criteria/export.json?period=202611")
    assert response["Content-Type"].startswith("application/json")
    assert len(json.loads(response.content)["dataValues"]) == 10
    response = client.get("/p/25/criteria/export.adx?kind=criteria&year=2026")
    assert b'period="2026-01-01/P1Y"' in response.content and b"NTM_X2630_1_1" in response.content
    assert "attachment" in response["Content-Disposition"]
