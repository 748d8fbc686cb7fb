"""Location quality: inside the commune valid at the date, near the village; the GPS indicator."""

from __future__ import annotations

import datetime as dt

from addressing.conftest import CENTRE_A, make_household
from langso.addressing import actions, quality
from langso.addressing.models import LocationCheck
from langso.indicators.engine import count_metrics
from langso.registry.actions import update_household


def test_check_flags_points_outside_the_commune_and_far_from_the_village(place_a) -> None:
    a, va = place_a["a"], place_a["va"]
    near = [make_household(a, va, CENTRE_A[0] + d / 1000, CENTRE_A[1]) for d in range(-3, 4)]
    far_inside = make_household(a, va, 21.2405, 105.5395)  # a corner: ~3 km from the centre
    outside = make_household(a, va, 21.30, 105.52)  # ~2.2 km north of the boundary
    summary = actions.check_locations(None, a)
    assert (summary.checked, summary.inside, summary.outside) == (9, 8, 1)
    assert summary.far_from_village == 2
    checks = {c.household_id: c for c in LocationCheck.objects.all()}
    assert all(checks[h.pk].inside_commune and checks[h.pk].near_village for h in near)
    assert checks[far_inside.pk].inside_commune and checks[far_inside.pk].near_village is False
    assert checks[outside.pk].inside_commune is False and 2100 < checks[outside.pk].outside_by_m < 2300
    assert [c.household_id for c in quality.outliers(a)] == [outside.pk, far_inside.pk]


def test_no_boundary_means_unknown_not_a_pass(territory) -> None:
    household = make_household(territory["c"], None, 21.4, 105.7)
    summary = actions.check_locations(None, territory["c"])
    assert summary.unknown == 1
    assert LocationCheck.objects.get(household=household).inside_commune is None


def test_a_date_before_the_unit_existed_uses_its_legacy_predecessors(place_a) -> None:
    from langso.territory.models import AdministrativeUnit, Level, UnitLineage, UnitType

    a = place_a["a"]
    old = AdministrativeUnit.objects.create(
        code="09148", name="Ngũ Kiên", full_name="Xã Ngũ Kiên", unit_type=UnitType.COMMUNE, level=Level.COMMUNE,
        valid_from=dt.date(2000, 1, 1), valid_to=dt.date(2025, 6, 30),
        boundary='{"type":"Polygon","coordinates":[[[105.50,21.24],[105.52,21.24],[105.52,21.26],[105.50,21.26],[105.50,21.24]]]}',
    )
    UnitLineage.objects.create(predecessor=old, successor=a, event="merge", source="test")
    household = make_household(a, None, 21.27, 105.53)  # inside new A, outside old Ngũ Kiên
    quality.check_commune(a, on=dt.date(2024, 1, 1))
    assert LocationCheck.objects.get(household=household).inside_commune is False
    quality.check_commune(a, on=dt.date(2026, 1, 1))
    assert LocationCheck.objects.get(household=household).inside_commune is True


def test_gps_indicator_counts_only_current_checks_inside_the_commune(place_a) -> None:
    a, va = place_a["a"], place_a["va"]
    good = make_household(a, va, 21.26, 105.52)
    moved = make_household(a, va, 21.261, 105.521)
    make_household(a, va, 21.30, 105.52)  # outside
    make_household(a, va)  # no GPS
    actions.check_locations(None, a)
    update_household(None, moved, latitude=21.262, longitude=105.522)  # its check is now stale
    today = dt.date.today()
    counts = count_metrics(["addressing.households_gps_verified", "registry.households"], today)
    assert counts["addressing.households_gps_verified"] == {a.pk: 1}
    assert counts["registry.households"][a.pk] == 4
    assert count_metrics(["addressing.households_gps_verified"], today - dt.timedelta(days=1)) == {
        "addressing.households_gps_verified": {}}
    assert good.pk in set(LocationCheck.objects.values_list("household_id", flat=True))
