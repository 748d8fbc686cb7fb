"""import_boundaries: every problem named by feature index and code, nothing half-written."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
from django.core.management import CommandError, call_command

from langso.audit.models import AuditEntry
from langso.territory import geometry
from langso.territory.actions import BoundaryImportError, import_boundaries
from langso.territory.models import AdministrativeUnit

from .conftest import collection, feature, square

pytestmark = pytest.mark.django_db


def boundaries() -> dict[str, tuple[str, float | None]]:
    return {u.code: (u.boundary, u.area_km2) for u in AdministrativeUnit.objects.all()}


def refused(data, **kwargs) -> list:
    before = boundaries()
    audits = AuditEntry.objects.count()
    with pytest.raises(BoundaryImportError) as caught:
        import_boundaries(data, boundary_source=kwargs.pop("boundary_source", "test"), **kwargs)
    assert boundaries() == before, "a refused import must leave the database unchanged"
    assert AuditEntry.objects.count() == audits
    return caught.value.problems


def test_imports_boundary_area_and_centre(territory):
    nfd_source = unicodedata.normalize("NFD", "Sở Tài nguyên Phú Thọ 2026")
    report = import_boundaries(
        collection(
            feature("09154", square(105.50, 21.18), name="Vĩnh Phú"),
            feature(9157, square(105.52, 21.18), key="code"),  # integer code in properties
        ),
        province="25", boundary_source=nfd_source,
    )
    assert report.updated == ["09154", "09157"] and not report.warnings and not report.repaired
    unit = AdministrativeUnit.objects.get(pk=territory["a"].pk)
    geom = geometry.parse_polygonal(json.loads(unit.boundary))
    assert unit.area_km2 == pytest.approx(geometry.area_km2(geom), abs=1e-3)
    assert geometry.contains_point(geom, unit.centroid_lat, unit.centroid_lon)
    assert unit.boundary_source == unicodedata.normalize("NFC", nfd_source)
    entry = AuditEntry.objects.get(action="territory.import_boundaries")
    assert entry.data["communes"] == 2


def test_unknown_code_refuses_the_whole_file(territory):
    problems = refused(collection(feature("09154"), feature("99999")))
    assert [(p.field, p.rule) for p in problems] == [("features[1] (99999)", "feature.code_unknown")]
    assert str(problems[0]).startswith("features[1] (99999): Mã 99999 không phải")
    assert "— Code 99999 is not a current commune-level unit" in str(problems[0])


def test_legacy_code_is_not_a_current_commune(territory):
    AdministrativeUnit.objects.create(
        code="09148", name="Ngũ Kiên", full_name="Xã Ngũ Kiên", unit_type="xa", level="commune",
        valid_to="2025-06-30",
    )
    problems = refused(collection(feature("09148")))
    assert problems[0].rule == "feature.code_unknown"


def test_commune_of_another_province(territory):
    problems = refused(collection(feature("09154"), feature("00004", square(105.85, 21.03))), province="25")
    assert [(p.field, p.rule) for p in problems] == [("features[1] (00004)", "feature.code_province")]
    assert "Tỉnh Hà Nội" in problems[0].vi


def test_unknown_province(territory):
    problems = refused(collection(feature("09154")), province="99")
    assert problems[0].rule == "boundary.province"


def test_bad_geometries_are_all_reported(territory):
    problems = refused(collection(
        feature("09154", {"type": "Point", "coordinates": [105.5, 21.18]}),
        feature("09157", square(21.18, 105.5)),  # axes swapped
        feature("00004", {"type": "MultiPolygon", "coordinates": [[["x"]]]}),
        feature("09154", square(105.5, 21.18)),  # duplicate of features[0]
        feature(None, square(105.5, 21.18)),
        {"type": "Feature", "id": "09154", "properties": {"code": "09157"}, "geometry": square(105.5, 21.18)},
        ["not", "a", "feature"],
    ))
    assert [(p.field, p.rule) for p in problems] == [
        ("features[0] (09154)", "geometry.type"),
        ("features[1] (09157)", "geometry.range"),
        ("features[2] (00004)", "geometry.coordinates"),
        ("features[3] (09154)", "feature.code_duplicate"),
        ("features[4]", "feature.code_missing"),
        ("features[5]", "feature.code_conflict"),
        ("features[6]", "feature.type"),
    ]
    assert all(" — " in str(p) for p in problems)


def test_invalid_polygon_is_repaired_and_said_so(territory):
    bow_tie = {"type": "Polygon", "coordinates": [[[105.5, 21.18], [105.51, 21.19], [105.51, 21.18],
                                                   [105.5, 21.19], [105.5, 21.18]]]}
    report = import_boundaries(collection(feature("09154", bow_tie)), boundary_source="test")
    assert report.repaired == [("features[0] (09154)", "hình học không hợp lệ, đã sửa bằng make_valid",
                                "invalid geometry repaired with make_valid")]
    stored = geometry.parse_polygonal(json.loads(AdministrativeUnit.objects.get(code="09154").boundary))
    assert stored.is_valid


def test_name_mismatch_is_a_warning(territory):
    report = import_boundaries(collection(feature("09154", name="Thổ Tang")), boundary_source="test")
    assert report.updated == ["09154"]
    assert report.warnings and "Thổ Tang" in report.warnings[0][1]


@pytest.mark.parametrize(
    ("payload", "rule"),
    [
        (b"\xff\xfe not utf-8", "file.encoding"),
        (b'{"type": "FeatureCollection", "features": [', "file.json"),
        (b'{"type": "Feature", "geometry": null}', "file.type"),
        (b'{"type": "FeatureCollection", "features": []}', "file.empty"),
    ],
)
def test_unreadable_files(territory, payload, rule):
    assert refused(payload)[0].rule == rule


def test_source_is_required(territory):
    assert refused(collection(feature("09154")), boundary_source=" ")[0].rule == "boundary.source_missing"


def test_command_reports_each_problem_and_fails(territory, tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(collection(feature("09154"), feature("99999"))), encoding="utf-8")
    err = io.StringIO()
    before = boundaries()
    with pytest.raises(CommandError, match="Không nhập: 1 lỗi.*Not imported: 1 problems"):
        call_command("import_boundaries", str(path), "--province", "25", stderr=err)
    assert "features[1] (99999): Mã 99999" in err.getvalue()
    assert boundaries() == before


def test_command_imports_a_good_file(territory, tmp_path):
    path = tmp_path / "ok.geojson"
    path.write_text(json.dumps(collection(feature("09154"))), encoding="utf-8")
    out = io.StringIO()
    call_command("import_boundaries", str(path), stdout=out)
    assert "Imported boundaries of 1 communes" in out.getvalue()
    assert AdministrativeUnit.objects.get(code="09154").boundary_source == "ok.geojson"


def test_shipped_file_needs_the_units_loaded_first(territory):
    # Only 09154 of Phú Thọ's 148 communes exists here: 147 problems, nothing written.
    before = boundaries()
    with pytest.raises(CommandError, match="Not imported: 147 problems"):
        call_command("import_boundaries", shipped=True, stderr=io.StringIO())
    assert boundaries() == before
