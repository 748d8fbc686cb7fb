import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from langso.lib.vietnamese import fold, nfc


def test_nfc_composes_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị\tHằng ")
    assert nfc(decomposed) == unicodedata.normalize("NFC", "Nguyễn Thị Hằng")
    assert nfc(None) == ""


def test_fold_removes_diacritics_and_d_bar():
    assert fold("Nguyễn Văn A") == "nguyen van a"
    assert fold("ĐẶNG ĐỨC ĐẠT") == "dang duc dat"
    assert fold(unicodedata.normalize("NFD", "Thổ Tang")) == "tho tang"


VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ "


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper()))
def test_fold_of_vietnamese_is_lower_ascii_and_idempotent(text):
    once = fold(text)
    assert once.isascii() and once == once.lower()
    assert fold(once) == once
    assert fold(unicodedata.normalize("NFD", text)) == once
