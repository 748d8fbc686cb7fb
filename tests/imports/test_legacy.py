"""Legacy Vietnamese encodings: TCVN3 (TCVN 5712:1993 VN3) and VNI (vendor) → Unicode NFC."""

import unicodedata

import pytest

from langso.imports import legacy
from langso.lib.errors import RuleViolation

NAMES = ["Nguyễn Văn Đức", "Trần Thị Hường", "Quan hệ với chủ hộ", "Phường Việt Trì", "Thôn Ngũ Kiên",
         "Hoà Bình thuý khoẻ", "Lương Thị Ỷ", "Đặng Quốc Vượng", "Bùi Thị Ngọc Ánh"]


def test_tcvn3_table_is_the_standard_vn3_lower_case_set():
    table = legacy.tables().tcvn3
    assert len(table) == 74  # 60 toned vowels + ă â ê ô ơ ư đ and their 7 capitals
    assert table[0xB8] == "á" and table[0xA8] == "ă" and table[0xAE] == "đ" and table[0xD4] == "ễ"
    # every toned vowel of Vietnamese once
    toned = {ch for ch in table.values() if len(unicodedata.normalize("NFD", ch)) > 1}
    assert len(set(table.values())) == len(table)
    assert "ỵ" in toned and "ự" in toned


@pytest.mark.parametrize("encoding", [legacy.TCVN3, legacy.VNI])
@pytest.mark.parametrize("name", NAMES)
def test_round_trip(encoding, name):
    encoded = legacy.from_unicode(name, encoding)
    assert encoded != name
    assert legacy.to_unicode(encoded, encoding) == name


def test_known_spellings():
    assert legacy.to_unicode("NguyÔn V¨n A", legacy.TCVN3) == "Nguyễn Văn A"
    assert legacy.to_unicode("B¶o Th¾ng", legacy.TCVN3) == "Bảo Thắng"
    assert legacy.to_unicode("Nguyeãn Vaên A", legacy.VNI) == "Nguyễn Văn A"
    assert legacy.to_unicode("NGUYÔN THÞ YÕN", legacy.TCVN3) == "NGUYỄN THỊ YẾN"  # .VnTimeH capitals


@pytest.mark.parametrize("encoding", [legacy.TCVN3, legacy.VNI])
def test_detect_legacy_file(encoding):
    cells = [legacy.from_unicode(n, encoding) for n in NAMES]
    assert legacy.detect(cells) == encoding


def test_detect_unicode_and_nfd():
    assert legacy.detect(NAMES) == legacy.UNICODE
    nfd = [unicodedata.normalize("NFD", n) for n in NAMES]
    assert legacy.detect(nfd) == legacy.UNICODE
    assert legacy.to_unicode(nfd[0], legacy.UNICODE) == NAMES[0]


def test_mixed_file_is_refused_with_a_clear_message():
    cells = NAMES[:5] + [legacy.from_unicode(n, legacy.TCVN3) for n in NAMES[:5]]
    with pytest.raises(RuleViolation) as caught:
        legacy.detect(cells)
    assert caught.value.rule == "import.encoding_mixed"
    assert "Unicode" in caught.value.vi and "Unicode" in caught.value.en
