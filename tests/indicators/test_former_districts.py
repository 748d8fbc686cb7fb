"""History by former district: the engine's values on the districts and provinces in force before
1 July 2025, rebuilt from today's communes' records through the lineage (Decision 924/QĐ-TTg's
district targets, ECO-2)."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from langso.accounts.access import scope_for
from langso.audit.models import AuditEntry
from langso.indicators import queries
from langso.indicators.catalogue import sync_catalogue
from langso.indicators.engine import compute
from langso.indicators.legacy import count_by_origin
from langso.indicators.models import IndicatorValue
from langso.lib.errors import RuleViolation
from langso.registry import actions
from langso.territory.models import LEGACY_VALID_TO, AdministrativeUnit, Level, UnitLineage, UnitType, Village

AS_OF = dt.date(2026, 11, 29)
PERIOD = "202611"
SHARE_YAML = """
indicators:
  - code: TEST-LOCATED-UNITS
    name_vi: Tỷ lệ đơn vị có hộ có tọa độ
    name_en: Units with a located household
    numerator: registry.households_located
    unit: percent
    aggregation: share_of_units
    source: test
"""


def legacy(code, name, level, parent=None, province=None, unit_type=UnitType.COMMUNE):
    unit = AdministrativeUnit.objects.create(
        code=code, name=name, full_name=name, unit_type=unit_type, level=level, parent=parent, province=province,
        valid_from=dt.date(2008, 8, 1), valid_to=LEGACY_VALID_TO,
    )
    if province is None:
        unit.province = unit
        unit.save(update_fields=["province"])
    return unit


def edge(predecessor, successor, partial=False):
    UnitLineage.objects.create(predecessor=predecessor, successor=successor, event="merge", partial=partial,
                               source="test")


@pytest.fixture
def history(territory, tmp_path):
    """Former Vĩnh Phúc (26) with districts Vĩnh Tường (252), Yên Lạc (251), Lập Thạch (253) and Sông Lô
    (254). Current A (09154) = Ngũ Kiên + An Nhân, both of Vĩnh Tường: placed whole. Current C (09157) = Cao
    Phong (Sông Lô) + Tây Sơn (Lập Thạch): split by village. B (province 01) has no lineage at all."""
    a, c = territory["a"], territory["c"]
    vp = legacy("26", "Vĩnh Phúc", Level.PROVINCE, unit_type=UnitType.PROVINCE)
    districts = {code: legacy(code, name, Level.DISTRICT, vp, vp, UnitType.RURAL_DISTRICT)
                 for code, name in [("251", "Yên Lạc"), ("252", "Vĩnh Tường"), ("253", "Lập Thạch"), ("254", "Sông Lô")]}
    ngu_kien = legacy("09148", "Ngũ Kiên", Level.COMMUNE, districts["252"], vp)
    an_nhan = legacy("09151", "An Nhân", Level.COMMUNE, districts["252"], vp)
    cao_phong = legacy("08860", "Cao Phong", Level.COMMUNE, districts["254"], vp)
    tay_son = legacy("08863", "Tây Sơn", Level.COMMUNE, districts["253"], vp)
    legacy("09000", "Yên Lạc", Level.COMMUNE, districts["251"], vp)  # went elsewhere: no current commune here
    for predecessor, successor in [(ngu_kien, a), (an_nhan, a), (cao_phong, c), (tay_son, c), (vp, territory["p25"])]:
        edge(predecessor, successor)
    v_cao = Village.objects.create(commune=c, name="Thôn Cao", village_type="thon")
    v_tay = Village.objects.create(commune=c, name="Thôn Tây", village_type="thon")
    v_none = Village.objects.create(commune=c, name="Thôn Mới", village_type="thon")
    actions.set_village_origin(None, v_cao, cao_phong)
    actions.set_village_origin(None, v_tay, tay_son)

    def household(commune, village=None, located=False):
        coords = {"latitude": 21.3, "longitude": 105.5} if located else {}
        return actions.create_household(None, commune, village=village, registered_on=dt.date(2020, 1, 1), **coords)

    for located in (True, True, False):
        household(a, territory["va"], located)
    household(c, v_cao)  # Sông Lô: 2 households, none located
    household(c, v_cao)
    household(c, v_tay, located=True)  # Lập Thạch: 1 located
    household(c, v_none, located=True)  # unplaced: counts in former Vĩnh Phúc only
    household(territory["b"], territory["vb"])  # no lineage: no former unit
    path = tmp_path / "share.yaml"
    path.write_text(textwrap.dedent(SHARE_YAML), "utf-8")
    sync_catalogue(indicators_path=path, targets_path=_empty_targets(tmp_path))
    return {**territory, "vp": vp, **{f"d{code}": d for code, d in districts.items()}, "cao_phong": cao_phong,
            "tay_son": tay_son, "ngu_kien": ngu_kien, "v_cao": v_cao}


def _empty_targets(tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text("targets: []\n", "utf-8")
    return path


def value(code, unit):
    return IndicatorValue.objects.get(indicator__code=code, unit=unit, period=PERIOD)


def test_counts_are_placed_in_former_districts(history):
    result = compute(as_of=AS_OF)
    assert value("REG-HH", history["d252"]).value == 3  # A whole
    assert value("REG-HH", history["d254"]).value == 2  # C's Thôn Cao
    assert value("REG-HH", history["d253"]).value == 1  # C's Thôn Tây
    # The unplaced household of Thôn Mới counts in the former province, in no district.
    assert value("REG-HH", history["vp"]).value == 7
    assert not IndicatorValue.objects.filter(unit=history["d251"]).exists()  # no current commune on it
    assert result.legacy_values == IndicatorValue.objects.filter(period=PERIOD, unit__valid_to__isnull=False).count()


def test_percentages_sum_numerators_and_denominators(history):
    compute(as_of=AS_OF)
    gps = value("REG-GPS", history["d252"])
    assert (gps.numerator, gps.denominator) == (2, 3)
    assert value("REG-GPS", history["d254"]).value == 0.0
    assert value("REG-GPS", history["d253"]).value == 100.0
    province = value("REG-GPS", history["vp"])
    assert (province.numerator, province.denominator) == (4, 7)  # never an average of the districts' shares


def test_share_of_units_counts_districts_and_communes(history):
    compute(as_of=AS_OF)
    assert [value("TEST-LOCATED-UNITS", history[d]).value for d in ("d252", "d253", "d254")] == [100.0, 100.0, 0.0]
    former = value("TEST-LOCATED-UNITS", history["vp"])
    assert (former.numerator, former.denominator) == (2, 3)  # two of the three districts with data
    # Today's units: each reporting commune counts 1 when it has one; the province is the share of communes.
    assert value("TEST-LOCATED-UNITS", history["a"]).value == 100.0
    assert value("TEST-LOCATED-UNITS", history["c"]).value == 100.0
    current = value("TEST-LOCATED-UNITS", history["p25"])
    assert (current.numerator, current.denominator) == (2, 2)


def test_village_origin_moves_records_between_districts(history):
    compute(as_of=AS_OF)
    assert value("REG-HH", history["d253"]).value == 1
    actions.set_village_origin(None, history["v_cao"], history["tay_son"])
    compute(as_of=AS_OF)
    assert value("REG-HH", history["d253"]).value == 3
    assert value("REG-HH", history["d254"]).value == 0


def test_split_query_is_one_per_model_and_only_for_split_communes(history):
    c = history["c"]
    with CaptureQueriesContext(connection) as captured:
        counts = count_by_origin(["registry.households", "registry.households_located", "registry.residents"],
                                 AS_OF, [c.pk])
    assert len(captured.captured_queries) == 2  # Household, Resident
    assert counts["registry.households"][c.pk] == {history["d254"].pk: 2, history["d253"].pk: 1, None: 1}
    assert "registry.residents" not in counts  # no resident yet
    assert count_by_origin(["registry.households"], AS_OF, []) == {}


def test_village_origin_must_be_a_former_commune_of_the_village(history, users):
    with pytest.raises(RuleViolation) as caught:
        actions.set_village_origin(None, history["v_cao"], history["ngu_kien"])  # formed A, not C
    assert caught.value.field == "legacy_commune"
    assert "không phải là xã cũ" in caught.value.vi
    entries = AuditEntry.objects.filter(action="village.origin")
    assert entries.count() == 2  # the fixture's two, not the refused one
    from django.http import Http404
    with pytest.raises(Http404):
        actions.set_village_origin(users["outsider"], history["v_cao"], history["cao_phong"])


def test_former_units_are_visible_to_the_province_only(history, users):
    compute(as_of=AS_OF)
    former = IndicatorValue.objects.filter(unit__valid_to__isnull=False)
    assert IndicatorValue.objects.visible_to(scope_for(users["reader"])).filter(unit__valid_to__isnull=False).count() \
        == former.count() > 0
    for name in ("editor", "outsider"):
        assert not IndicatorValue.objects.visible_to(scope_for(users[name])).filter(
            unit__valid_to__isnull=False).exists()
    assert scope_for(users["reader"]).legacy_provinces == frozenset({history["vp"].pk})


def test_own_target_replaces_the_national_one(history):
    sync_catalogue()
    vp = history["vp"]
    national = queries.targets_for_year(2025, ["ECO-2"])["ECO-2"]
    own = queries.targets_for_year(2025, ["ECO-2"], unit=vp)["ECO-2"]
    assert (national["value"], national["own"]) == (70, False)
    assert (own["value"], own["own"], own["verified"]) == (80, True, False)
    assert queries.targets_for_year(2025, ["ECO-2"], unit=history["p25"])["ECO-2"]["value"] == 70


def test_target_for_a_unit_not_loaded_is_skipped(db, tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(textwrap.dedent("""
        targets:
          - indicator: ECO-2
            unit: {level: province, code: "26", valid_on: 2025-06-30}
            comparison: ">="
            value: 80
            year: 2025
            source: test
          - indicator: ECO-2
            unit: {level: province, code: "2x6"}
            comparison: ">="
            value: 80
            year: 2025
            source: test
    """), "utf-8")
    with pytest.raises(RuleViolation) as caught:
        sync_catalogue(targets_path=path)
    assert caught.value.field == "targets[1].unit.code"
    path.write_text(path.read_text("utf-8").split("  - indicator: ECO-2\n    unit: {level: province, code: \"2x6\"}")[0],
                    "utf-8")
    assert sync_catalogue(targets_path=path)[1] == 0  # legacy 26 is not loaded here: skipped, not an error


@pytest.mark.parametrize("extra, rule", [
    ("    aggregation: mean\n", "catalogue.aggregation"),
    ("    aggregation: share_of_units\n    denominator: registry.households\n", "catalogue.share_of_units"),
])
def test_bad_aggregation_is_refused(db, tmp_path, extra, rule):
    path = tmp_path / "i.yaml"
    path.write_text(textwrap.dedent(SHARE_YAML).replace("    aggregation: share_of_units\n", "") + extra, "utf-8")
    with pytest.raises(RuleViolation) as caught:
        sync_catalogue(indicators_path=path, targets_path=_empty_targets(tmp_path))
    assert caught.value.rule == rule
    assert caught.value.field == "indicators[0].aggregation"


def test_history_page_and_csv(history, users, client):
    compute(as_of=AS_OF)
    url = "/p/25/criteria/history/"
    client.force_login(users["reader"])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Vĩnh Tường" in text and "Sông Lô" in text and "1/1 xã có số liệu" in text
    assert "0/2 thôn" not in text and "2/3 thôn đã ghi xã cũ" in text  # C: Thôn Mới has no former commune
    csv = client.get(url, {"former": "26", "period": PERIOD, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("period,as_of,former_province_code")
    assert any(line.startswith(f"{PERIOD},2026-11-29,26,Vĩnh Phúc,252,Vĩnh Tường,1,1,REG-HH,") for line in lines)
    # The former province's own row: the total (districts + unplaced), whole numbers without ".0".
    assert any(line.startswith(f"{PERIOD},2026-11-29,26,Vĩnh Phúc,,,2,2,REG-HH,") and line.endswith(",count,7,7,,,")
               for line in lines)
    assert "Kỳ này sau ngày 01/7/2025" in text  # 11/2026: district targets are not judged
    assert client.get(url, {"former": "99"}).status_code == 404
    for name in ("editor", "outsider"):
        client.force_login(users[name])
        assert client.get(url).status_code == 404


def test_criteria_district_target_reads_former_districts(history):
    from langso.criteria.targets import province_progress

    sync_catalogue()
    compute(as_of=AS_OF)
    progress = province_progress(history["p25"], "vi")
    eco2 = next(t for t in progress["targets"] if t["code"] == "ECO-2")["measures"][0]
    assert eco2["per"] == "district"
    # No linkage model anywhere: every district with data counts 0; the share is over all four former districts.
    assert (eco2["total"], eco2["assessed"], eco2["met_count"], eco2["actual"]) == (4, 3, 0, 0.0)
    assert eco2["status"] == "not_met" and eco2["gap"]["districts"] == 3  # 70 % of 4 → 3 districts
    vp = eco2["by_province"][0]
    assert (vp["unit"].code, vp["target"], vp["own_target"]) == ("26", 80.0, True)
    cells = {row["unit"].code: row["cells"][-1] for row in progress["district_rows"]}
    assert cells == {"251": "no_data", "252": "not_met", "253": "not_met", "254": "not_met"}



def test_demo_villages_get_the_nearest_former_commune(history):
    from langso.registry.demo.places import assign_village_origins

    a = history["a"]
    for unit, (lat, lon) in ((history["ngu_kien"], (21.30, 105.50)),
                             (AdministrativeUnit.objects.get(code="09151"), (21.30, 105.60))):
        unit.centroid_lat, unit.centroid_lon = lat, lon
        unit.save(update_fields=["centroid_lat", "centroid_lon"])
    near_an_nhan = Village.objects.create(commune=a, name="Thôn Đông", village_type="thon", centre_lat=21.301,
                                          centre_lon=105.59)
    no_centre = history["va"]
    assert assign_village_origins([a.code]) == 1
    near_an_nhan.refresh_from_db()
    no_centre.refresh_from_db()
    assert near_an_nhan.legacy_commune.code == "09151" and no_centre.legacy_commune is None
    assert assign_village_origins([a.code]) == 0  # idempotent


@pytest.mark.parametrize("text, field, rule", [
    ("", "targets", "catalogue.structure"),
    ("targets:\n  - just text\n", "targets[0]", "catalogue.structure"),
    ("targets:\n  - {indicator: ECO-2, comparison: '>=', value: 70, year: abc, source: t}\n", "targets[0].year",
     "catalogue.type"),
    ("targets:\n  - {indicator: ECO-2, comparison: '>=', value: x, year: 2025, source: t}\n", "targets[0].value",
     "catalogue.type"),
    ("targets:\n  - {indicator: ECO-2, comparison: '>=', value: 70, year: 2025, source: t, unit: {level: tinh, code: '26'}}\n",
     "targets[0].unit.level", "catalogue.target_unit"),
    ("targets:\n  - {indicator: ECO-2, comparison: '>=', value: 70, year: 2025, source: t,"
     " unit: {level: province, code: '26', on: 2025-06-30}}\n", "targets[0].unit", "catalogue.target_unit"),
    ("targets:\n  - {indicator: ECO-2, comparison: '>=', value: 70, year: 2025, source: t}\n"
     "  - {indicator: ECO-2, comparison: '<=', value: 70, year: 2025, source: t}\n", "targets[1]", "catalogue.duplicate"),
    ("targets: [\n", "targets.yaml", "catalogue.yaml"),
])
def test_bad_target_files_name_the_entry_and_write_nothing(db, tmp_path, text, field, rule):
    from langso.indicators.models import Target

    path = tmp_path / "t.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(RuleViolation) as caught:
        sync_catalogue(targets_path=path)
    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert caught.value.vi and caught.value.en
    assert not Target.objects.exists()  # all-or-nothing


def test_duplicate_indicator_code_is_refused(db, tmp_path):
    path = tmp_path / "i.yaml"
    path.write_text(textwrap.dedent(SHARE_YAML) + textwrap.dedent(SHARE_YAML).split("indicators:\n")[1], "utf-8")
    with pytest.raises(RuleViolation) as caught:
        sync_catalogue(indicators_path=path, targets_path=_empty_targets(tmp_path))
    assert (caught.value.field, caught.value.rule) == ("indicators[1].code", "catalogue.duplicate")


def test_a_former_unit_without_province_is_left_out_not_fatal(history):
    orphan = AdministrativeUnit.objects.create(code="09999", name="Mồ Côi", full_name="Xã Mồ Côi", unit_type="xa",
                                               level=Level.COMMUNE, parent=history["d252"], province=None,
                                               valid_from=dt.date(2008, 8, 1), valid_to=LEGACY_VALID_TO)
    edge(orphan, history["a"])
    compute(as_of=AS_OF)  # used to fail on NOT NULL unit_id and write nothing
    assert value("REG-HH", history["d252"]).value == 3


def test_api_tells_former_units_apart(history, users, client):
    compute(as_of=AS_OF)
    client.force_login(users["reader"])
    rows = client.get("/api/indicator-values/", {"indicator": "REG-HH", "unit": "25"}).json()["results"]
    assert sorted((r["level"], r["unit_valid_to"]) for r in rows) == [("province", None)]  # former 25 not loaded here
    former = client.get("/api/indicator-values/", {"indicator": "REG-HH", "former": "true"}).json()["results"]
    assert {r["unit"] for r in former} == {"26", "252", "253", "254"}
    assert all(r["unit_valid_to"] == "2025-06-30" for r in former)
    today = client.get("/api/indicator-values/", {"indicator": "REG-HH", "former": "false"}).json()["results"]
    assert all(r["unit_valid_to"] is None for r in today) and today
    assert client.get("/api/indicator-values/", {"former": "maybe"}).status_code == 400
    village = client.get(f"/api/villages/{history['v_cao'].pk}/").json()
    assert (village["legacy_commune"], village["legacy_commune_id"]) == ("08860", history["cao_phong"].pk)


def test_a_commune_edge_into_another_province_opens_nothing(history, django_user_model):
    from langso.accounts.models import Membership, Role

    edge(history["cao_phong"], history["b"], partial=True)  # part of a former Vĩnh Phúc commune went to Hà Nội
    officer = django_user_model.objects.create_user("hanoi", password="pw-hanoi-123")
    Membership.objects.create(user=officer, unit=history["p01"], role=Role.PROVINCE_OFFICER)
    compute(as_of=AS_OF)
    scope = scope_for(officer)
    assert scope.legacy_provinces == frozenset()
    assert not IndicatorValue.objects.visible_to(scope).filter(unit__valid_to__isnull=False).exists()
