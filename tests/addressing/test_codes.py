"""The address-code scheme: grid, serial, check character (hypothesis), reading leniency."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from langso.addressing import codes
from langso.lib.errors import RuleViolation

lat_st = st.floats(min_value=codes.LAT_MIN, max_value=codes.LAT_MAX, exclude_max=True, allow_nan=False)
lon_st = st.floats(min_value=codes.LON_MIN, max_value=codes.LON_MAX, exclude_max=True, allow_nan=False)
serial_st = st.integers(min_value=1, max_value=codes.MAX_SERIAL)


@st.composite
def code_st(draw) -> str:
    return codes.make_code(codes.cell_of(draw(lat_st), draw(lon_st)), draw(serial_st))


def test_damm_table_is_a_totally_anti_symmetric_quasigroup() -> None:
    table = codes.DAMM_TABLE
    for x in range(32):
        assert sorted(table[x]) == list(range(32))  # each row a permutation
        assert sorted(table[y][x] for y in range(32)) == list(range(32))  # each column too
    for c, x, y in itertools.product(range(32), repeat=3):
        if x != y:
            assert table[table[c][x]][y] != table[table[c][y]][x]
    for x, y in itertools.product(range(32), repeat=2):
        if x != y:
            assert table[x][y] != table[y][x]


@settings(max_examples=300)
@given(code_st(), st.data())
def test_every_single_substitution_is_caught(code: str, data) -> None:
    assert codes.is_check_valid(code)
    position = data.draw(st.integers(0, len(code) - 1))
    replacement = data.draw(st.sampled_from([ch for ch in codes.ALPHABET if ch != code[position]]))
    mutated = code[:position] + replacement + code[position + 1:]
    assert not codes.is_check_valid(mutated)


@settings(max_examples=300)
@given(code_st(), st.data())
def test_every_adjacent_transposition_is_caught(code: str, data) -> None:
    position = data.draw(st.integers(0, len(code) - 2))
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    if swapped != code:
        assert not codes.is_check_valid(swapped)


def test_all_substitutions_and_transpositions_of_one_code_exhaustively() -> None:
    code = codes.make_code(codes.cell_of(21.30092, 105.59043), 4)
    for i, ch in itertools.product(range(len(code)), codes.ALPHABET):
        if ch != code[i]:
            assert not codes.is_check_valid(code[:i] + ch + code[i + 1:])
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            assert not codes.is_check_valid(code[:i] + code[i + 1] + code[i] + code[i + 2:])


@given(lat_st, lon_st, serial_st)
def test_cell_contains_its_point_and_serial_round_trips(lat: float, lon: float, serial: int) -> None:
    code = codes.make_code(codes.cell_of(lat, lon), serial)
    assert len(code) == codes.CODE_CHARS
    assert set(code) <= set(codes.ALPHABET)
    bounds = codes.cell_bounds(code)
    assert bounds.south - 1e-9 <= lat <= bounds.north + 1e-9 and bounds.west - 1e-9 <= lon <= bounds.east + 1e-9
    assert codes.serial_of(code) == serial
    assert codes.distance_to_cell_m(code, lat, lon) < 0.01
    assert codes.normalise(codes.display(code).lower()) == code


def test_cells_are_about_60_by_50_metres_and_neighbours_share_a_prefix() -> None:
    bounds = codes.cell_bounds(codes.cell_of(21.3, 105.6))
    assert 60 < (bounds.north - bounds.south) * 111_195 < 62
    assert 49 < (bounds.east - bounds.west) * 111_195 * 0.9317 < 52
    assert codes.cell_of(21.3, 105.6)[:4] == codes.cell_of(21.3006, 105.6005)[:4]
    assert codes.distance_to_cell_m(codes.make_code(codes.cell_of(21.3, 105.6), 1), 21.31, 105.6) == pytest.approx(
        1100, rel=0.06)


def test_reading_is_lenient_with_case_separators_and_look_alikes() -> None:
    code = codes.make_code(codes.cell_of(21.30092, 105.59043), 4)  # BF1PPP004P
    assert code == "BF1PPP004P"
    assert codes.normalise("bf1 ppp 004p") == code
    assert codes.normalise("BFI-PPP-OO4P") == code  # I→1, O→0
    assert codes.normalise("bfl.ppp.004p") == code  # L→1


@pytest.mark.parametrize("text,rule", [
    ("BF1-PPP-004", "address_code.format"), ("BF1-PPP-004PX", "address_code.format"),
    ("BF1-PPP-U04P", "address_code.format"), ("BF1-PPP-004Q", "address_code.check"),
    ("FB1-PPP-004P", "address_code.check"), ("", "address_code.format"),
])
def test_bad_codes_are_refused_with_a_rule(text: str, rule: str) -> None:
    with pytest.raises(RuleViolation) as info:
        codes.normalise(text)
    assert info.value.rule == rule
    assert info.value.vi and info.value.en


def test_points_outside_the_national_grid_and_bad_serials_are_refused() -> None:
    for lat, lon in [(48.85, 2.35), (5.9, 105.0), (21.0, 118.0)]:
        with pytest.raises(RuleViolation, match="outside"):
            codes.cell_of(lat, lon)
    codes.cell_of(8.6, 111.9)  # Trường Sa
    codes.cell_of(16.5, 112.0)  # Hoàng Sa
    for serial in (0, codes.MAX_SERIAL + 1):
        with pytest.raises(RuleViolation):
            codes.make_code("000000", serial)
