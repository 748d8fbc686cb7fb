import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from langso.lib.errors import RuleViolation
from langso.registry.identifiers import decode_cccd, make_cccd, rules, validate_cccd


def test_rules_file_has_the_63_province_codes():
    assert len(rules().provinces) == 63
    assert rules().provinces["026"] == "Vĩnh Phúc"
    assert "Thông tư 07/2016/TT-BCA" in rules().source


def test_decode_reads_sex_century_and_year():
    decoded = decode_cccd("026 303 012345")  # spaces as typed on forms
    assert (decoded.number, decoded.sex, decoded.birth_year) == ("026303012345", "F", 2003)


@pytest.mark.parametrize(
    ("value", "rule"),
    [("02630301234", "cccd.length"), ("0263030123456", "cccd.length"), ("02630301234X", "cccd.digits"),
     ("099303012345", "cccd.province"), ("", "cccd.digits")],
)
def test_structural_errors(value, rule):
    with pytest.raises(RuleViolation) as err:
        decode_cccd(value)
    assert err.value.rule == rule


def test_error_message_is_vietnamese_first_then_english():
    with pytest.raises(RuleViolation) as err:
        validate_cccd("026303012345", date_of_birth=dt.date(2003, 1, 1), sex="M")
    assert str(err.value).startswith("cccd: Số CCCD mã hóa giới tính nữ")
    assert "female" in err.value.en


provinces = st.sampled_from(sorted(rules().provinces))


@given(provinces, st.sampled_from(["M", "F"]), st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
       st.integers(0, 999_999))
def test_made_numbers_validate_against_their_holder(province, sex, born, serial):
    number = make_cccd(province, sex, born.year, serial)
    assert validate_cccd(number, date_of_birth=born, sex=sex) == number


@given(provinces, st.sampled_from(["M", "F"]), st.integers(1900, 2099), st.integers(0, 999_999))
def test_other_birth_year_is_rejected(province, sex, year, serial):
    number = make_cccd(province, sex, year, serial)
    other = dt.date(year + 1 if year < 2099 else year - 1, 1, 1)
    with pytest.raises(RuleViolation):
        validate_cccd(number, date_of_birth=other, sex=sex)
