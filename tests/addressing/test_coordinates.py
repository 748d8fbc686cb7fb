"""Typed coordinates: decimal, decimal comma, DMS, DDM, Vietnamese letters, geo:, Plus Codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from langso.addressing.coordinates import format_dms, parse_coordinates
from langso.lib.errors import RuleViolation


@pytest.mark.parametrize("text,expected", [
    ("21.30092, 105.59043", (21.30092, 105.59043)),
    ("21.30092 105.59043", (21.30092, 105.59043)),
    ("21,30092; 105,59043", (21.30092, 105.59043)),
    ("21,30092, 105,59043", (21.30092, 105.59043)),
    ("21°18'03.3\"N 105°35'25.5\"E", (21.3009167, 105.5904167)),
    ("21° 18′ 03.3″ N, 105° 35′ 25.5″ E", (21.3009167, 105.5904167)),
    ("N 21°18.055' E 105°35.426'", (21.3009167, 105.5904333)),
    ("21 18 3.3 N 105 35 25.5 E", (21.3009167, 105.5904167)),
    ("21°18′03″B 105°35′25″Đ", (21.3008333, 105.5902778)),
    ("21°18′03″ Bắc, 105°35′25″ Đông", (21.3008333, 105.5902778)),
    ("105°35'25\"E 21°18'03\"N", (21.3008333, 105.5902778)),
    ("33°52'S 151°12'E", (-33.8666667, 151.2)),
    ("geo:21.30092,105.59043;u=5", (21.30092, 105.59043)),
    ("7PH78H2R+95", (21.3009375, 105.5904375)),
])
def test_accepted_forms(text: str, expected: tuple[float, float]) -> None:
    lat, lon = parse_coordinates(text)
    assert lat == pytest.approx(expected[0], abs=1e-6) and lon == pytest.approx(expected[1], abs=1e-6)


def test_short_plus_code_needs_a_reference_point() -> None:
    with pytest.raises(RuleViolation, match="short code"):
        parse_coordinates("8H2R+95")
    lat, lon = parse_coordinates("8H2R+95", near=(21.31, 105.58))
    assert (round(lat, 4), round(lon, 4)) == (21.3009, 105.5904)


@pytest.mark.parametrize("text,rule,words", [
    ("", "coordinates.empty", "No coordinates"),
    ("abc", "coordinates.format", "two numbers"),
    ("105.59, 21.3", "coordinates.swapped", "longitude typed first"),
    ("21°78'03\"N 105°35'25\"E", "coordinates.minutes", "below 60"),
    ("21°18'N 22°35'N", "coordinates.format", "two latitudes"),
    ("21.3, 190", "coordinates.range", "−180…180"),
])
def test_errors_name_the_problem_in_both_languages(text: str, rule: str, words: str) -> None:
    with pytest.raises(RuleViolation) as info:
        parse_coordinates(text)
    assert info.value.rule == rule
    assert words in info.value.en
    assert info.value.field == "coordinates" and info.value.vi


@given(st.floats(-89.9, 89.9), st.floats(-179.9, 179.9))
def test_dms_round_trip_within_a_tenth_of_a_second(lat: float, lon: float) -> None:
    back = parse_coordinates(format_dms(lat, lon))
    assert back[0] == pytest.approx(lat, abs=0.05 / 3600) and back[1] == pytest.approx(lon, abs=0.05 / 3600)
