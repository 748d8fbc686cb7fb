"""The commune page and province dashboard link to every work area; health workers see theirs."""

from django.urls import reverse

from langso.accounts.models import Membership, Role


def test_commune_page_links_every_work_area(client, users):
    client.force_login(users["reader"])
    html = client.get(reverse("web:commune", args=["09154"])).content.decode()
    for name in ("addressing:commune", "maps:commune-map", "maps:places", "payments:commune-qr", "documents:list",
                 "participation:hub", "criteria:commune", "economy:hub"):
        url = reverse(name, args=["09154"])
        assert f'href="{url}"' in html, name
        assert client.get(url).status_code == 200, name  # the reader the page shows them to may open them


def test_province_dashboard_links_its_work_areas(client, users):
    client.force_login(users["reader"])
    html = client.get(reverse("web:province", args=["25"])).content.decode()
    for name in ("criteria:province", "maps:province-map", "participation:province"):
        assert f'href="{reverse(name, args=["25"])}"' in html, name


def test_health_worker_navigation_leads_to_the_health_station(client, territory, django_user_model):
    nurse = django_user_model.objects.create_user("nurse", password="x")
    Membership.objects.create(user=nurse, unit=territory["a"], role=Role.HEALTH_WORKER)
    client.force_login(nurse)
    html = client.get(reverse("health:home", args=["09154"])).content.decode()
    assert f'href="{reverse("health:home", args=["09154"])}"' in html
    assert "Trạm y tế" in html


def test_health_worker_home_is_the_health_station(client, territory, django_user_model):
    nurse = django_user_model.objects.create_user("nurse2", password="x")
    Membership.objects.create(user=nurse, unit=territory["a"], role=Role.HEALTH_WORKER)
    client.force_login(nurse)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("health:home", args=["09154"])


def test_outsider_404_is_a_styled_vietnamese_page(client, users):
    client.force_login(users["outsider"])
    response = client.get(reverse("web:commune", args=["09154"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and "Vĩnh Phú" not in html


def test_login_page_links_the_public_pages(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("maps:public-map", args=["tourism"])}"' in html
    assert f'href="{reverse("documents:verify")}"' in html
