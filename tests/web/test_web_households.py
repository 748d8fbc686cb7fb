"""The household list (search, paging, htmx) and the household page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from langso.registry.models import BusinessHousehold, Household, Resident
from langso.territory.models import Village

from .conftest import make_household, make_resident

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return [row["head"] for row in response.context["rows"]]


@pytest.fixture
def register(territory):
    a, va = territory["a"], territory["va"]
    dong = Village.objects.create(commune=a, name="Đông Hải", village_type="xom", search_name="dong hai")
    households = {
        "a": make_household(a, "Nguyễn Văn A", village=va, head_cccd="025080000123",
                            members=(("Trần Thị Thu Hương", "spouse"),)),
        "b": make_household(a, "Nguyễn Thị Bình", village=dong),
        "c": make_household(a, "Lê Đức Cường", village=dong),
    }
    make_household(territory["c"], "Nguyễn Văn A")  # same name in another commune
    return {"households": households, "dong": dong}


def search(client, code: str = "09154", **params):
    return client.get(reverse("web:households", args=[code]), params)


def test_search_ignores_accents_and_case(client, users, register):
    client.force_login(users["editor"])
    assert listed(search(client, q="nguyen van a")) == ["Nguyễn Văn A"]
    assert listed(search(client, q="NGUYỄN VĂN A")) == ["Nguyễn Văn A"]
    assert listed(search(client, q="  Nguyen   van  A ")) == ["Nguyễn Văn A"]
    assert listed(search(client, q="duc cuong")) == ["Lê Đức Cường"]
    assert sorted(listed(search(client, q="nguyen"))) == ["Nguyễn Thị Bình", "Nguyễn Văn A"]
    # Words in any order.
    assert listed(search(client, q="binh nguyen")) == ["Nguyễn Thị Bình"]
    assert listed(search(client, q="khong co ai")) == []


def test_search_finds_households_by_member_name(client, users, register):
    client.force_login(users["editor"])
    assert listed(search(client, q="thu huong")) == ["Nguyễn Văn A"]


def test_search_finds_households_by_village_name(client, users, register):
    client.force_login(users["editor"])
    assert sorted(listed(search(client, q="dong hai"))) == ["Lê Đức Cường", "Nguyễn Thị Bình"]
    assert listed(search(client, q="ngu kien")) == ["Nguyễn Văn A"]


def test_village_filter(client, users, register):
    client.force_login(users["editor"])
    response = search(client, village=register["dong"].pk)
    assert sorted(listed(response)) == ["Lê Đức Cường", "Nguyễn Thị Bình"]
    assert sorted(listed(search(client, village=register["dong"].pk, q="binh"))) == ["Nguyễn Thị Bình"]
    # A village of another commune is ignored, not an error.
    other = Village.objects.get(name="Tổ 1")
    assert len(listed(search(client, village=other.pk))) == 3
    assert len(listed(search(client, village="x"))) == 3


def test_editor_searches_cccd_by_prefix_reader_only_whole_numbers(client, users, register):
    client.force_login(users["editor"])
    assert listed(search(client, q="025080000123")) == ["Nguyễn Văn A"]
    assert listed(search(client, q="0250")) == ["Nguyễn Văn A"]
    assert listed(search(client, q="025")) == []  # too short to be a prefix
    client.force_login(users["reader"])
    assert listed(search(client, q="025080000123")) == ["Nguyễn Văn A"]
    assert listed(search(client, q="0250800")) == []


def test_list_is_scoped_to_the_commune_and_active_households(client, users, register, territory):
    make_household(territory["a"], "Hộ Đã Giải Thể", dissolved_on=dt.date(2025, 1, 1))
    client.force_login(users["reader"])
    heads = listed(search(client))
    assert sorted(heads) == ["Lê Đức Cường", "Nguyễn Thị Bình", "Nguyễn Văn A"]
    c_heads = listed(search(client, code="09157"))
    assert c_heads == ["Nguyễn Văn A"]


def test_list_rows_show_head_village_and_member_count(client, users, register):
    client.force_login(users["editor"])
    response = search(client, q="nguyen van a")
    row = response.context["rows"][0]
    assert row["members"] == 2
    html = response.content.decode()
    assert "Thôn Ngũ Kiên" in html
    assert f'href="/c/09154/households/{register["households"]["a"].pk}/"' in html
    assert "Tìm thấy 1 hộ" in html


def test_paging_of_a_large_commune(client, users, territory, django_assert_max_num_queries):
    a = territory["a"]
    households = Household.objects.bulk_create(
        [Household(commune=a, head_search_name=f"ho {i:04d}", address=f"Số {i}") for i in range(120)]
    )
    Resident.objects.bulk_create(
        [
            Resident(household=h, commune=a, full_name=f"Hộ {i:04d}", search_name=f"ho {i:04d}",
                     date_of_birth=dt.date(1970, 1, 1), sex="M", relation_to_head="head")
            for i, h in enumerate(households)
        ]
    )
    client.force_login(users["editor"])
    first = search(client)
    assert first.context["page"].paginator.count == 120
    assert first.context["page"].paginator.num_pages == 3
    assert listed(first)[:2] == ["Hộ 0000", "Hộ 0001"]
    assert "Trang 1 / 3" in first.content.decode()
    assert "120 hộ" in first.content.decode()
    # Queries do not depend on the page size: session, user, scope, commune, villages, count, page, heads, members.
    with django_assert_max_num_queries(12):
        second = search(client, page=2)
    assert listed(second)[0] == "Hộ 0050"
    assert len(listed(second)) == 50
    last = search(client, page=99)
    assert len(listed(last)) == 20
    assert listed(search(client, page="abc"))[0] == "Hộ 0000"
    # Paging keeps the search.
    html = search(client, q="ho 00").content.decode()
    assert "q=ho%2000&amp;page=2" in html


def test_thousand_separators_in_counts(client, users, territory):
    a = territory["a"]
    Household.objects.bulk_create([Household(commune=a, head_search_name="x") for _ in range(1234)])
    client.force_login(users["editor"])
    assert "1.234 hộ" in search(client).content.decode()


def test_htmx_request_gets_only_the_results(client, users, register):
    client.force_login(users["editor"])
    response = client.get(reverse("web:households", args=["09154"]), {"q": "binh"}, headers={"hx-request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Nguyễn Thị Bình" in html
    assert "HX-Request" in response["Vary"]
    full = search(client, q="binh").content.decode()
    assert "<html" in full and 'hx-get="/c/09154/households/"' in full
    assert re.search(r'<script src="/static/django-htmx/htmx(\.min)?\.js', full) or "htmx" in full


def test_household_page_for_editor_shows_full_identifiers(client, users, register):
    household = register["households"]["a"]
    Resident.objects.filter(household=household, relation_to_head="head").update(phone="0912345678")
    client.force_login(users["editor"])
    html = client.get(reverse("web:household", args=["09154", household.pk])).content.decode()
    assert "025080000123" in html
    assert "0912345678" in html
    assert "05/03/1980" in html  # dd/mm/yyyy
    assert "24/12/2010" in html
    assert "Chủ hộ" in html and "Vợ/Chồng" in html
    assert "Nam" in html and "Nữ" in html
    assert "Thôn Ngũ Kiên" in html


def test_household_page_for_reader_masks_identifiers(client, users, register):
    household = register["households"]["a"]
    Resident.objects.filter(household=household, relation_to_head="head").update(phone="0912345678")
    client.force_login(users["reader"])
    html = client.get(reverse("web:household", args=["09154", household.pk])).content.decode()
    assert "025080000123" not in html
    assert "•••••••••123" in html
    assert "0912345678" not in html
    assert "•••••••678" in html
    assert "che một phần" in html


def test_household_page_location_members_and_businesses(client, users, territory):
    a = territory["a"]
    household = make_household(a, "Vũ Văn Phúc", latitude=21.2345678, longitude=105.5432101,
                               address="Số 5, đường Ngũ Kiên", registered_on=dt.date(2020, 7, 1))
    owner = household.members.get()
    make_resident(household, "Vũ Thị Lan", "child", moved_out_on=dt.date(2024, 9, 1))
    BusinessHousehold.objects.create(
        commune=a, household=household, owner=owner, registration_number="25A8001234",
        trade_name="Tạp hóa Phúc Lan", sector="retail", registered_on=dt.date(2021, 2, 3),
    )
    client.force_login(users["editor"])
    html = client.get(reverse("web:household", args=[a.code, household.pk])).content.decode()
    assert "Số 5, đường Ngũ Kiên" in html
    assert "21.234568, 105.543210" in html
    assert 'id="household-location"' in html
    assert "Tạp hóa Phúc Lan" in html and "Bán lẻ, tạp hóa" in html
    assert "chuyển đi 01/09/2024" in html
    assert "01/07/2020" in html
    assert "chưa cấp" in html  # no digital address code


def test_household_page_in_english(client, users, register):
    household = register["households"]["a"]
    client.force_login(users["editor"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("web:household", args=["09154", household.pk])).content.decode()
    assert "Members" in html and "Head" in html and "Spouse" in html
    assert "5 Mar 1980" in html


def test_search_matches_word_beginnings_and_ranks_heads_first(client, users, territory):
    a = territory["a"]
    make_household(a, "Nguyễn Văn An")
    make_household(a, "Nguyễn Văn A")
    make_household(a, "Trần Văn Hải", members=(("Nguyễn Vân Anh", "spouse"),))
    make_household(a, "Nguyễn Tuấn")  # "tuan" contains "an" but no word begins with it
    client.force_login(users["editor"])
    assert listed(search(client, q="nguyen van a")) == ["Nguyễn Văn A", "Nguyễn Văn An", "Trần Văn Hải"]
    assert listed(search(client, q="an")) == ["Nguyễn Văn An", "Trần Văn Hải"]


def test_search_ranks_heads_with_the_words_in_typed_order_first(client, users, territory):
    a = territory["a"]
    make_household(a, "Nguyễn Bích Vân")
    make_household(a, "Nguyễn Văn Út")
    make_household(a, "Lê Nguyễn Văn")
    client.force_login(users["editor"])
    assert listed(search(client, q="nguyen van")) == ["Lê Nguyễn Văn", "Nguyễn Văn Út", "Nguyễn Bích Vân"]
