"""Cell values: dates, identifiers (CCCD/CMND), sex, relation, phone."""

import datetime as dt

import pytest

from langso.imports import values
from langso.lib.errors import RuleViolation
from langso.registry.identifiers import make_cccd

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize("raw, expected, approximate", [
    ("05/03/1970", dt.date(1970, 3, 5), False),
    ("5-3-1970", dt.date(1970, 3, 5), False),
    ("05.03.1970", dt.date(1970, 3, 5), False),
    ("1970-03-05", dt.date(1970, 3, 5), False),
    (25632, dt.date(1970, 3, 5), False),           # Excel serial number
    (25632.0, dt.date(1970, 3, 5), False),
    ("25632", dt.date(1970, 3, 5), False),
    (dt.datetime(1970, 3, 5, 0, 0), dt.date(1970, 3, 5), False),
    ("05/03/70", dt.date(1970, 3, 5), False),       # two-digit year above the pivot: 19yy
    ("05/03/26", dt.date(2026, 3, 5), False),       # at the pivot (this year): 20yy
    ("05/03/27", dt.date(1927, 3, 5), False),       # above it: 19yy
    ("1957", dt.date(1957, 1, 1), True),            # year only → 01/01, approximate
    (1957, dt.date(1957, 1, 1), True),
    ("03/1957", dt.date(1957, 3, 1), True),
])
def test_dates(raw, expected, approximate):
    parsed = values.parse_date(raw, TODAY)
    assert parsed.value == expected and parsed.approximate is approximate


@pytest.mark.parametrize("raw", ["31/02/1970", "hôm qua", "", None, 10**7])
def test_bad_dates(raw):
    with pytest.raises(RuleViolation) as caught:
        values.parse_date(raw, TODAY)
    assert caught.value.rule == "import.date"


def test_cccd_with_spaces_and_as_text():
    number = make_cccd("025", "M", 1970, 1)
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert values.parse_identifier(spaced, dt.date(1970, 3, 5), "M").cccd == number


def test_cccd_stored_as_a_number_gets_its_zeros_back_when_it_validates():
    number = make_cccd("001", "F", 1985, 4321)  # Hà Nội: starts with 00
    ident = values.parse_identifier(int(number), dt.date(1985, 6, 1), "F")
    assert ident.cccd == number and ident.restored


def test_cccd_number_that_does_not_validate_after_padding_is_rejected():
    number = make_cccd("001", "F", 1985, 4321)
    with pytest.raises(RuleViolation) as caught:
        values.parse_identifier(int(number), dt.date(1990, 6, 1), "F")  # wrong birth year
    assert caught.value.rule == "import.id_leading_zeros"


def test_cmnd_nine_digits_and_number_with_lost_zero():
    assert values.parse_identifier("012345678", dt.date(1970, 1, 1), "M").cmnd == "012345678"
    ident = values.parse_identifier(12345678, dt.date(1970, 1, 1), "M")
    assert ident.cmnd == "012345678" and ident.restored
    with pytest.raises(RuleViolation):
        values.parse_identifier("12345", dt.date(1970, 1, 1), "M")


@pytest.mark.parametrize("raw, expected", [("Nam", "M"), ("NỮ", "F"), ("nu", "F"), ("m", "M")])
def test_sex(raw, expected):
    assert values.parse_sex(raw) == expected


@pytest.mark.parametrize("raw, expected", [("Chủ hộ", "head"), ("CHU HO", "head"), ("Vợ", "spouse"),
                                           ("Con trai", "child"), ("Cháu nội", "grandchild"),
                                           ("Con dâu", "child_in_law"), ("Mẹ", "parent")])
def test_relation(raw, expected):
    assert values.parse_relation(raw) == expected


def test_phone_number_cell_gets_its_zero_back():
    assert values.parse_phone(912345678) == "0912345678"
    assert values.parse_phone("091 234 5678") == "0912345678"
    with pytest.raises(RuleViolation):
        values.parse_phone("12")


def test_every_relation_label_of_the_export_reads_back():
    from langso.imports.reports import _RELATION
    from langso.imports.values import parse_relation

    for value, label in _RELATION.items():
        assert parse_relation(label) == value, label
