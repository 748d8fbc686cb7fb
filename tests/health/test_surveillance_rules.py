"""The outbreak rules at their boundaries (pure functions, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from langso.health.surveillance import CasePoint, above_baseline, dengue_foci, focus_area, haversine_m, offset_point

D0 = dt.date(2026, 10, 1)
LAT, LON = 21.30, 105.40


def at(metres_east: float, days: int, pk: int) -> CasePoint:
    lat, lon = offset_point(LAT, LON, 0, metres_east)
    return CasePoint(pk, D0 + dt.timedelta(days=days), lat, lon)


def test_haversine_matches_known_distance() -> None:
    # one degree of latitude ≈ 111.195 km on the mean sphere
    assert haversine_m(21.0, 105.0, 22.0, 105.0) == pytest.approx(111_195, rel=1e-4)
    lat, lon = offset_point(LAT, LON, 0, 200)
    assert haversine_m(LAT, LON, lat, lon) == pytest.approx(200, abs=0.05)


@pytest.mark.parametrize(("metres", "expected"), [(199, 1), (200, 1), (201, 0)])
def test_dengue_focus_radius_boundary(metres: float, expected: int) -> None:
    foci = dengue_foci([at(0, 0, 1), at(metres, 3, 2)], D0 + dt.timedelta(days=5))
    assert len(foci) == expected


@pytest.mark.parametrize(("days", "expected"), [(14, 1), (15, 0)])
def test_dengue_focus_window_boundary(days: int, expected: int) -> None:
    """Onsets exactly 14 days apart link; one day outside the window does not."""
    foci = dengue_foci([at(0, 0, 1), at(50, days, 2)], D0 + dt.timedelta(days=days))
    assert len(foci) == expected


def test_focus_needs_two_cases_and_chains_by_single_linkage() -> None:
    assert dengue_foci([at(0, 0, 1)], D0) == []
    foci = dengue_foci([at(0, 0, 1), at(150, 2, 2), at(300, 4, 3)], D0 + dt.timedelta(days=4))
    assert len(foci) == 1 and len(foci[0].cases) == 3  # 1–3 are 300 m apart but linked through 2


@pytest.mark.parametrize(("after", "closed"), [(13, False), (14, True)])
def test_focus_closes_14_days_after_last_case(after: int, closed: bool) -> None:
    cases = [at(0, 0, 1), at(100, 5, 2)]
    focus = dengue_foci(cases, D0 + dt.timedelta(days=5 + after))[0]
    assert (focus.closed_on is not None) is closed
    if closed:
        assert focus.closed_on == D0 + dt.timedelta(days=19)


def test_cases_after_the_evaluation_date_are_ignored() -> None:
    assert dengue_foci([at(0, 0, 1), at(10, 3, 2)], D0 + dt.timedelta(days=2)) == []


def test_focus_area_is_a_200_m_buffer() -> None:
    from shapely.geometry import shape

    focus = dengue_foci([at(0, 0, 1), at(100, 1, 2)], D0 + dt.timedelta(days=1))[0]
    geo = shape(focus_area(focus))
    # east-west extent ≈ 200 + 100 + 200 m
    width_m = haversine_m(LAT, geo.bounds[0], LAT, geo.bounds[2])
    assert width_m == pytest.approx(500, abs=2)


@pytest.mark.parametrize(("count", "previous", "expected"), [
    (4, [3, 4, 5], False),  # exactly at the mean (4): not above
    (5, [3, 4, 5], True),
    (2, [1, 2, 2], True),  # 2 > 5/3
    (1, [], True),  # no history: any case exceeds a mean of 0
    (0, [], False),
])
def test_monthly_rule_strictly_above_the_three_year_mean(count: int, previous: list[int], expected: bool) -> None:
    assert above_baseline(count, previous, 3) is expected
