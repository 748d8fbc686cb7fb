"""Who reaches which page: login redirects, home redirects, 404 for outsiders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import make_household

pytestmark = pytest.mark.django_db


def page_urls(territory, household) -> list[str]:
    return [
        reverse("web:province", args=["25"]),
        reverse("web:province-geojson", args=["25"]),
        reverse("web:commune", args=[territory["a"].code]),
        reverse("web:households", args=[territory["a"].code]),
        reverse("web:household", args=[territory["a"].code, household.pk]),
    ]


def test_anonymous_is_sent_to_login(client, territory):
    household = make_household(territory["a"])
    for url in [reverse("web:home"), *page_urls(territory, household)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


@pytest.mark.parametrize(
    ("who", "expected"),
    [("reader", "/p/25/"), ("editor", "/c/09154/"), ("outsider", "/c/00004/")],
)
def test_home_redirects_to_the_users_unit(client, users, who, expected):
    client.force_login(users[who])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == expected


def test_home_of_superuser_is_phu_tho(client, territory, superuser):
    client.force_login(superuser)
    assert client.get("/")["Location"] == "/p/25/"


def test_home_of_user_without_role_explains(client, territory, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="pw-nobody-123"))
    response = client.get("/")
    assert response.status_code == 200
    assert "chưa được phân quyền" in response.content.decode()


def test_editor_reads_commune_pages_but_not_the_province(client, users, territory):
    household = make_household(territory["a"])
    client.force_login(users["editor"])
    province_dashboard, geojson, *commune_pages = page_urls(territory, household)
    for url in commune_pages:
        assert client.get(url).status_code == 200, url
    assert client.get(province_dashboard).status_code == 404
    assert client.get(geojson).status_code == 404


def test_reader_reads_everything_of_the_province(client, users, territory):
    household = make_household(territory["a"])
    client.force_login(users["reader"])
    for url in page_urls(territory, household):
        assert client.get(url).status_code == 200, url
    # ... and the other commune of the province too.
    assert client.get(reverse("web:commune", args=[territory["c"].code])).status_code == 200


def test_outsider_gets_404_everywhere(client, users, territory):
    household = make_household(territory["a"])
    client.force_login(users["outsider"])
    for url in page_urls(territory, household):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("web:province", args=["01"])).status_code == 404


def test_household_of_another_commune_is_404_under_this_commune(client, users, territory):
    elsewhere = make_household(territory["c"], head="Trần Thị B")
    client.force_login(users["editor"])
    assert client.get(reverse("web:household", args=[territory["a"].code, elsewhere.pk])).status_code == 404
    # The reader may read C, but only under C's own address.
    client.force_login(users["reader"])
    assert client.get(reverse("web:household", args=[territory["a"].code, elsewhere.pk])).status_code == 404
    assert client.get(reverse("web:household", args=[territory["c"].code, elsewhere.pk])).status_code == 200


def test_unknown_units_are_404(client, users):
    client.force_login(users["reader"])
    assert client.get("/p/99/").status_code == 404
    assert client.get("/c/99999/").status_code == 404
    assert client.get("/c/09154/households/999999/").status_code == 404
