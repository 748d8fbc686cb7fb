"""The national unit list and the 2025 lineage, loaded once for this module.

The load (≈14,150 units, ≈10,630 edges) runs once inside a transaction that is rolled back when
the module ends, so no other test module sees these rows; each test runs in a savepoint inside it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F

from langso.audit.models import AuditEntry
from langso.lib.errors import RuleViolation
from langso.territory import geometry
from langso.territory.actions import import_shipped_boundaries, load_units
from langso.territory.models import LEGACY_VALID_TO, REFORM_DATE, AdministrativeUnit, Level, UnitLineage
from langso.territory.queries import (
    communes_of,
    crosswalk_to_current,
    current_successors,
    legacy_predecessors,
    resolve,
)
from langso.territory.reference import CURRENT, LEGACY, read_reference

# Every test here touches the database: pytest-django then keeps them together, so the module
# fixture below is set up once (it orders database tests before the others across modules).
pytestmark = pytest.mark.django_db

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def reference():
    return read_reference()


@pytest.fixture(scope="module")
def loaded(reference, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        report = load_units(reference=reference)
        # PostgreSQL defers foreign-key checks to commit, and each test's savepoint teardown
        # would re-check all 25,000 new rows; checking them once here empties that queue.
        connection.check_constraints()
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def units(loaded, db):
    return AdministrativeUnit.objects


def test_first_load_creates_everything(loaded, units):
    assert loaded.created == {
        (CURRENT, Level.PROVINCE): 34, (CURRENT, Level.COMMUNE): 3321,
        (LEGACY, Level.PROVINCE): 63, (LEGACY, Level.DISTRICT): 696, (LEGACY, Level.COMMUNE): 10033,
    }
    assert loaded.lineage_created == 10633 and not loaded.updated
    assert loaded.seconds < 30  # measured ≈2 s on SQLite; a bound, not a benchmark


def test_counts(units):
    assert units.current().provinces().count() == 34
    assert units.current().communes().count() == 3321
    assert units.legacy().provinces().count() == 63
    assert units.legacy().filter(level=Level.DISTRICT).count() == 696
    assert 9_900 <= units.legacy().communes().count() <= 10_100
    by_type = dict(units.current().communes().values_list("unit_type").annotate(n=Count("id")))
    assert by_type == {"phuong": 687, "xa": 2621, "dac_khu": 13}


def test_current_units_are_valid_from_the_reform(units):
    assert not units.current().exclude(valid_from=REFORM_DATE).exists()
    assert not units.legacy().exclude(valid_to=LEGACY_VALID_TO).exists()
    assert not units.current().communes().exclude(parent__level=Level.PROVINCE).exists()


def test_legacy_hierarchy_commune_district_province(units):
    ngu_kien = resolve("09148", on=BEFORE)
    assert ngu_kien.full_name == "Xã Ngũ Kiên" and ngu_kien.name == "Ngũ Kiên"
    assert ngu_kien.parent.full_name == "Huyện Vĩnh Tường" and ngu_kien.parent.level == Level.DISTRICT
    assert ngu_kien.parent.parent == ngu_kien.province
    assert ngu_kien.province.full_name == "Tỉnh Vĩnh Phúc" and ngu_kien.province.valid_to == LEGACY_VALID_TO
    # Every legacy commune's province is its district's province.
    assert not units.legacy().communes().exclude(province=F("parent__parent")).exists()


def test_second_run_changes_nothing(loaded, units, reference):
    audits = AuditEntry.objects.count()
    snapshot = list(units.order_by("pk").values_list())
    edges = list(UnitLineage.objects.order_by("pk").values_list())
    again = load_units(reference=reference)
    assert not again.changed
    assert sum(again.unchanged.values()) == 14147 and again.lineage_unchanged == 10633
    assert list(units.order_by("pk").values_list()) == snapshot
    assert list(UnitLineage.objects.order_by("pk").values_list()) == edges
    assert AuditEntry.objects.count() == audits


def test_package_changes_update_names_and_never_delete(units, reference):
    renamed = [
        dataclasses.replace(u, name="Vĩnh Phú Mới", full_name="Xã Vĩnh Phú Mới")
        if u.key == (CURRENT, Level.COMMUNE, "09154") else u
        for u in reference.units
        if u.key != (LEGACY, Level.COMMUNE, "09148")  # dropped from the package
    ]
    lineage = [e for e in reference.lineage if e.predecessor != (LEGACY, Level.COMMUNE, "09148")]
    report = load_units(reference=dataclasses.replace(reference, units=renamed, lineage=lineage))
    assert sum(report.updated.values()) == 1 and report.kept == 1 and report.lineage_kept == 1
    vinh_phu = resolve("09154")
    assert (vinh_phu.full_name, vinh_phu.search_name) == ("Xã Vĩnh Phú Mới", "vinh phu moi")
    assert resolve("09148", on=BEFORE).full_name == "Xã Ngũ Kiên"  # still there
    assert AuditEntry.objects.filter(action="territory.load_units").exists()
    load_units(reference=reference)
    assert resolve("09154").full_name == "Xã Vĩnh Phú"


def test_what_is_ngu_kien_today(units):
    ngu_kien = resolve("09148", on=BEFORE)
    [link] = current_successors(ngu_kien)
    assert (link.unit.code, link.unit.full_name, link.unit.is_current) == ("09154", "Xã Vĩnh Phú", True)
    assert link.unit.province.full_name == "Tỉnh Phú Thọ"
    assert not link.partial and link.event == "merge"
    assert "UBTVQH" in link.source and "vietnam-provinces 2026.9.0" in link.source
    with pytest.raises(AdministrativeUnit.DoesNotExist, match="09148.*No commune unit with code 09148"):
        resolve("09148", on=AFTER)


def test_which_legacy_communes_formed_vinh_phu(units):
    vinh_phu = resolve("09154", on=AFTER)
    links = legacy_predecessors(vinh_phu, level=Level.COMMUNE)
    assert [(lk.unit.code, lk.unit.full_name) for lk in links] == [
        ("09148", "Xã Ngũ Kiên"), ("09151", "Xã An Nhân"), ("09154", "Xã Vĩnh Thịnh"), ("09157", "Xã Vĩnh Phú"),
    ]
    assert all(lk.unit.valid_to == LEGACY_VALID_TO and not lk.partial for lk in links)


def test_reused_code_names_two_units(units):
    legacy, current = resolve("09154", on=BEFORE), resolve("09154", on=AFTER)
    assert legacy.pk != current.pk
    assert (legacy.full_name, legacy.province.code) == ("Xã Vĩnh Thịnh", "26")
    assert (current.full_name, current.province.code) == ("Xã Vĩnh Phú", "25")
    assert resolve("09154", on=REFORM_DATE) == current and resolve("09154", on=BEFORE) == legacy
    assert current_successors(legacy)[0].unit == current


def test_provinces_merged_into_phu_tho(units):
    phu_tho = resolve("25")
    assert [(lk.unit.code, lk.event) for lk in legacy_predecessors(phu_tho)] == [
        ("17", "merge"), ("25", "merge"), ("26", "merge"),
    ]
    for code in ("17", "26"):
        [link] = current_successors(resolve(code, on=BEFORE))
        assert link.unit == phu_tho and "202/2025/QH15" in link.source
    [ha_noi] = current_successors(resolve("01", on=BEFORE))
    assert ha_noi.unit == resolve("01") and ha_noi.event == "continue"
    # Every legacy province has exactly one successor (no province was split).
    assert all(len(current_successors(p)) == 1 for p in AdministrativeUnit.objects.legacy().provinces())


def test_partly_merged_commune_has_partial_edges(units):
    # Legacy 00016 (Hà Nội) was split between new 00004 and 00008 (is_partly_merged).
    links = current_successors(resolve("00016", on=BEFORE))
    assert [lk.unit.code for lk in links] == ["00004", "00008"]
    assert all(lk.partial for lk in links)
    assert UnitLineage.objects.filter(partial=True).count() == 1105


def test_island_district_became_a_special_zone(units):
    con_dao = resolve("26732")
    assert con_dao.unit_type == "dac_khu"
    [link] = legacy_predecessors(con_dao)
    assert (link.unit.level, link.unit.code, link.unit.full_name) == (Level.DISTRICT, "755", "Huyện Côn Đảo")
    assert "vietnamadminunits" in link.source


def test_phu_tho_has_148_communes(units):
    assert communes_of(resolve("25")).count() == 148
    assert communes_of(resolve("26", on=BEFORE), on=BEFORE).count() == units.legacy().communes().filter(
        province__code="26").count() > 100


def test_crosswalk(units):
    walk = crosswalk_to_current()
    assert walk[resolve("09148", on=BEFORE).pk] == [(resolve("09154").pk, False)]
    assert len(walk) == 10033


def test_every_unit_has_a_centroid_in_vietnam(units):
    assert not units.filter(centroid_lat__isnull=True).exists()
    # Mainland and islands, Hoàng Sa and Trường Sa included.
    assert not units.exclude(centroid_lat__range=(6, 24), centroid_lon__range=(102, 118)).exists()
    # Official areas for all current communes but the two the data lacks (Quảng Trị).
    assert set(units.current().communes().filter(area_km2__isnull=True).values_list("code", flat=True)) == {
        "19147", "19159"}
    assert resolve("25").area_km2 == pytest.approx(9369.2, abs=1)


def test_resolve_errors(units):
    assert resolve(9154, level="commune") == resolve("09154")
    for bad in ("0915", "abcde", 9154, "123456"):
        with pytest.raises(RuleViolation) as caught:
            resolve(bad)
        assert caught.value.rule == "unit.code_format"
    with pytest.raises(AdministrativeUnit.DoesNotExist, match="không có|Không có"):
        resolve("99999")


def test_shipped_boundaries_import(units, reference):
    report = import_shipped_boundaries()
    assert len(report.updated) == 148 and not report.repaired
    official = dict(units.current().communes().filter(province__code="25").values_list("code", "area_km2"))
    for unit in communes_of(resolve("25")):
        geom = geometry.parse_polygonal(json.loads(unit.boundary))
        assert geometry.contains_point(geom, unit.centroid_lat, unit.centroid_lon), unit.code
        assert "thanglequoc" in unit.boundary_source
        assert unit.area_km2 == pytest.approx(official[unit.code], rel=0.07), unit.code
    # The polygon's centre survives a reload of the package list.
    vinh_phu = resolve("09154")
    assert not load_units(reference=reference).changed
    assert resolve("09154").centroid_lat == vinh_phu.centroid_lat != 21.1776


def test_load_command_output(loaded, units):
    out = io.StringIO()
    call_command("load_units", "--show-skipped", stdout=out)
    text = out.getvalue()
    assert "Đơn vị hành chính: tạo 0" in text and "Units: created 0, updated 0, unchanged 14147" in text
    assert "26935 Phường 14: không có trong bảng chuyển đổi 2025" in text
    short = "\n".join(loaded.lines(list_skipped=False))
    assert "Skipped 28 package records (--show-skipped)" in short and "26935" not in short
