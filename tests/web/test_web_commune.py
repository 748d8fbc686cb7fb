"""The commune page: counts, villages, indicators against targets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from langso.territory.models import Village

from .conftest import make_household

pytestmark = pytest.mark.django_db


def test_commune_page_counts_and_villages(client, users, territory, indicators):
    a, va = territory["a"], territory["va"]
    vb2 = Village.objects.create(commune=a, name="Đông Hải", village_type="thon", search_name="dong hai")
    make_household(a, "Nguyễn Văn A", village=va, members=(("Nguyễn Thị Hoa", "child"),))
    make_household(a, "Lê Văn C", village=va)
    make_household(a, "Phạm Văn D", village=vb2)
    make_household(a, "Đỗ Văn E")  # no village
    make_household(a, "Hoàng Văn G", village=va, dissolved_on=dt.date(2026, 1, 1))  # not counted
    make_household(territory["c"], "Ở xã khác", village=None)  # other commune
    client.force_login(users["editor"])
    response = client.get(reverse("web:commune", args=[a.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["counts"] == {"households": 4, "residents": 6, "businesses": 0}
    # In alphabetical order of the folded names: Đ sorts with D, not after Z.
    assert [(r["village"].name, r["households"]) for r in response.context["villages"]] == [
        ("Đông Hải", 1),
        ("Ngũ Kiên", 2),
    ]
    assert response.context["no_village"] == 1
    assert "Thôn Ngũ Kiên" in html
    assert f'href="/c/{a.code}/households/"' in html
    assert f'/c/{a.code}/households/?village={va.pk}' in html


def test_commune_page_shows_values_against_targets(client, users, territory, indicators):
    client.force_login(users["reader"])
    html = client.get(reverse("web:commune", args=[territory["a"].code])).content.decode()
    assert "Tỷ lệ hộ có mã địa chỉ số" in html
    assert "85,3%" in html
    assert "≥ 80%" in html and "(2026)" in html
    assert ">đạt<" in html
    assert "Kỳ 11/2026" in html


def test_commune_page_marks_unmet_and_unverified_targets(client, users, territory, indicators):
    from langso.indicators.models import Target

    Target.objects.filter(year=2026).update(verified=False)
    client.force_login(users["reader"])
    html = client.get(reverse("web:commune", args=[territory["c"].code])).content.decode()
    assert "40,0%" in html
    assert "chưa đạt" in html
    assert "chưa xác minh" in html
    # C has no value of the count indicator.
    assert "chưa tính" in html


def test_commune_page_links_the_province_for_province_officers_only(client, users, territory):
    client.force_login(users["reader"])
    assert 'href="/p/25/"' in client.get(reverse("web:commune", args=["09154"])).content.decode()
    client.force_login(users["editor"])
    html = client.get(reverse("web:commune", args=["09154"])).content.decode()
    assert 'href="/p/25/"' not in html
    assert "Tỉnh Phú Thọ" in html


def test_commune_page_in_english(client, users, territory, indicators):
    client.force_login(users["reader"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("web:commune", args=["09154"])).content.decode()
    assert '<html lang="en">' in html
    assert "Households with a digital address code" in html
    assert "85.3%" in html
    assert "Indicators and targets" in html
