"""The economy's read-only API (/api/cooperatives/ … /api/lots/) and its scoped admin.

API: anonymous callers are refused (401/403), every list holds only the caller's communes, a row
of another commune answers 404 like a missing one, ``?commune=`` filters, and the shapes (GeoJSON
geometry, OCOP flags, the lot's GS1 Digital Link URI) are those docs/economy.md describes.
Admin: changelists render for a commune officer and a province officer, scoped; outsiders are
told a row does not exist; readers only view; every add and change runs an economy action (its
audit entry is the proof), a broken rule shows on its field and writes nothing; nobody deletes.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from api.formdata import form_data
from django.test import Client
from django.utils import timezone

from langso.audit.models import AuditEntry
from langso.economy import actions, rules
from langso.economy.models import (
    Cooperative, CooperativeMember, LinkageModel, Listing, Lot, Producer, Product, RawMaterialArea, Store, TraceEvent,
)
from langso.economy.trace import lot_uri
from langso.registry.models import Household

from .conftest import FIELD, GTIN

LISTS = ["cooperatives", "producers", "raw-material-areas", "linkage-models", "products", "stores", "listings", "lots"]
MODELS = {"cooperative": Cooperative, "producer": Producer, "rawmaterialarea": RawMaterialArea,
          "linkagemodel": LinkageModel, "product": Product, "store": Store, "listing": Listing, "lot": Lot,
          "traceevent": TraceEvent}
# Commune A's rows (the economy fixture) by API list.
DETAIL_KEYS = {"cooperatives": "coop", "producers": "lead", "raw-material-areas": "area", "linkage-models": "linkage",
               "products": "product", "stores": "store", "listings": "listing", "lots": "lot"}
# Strings of commune A that nobody outside it may receive.
SECRETS_A = ["HTX Thanh long Vĩnh Phú", "Nông sản Ngũ Kiên", "Thanh long ruột đỏ", "OCOP-25-0001",
             "https://postmart.vn/gian-hang/thanh-long-vinh-phu", "L2611-01", "Siêu thị nông sản Việt Trì"]


def client_for(user=None, *, staff: bool = False) -> Client:
    client = Client()
    if user is not None:
        if staff and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        client.force_login(user)
    return client


def _leaked(body: str) -> list[str]:
    return [s for s in SECRETS_A if s in body or json.dumps(s)[1:-1] in body]


def _small_economy(actor, commune, tag: str) -> dict:
    """One row of every register in ``commune`` (no boundary: any polygon fits)."""
    households = Household.objects.bulk_create([Household(commune=commune, address=f"{tag} {i}") for i in range(2)])
    coop = actions.create_cooperative(actor, commune, kind="group", name=f"Tổ hợp tác {tag}",
                                      registered_on=dt.date(2024, 1, 1), sector="crops",
                                      member_household_ids=[h.pk for h in households])
    lead = actions.create_producer(actor, commune, kind="cooperative", trade_name=f"Tổ {tag}", cooperative=coop,
                                   registered_on=dt.date(2024, 1, 1))
    area = actions.create_raw_material_area(actor, commune, name=f"Vùng {tag}", crop="Chè", geometry=FIELD,
                                            created_on=dt.date(2024, 1, 1))
    product = actions.create_product(actor, lead, name=f"Chè {tag}", group="beverage", created_on=dt.date(2024, 1, 1))
    linkage = actions.create_linkage(actor, commune, name=f"Liên kết {tag}", lead=lead, product=product,
                                     contract_signed_on=dt.date(2024, 1, 1))
    store = actions.open_store(actor, lead, platform="voso", name=f"Chè {tag}",
                               url=f"https://voso.vn/shop/che-{tag.lower()}", opened_on=dt.date(2024, 1, 1))
    listing = actions.list_product(actor, store, product, price_vnd=50000, listed_on=dt.date(2024, 1, 1))
    lot = actions.create_lot(actor, product, code=f"{tag}-1", produced_on=dt.date(2026, 1, 1), quantity=10, unit="kg")
    return {"coop": coop, "lead": lead, "area": area, "product": product, "linkage": linkage, "store": store,
            "listing": listing, "lot": lot}


@pytest.fixture
def others(economy, territory, users):
    """Rows in commune B (the outsider's, another province) and C (A's province, not the editor's)."""
    return {"b": _small_economy(users["outsider"], territory["b"], "B"),
            "c": _small_economy(None, territory["c"], "C")}


# --- API: access ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", LISTS)
def test_api_anonymous_is_refused(economy, name):
    for url in [f"/api/{name}/", f"/api/{name}/{economy[DETAIL_KEYS[name]].pk}/"]:
        response = client_for().get(url)
        assert response.status_code in (401, 403), url  # 403: session authentication comes first
        assert not _leaked(response.content.decode())


@pytest.mark.parametrize(
    ("who", "communes"),
    [("editor", {"09154"}), ("reader", {"09154", "09157"}), ("outsider", {"00004"})],
)
@pytest.mark.parametrize("name", LISTS)
def test_api_lists_hold_only_communes_in_scope(others, users, who, communes, name):
    response = client_for(users[who]).get(f"/api/{name}/")
    assert response.status_code == 200
    assert {row["commune"] for row in response.json()["results"]} == communes
    if who == "outsider":
        assert not _leaked(response.content.decode())


def test_api_user_without_membership_sees_empty_lists(economy, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="pw-nobody-123")
    for name in LISTS:
        assert client_for(nobody).get(f"/api/{name}/").json() == {"count": 0, "next": None, "previous": None,
                                                                  "results": []}


@pytest.mark.parametrize("name", LISTS)
def test_api_outsider_gets_404_like_a_missing_row(others, economy, users, name):
    outsider = client_for(users["outsider"])
    response = outsider.get(f"/api/{name}/{economy[DETAIL_KEYS[name]].pk}/")
    assert response.status_code == 404
    assert response.json() == outsider.get(f"/api/{name}/999999/").json()
    assert not _leaked(response.content.decode())
    assert outsider.get(f"/api/{name}/{others['b'][DETAIL_KEYS[name]].pk}/").status_code == 200
    # The editor does not see commune C (same province); the province officer does.
    row_c = others["c"][DETAIL_KEYS[name]].pk
    assert client_for(users["editor"]).get(f"/api/{name}/{row_c}/").status_code == 404
    assert client_for(users["reader"]).get(f"/api/{name}/{row_c}/").status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_api_filters_by_commune_code(others, users, name):
    reader, editor = client_for(users["reader"]), client_for(users["editor"])
    assert {r["commune"] for r in reader.get(f"/api/{name}/?commune=09157").json()["results"]} == {"09157"}
    assert editor.get(f"/api/{name}/?commune=09157").json()["count"] == 0  # not the editor's: nothing, no error
    assert editor.get(f"/api/{name}/?commune=00004").json()["count"] == 0


def test_api_is_read_only(economy, users):
    editor = client_for(users["editor"])
    for name in LISTS:
        assert editor.post(f"/api/{name}/", {}, content_type="application/json").status_code == 405
        detail = f"/api/{name}/{economy[DETAIL_KEYS[name]].pk}/"
        assert editor.delete(detail).status_code == 405
        assert editor.patch(detail, {}, content_type="application/json").status_code == 405


@pytest.mark.parametrize("name", LISTS)
def test_api_lists_take_a_fixed_number_of_queries(others, users, name, django_assert_max_num_queries):
    reader = client_for(users["reader"])
    reader.get(f"/api/{name}/")  # session and scope lookups out of the way
    with django_assert_max_num_queries(9):
        assert reader.get(f"/api/{name}/").status_code == 200


# --- API: shapes ----------------------------------------------------------------------------

def test_api_cooperative_and_linkage_counts(economy, users):
    editor = client_for(users["editor"])
    coop = editor.get(f"/api/cooperatives/{economy['coop'].pk}/").json()
    assert coop["member_count"] == 6 and coop["kind"] == "cooperative" and coop["registration_number"] == "HTX-01"
    linkage = editor.get(f"/api/linkage-models/{economy['linkage'].pk}/").json()
    assert linkage["household_count"] == 8 and linkage["is_key_product"] is True
    assert linkage["volume_tonnes_per_year"] == 120.0 and linkage["lead_name"] == "HTX Thanh long Vĩnh Phú"
    assert linkage["raw_material_area_id"] == economy["area"].pk
    assert linkage["active"] is (dt.date(2024, 1, 1) <= timezone.localdate() < dt.date(2027, 12, 31))


def test_api_area_geometry_is_geojson(economy, users):
    area = client_for(users["reader"]).get(f"/api/raw-material-areas/{economy['area'].pk}/").json()
    assert area["geometry"]["type"] == "Polygon" and area["geometry"]["coordinates"][0][0] == [105.6, 21.3]
    assert isinstance(area["area_ha"], float) and 20 < area["area_ha"] < 25  # ~520 m × 440 m
    assert area["technologies"] == ["farming_diary"] and area["applies_digital_technology"] is True
    assert area["growing_area_code"] == "VN-PTHO-0001"
    digital = client_for(users["reader"]).get("/api/raw-material-areas/?digital=true").json()
    assert [a["id"] for a in digital["results"]] == [economy["area"].pk]


def test_api_product_ocop_certificate_and_expiring_flag(economy, users):
    editor = client_for(users["editor"])
    today = timezone.localdate()
    row = editor.get(f"/api/products/{economy['product'].pk}/").json()
    assert (row["ocop_score"], row["ocop_stars"], row["ocop_certificate_number"]) == (72, 4, "OCOP-25-0001")
    assert row["ocop_certified_on"] == "2025-01-10" and row["ocop_expires_on"] == "2028-01-09"
    assert row["ocop_valid"] is (dt.date(2025, 1, 10) <= today <= dt.date(2028, 1, 9))
    assert row["gtin"] == "0" + GTIN and row["producer_trade_name"] == "HTX Thanh long Vĩnh Phú"

    # A certificate that ends in 30 days is flagged (within ``expiring_soon_days`` = 90).
    ending = actions.create_product(users["editor"], economy["lead"], name="Mật ong", group="food",
                                    created_on=dt.date(2020, 1, 1))
    certified_on = rules.add_months(today + dt.timedelta(days=31), -rules.ocop()["certificate_valid_months"])
    actions.certify_ocop(users["editor"], ending, score=91, certificate_number="OCOP-X", certified_on=certified_on)
    row = editor.get(f"/api/products/{ending.pk}/").json()
    assert row["ocop_stars"] == 5 and row["ocop_valid"] is True and row["ocop_expiring_soon"] is True
    assert row["ocop_expires_on"] == rules.certificate_expiry(certified_on).isoformat()
    assert [p["id"] for p in editor.get("/api/products/?expiring=true").json()["results"]] == [ending.pk]
    assert {p["id"] for p in editor.get("/api/products/?ocop=true&stars=5").json()["results"]} == {ending.pk}


def test_api_stores_and_listings(economy, users):
    editor = client_for(users["editor"])
    store = editor.get(f"/api/stores/{economy['store'].pk}/").json()
    assert store["platform"] == "postmart" and store["open_listing_count"] == 1 and store["closed_on"] is None
    listing = editor.get(f"/api/listings/{economy['listing'].pk}/").json()
    assert listing["price_vnd"] == 35000 and listing["product_id"] == economy["product"].pk
    actions.close_store(users["editor"], economy["store"], dt.date(2026, 11, 1))
    assert editor.get("/api/listings/?open=true").json()["count"] == 0
    assert editor.get("/api/stores/?open=false").json()["results"][0]["open_listing_count"] == 0


def test_api_lot_has_its_digital_link_uri_and_events(economy, users, settings):
    settings.LANGSO_PUBLIC_URL = "https://langso.example.vn"
    lot = client_for(users["reader"]).get(f"/api/lots/{economy['lot'].pk}/").json()
    assert lot["uri"] == "https://langso.example.vn/01/0" + GTIN + "/10/L2611-01" == lot_uri(economy["lot"])
    assert lot["code"] == "L2611-01" and lot["quantity"] == 1500.0 and lot["unit"] == "kg"
    assert [e["kind"] for e in lot["events"]] == ["received", "produced", "shipped"]
    assert [e["biz_step"] for e in lot["events"]] == ["receiving", "commissioning", "shipping"]
    listed = client_for(users["reader"]).get(f"/api/lots/?product={economy['product'].pk}").json()
    assert [row["uri"] for row in listed["results"]] == [lot["uri"]]


def test_api_lot_without_gtin_uses_the_platforms_resolver_path(others, users, settings):
    settings.LANGSO_PUBLIC_URL = "https://langso.example.vn"
    lot = others["b"]["lot"]
    row = client_for(users["outsider"]).get(f"/api/lots/{lot.pk}/").json()
    assert row["uri"] == f"https://langso.example.vn/t/{lot.public_id}/" and row["gtin"] == ""


def test_api_schema_lists_the_economy_routes_read_only(db, client):
    text = client.get("/api/schema/").content.decode()
    for name in LISTS:
        assert f"  /api/{name}/:" in text and f"  /api/{name}/{{id}}/:" in text, name
    assert "post:" not in text and "delete:" not in text


# --- admin ----------------------------------------------------------------------------------

def _change_url(obj) -> str:
    return f"/admin/economy/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.mark.parametrize(
    ("who", "communes"),
    [("editor", {"09154"}), ("reader", {"09154", "09157"}), ("outsider", {"00004"})],
)
@pytest.mark.parametrize("model", sorted(MODELS))
def test_admin_changelists_are_scoped(others, users, who, communes, model):
    response = client_for(users[who], staff=True).get(f"/admin/economy/{model}/")
    assert response.status_code == 200
    assert set(response.context["cl"].result_list.values_list("commune__code", flat=True)) == communes
    if who == "outsider":
        assert not _leaked(response.content.decode())


def test_admin_needs_staff(economy, users):
    response = client_for(users["editor"]).get("/admin/economy/product/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_admin_outsider_is_told_rows_of_commune_a_do_not_exist(economy, users):
    outsider = client_for(users["outsider"], staff=True)
    for key in ["coop", "lead", "area", "product", "linkage", "store", "listing", "lot"]:
        obj = economy[key]
        for url in [_change_url(obj), _change_url(obj).replace("/change/", "/history/")]:
            response = outsider.get(url)
            assert (response.status_code, response["Location"]) == (302, "/admin/"), url
            assert not _leaked(response.content.decode())
        assert outsider.get(_change_url(obj).replace("/change/", "/delete/")).status_code == 403
    response = outsider.post(_change_url(economy["product"]), {"ocop_score": "95"})
    assert response.status_code in (302, 403)
    assert Product.objects.get(pk=economy["product"].pk).ocop_score == 72
    search = outsider.get("/admin/economy/product/?q=thanh+long")
    assert not _leaked(search.content.decode())


def test_admin_reader_views_but_changes_and_adds_nothing(economy, users):
    reader = client_for(users["reader"], staff=True)
    page = reader.get(_change_url(economy["product"]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Thanh long ruột đỏ" in body and 'name="_save"' not in body
    for model in MODELS:
        assert reader.get(f"/admin/economy/{model}/add/").status_code == 403, model
    assert reader.post(_change_url(economy["product"]), {"ocop_score": "95"}).status_code == 403
    assert reader.post(_change_url(economy["store"]), {"closed_on": "2026-11-01"}).status_code == 403
    assert Store.objects.get(pk=economy["store"].pk).closed_on is None


def test_admin_nobody_deletes(economy, users, django_user_model):
    django_user_model.objects.create_superuser("root", password="pw-root-123")
    root = django_user_model.objects.get(username="root")
    for user in [users["editor"], users["reader"], root]:
        client = client_for(user, staff=True)
        for key in ["coop", "product", "lot", "store"]:
            url = _change_url(economy[key]).replace("/change/", "/delete/")
            assert client.get(url).status_code == 403
            assert client.post(url, {"post": "yes"}).status_code == 403
        assert "delete_selected" not in client.get("/admin/economy/product/").content.decode()
    assert Product.objects.filter(pk=economy["product"].pk).exists()


def test_admin_editor_adds_a_producer_through_the_action(economy, users, households):
    editor = client_for(users["editor"], staff=True)
    data = form_data(editor.get("/admin/economy/producer/add/").content.decode())
    data.update({"commune": str(economy["lead"].commune_id), "kind": "household", "trade_name": "  Mật ong   Ba Vì ",
                 "household": str(households[8].pk), "registered_on": "2026-11-01", "declares_ecommerce": "on"})
    response = editor.post("/admin/economy/producer/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    producer = Producer.objects.get(trade_name="Mật ong Ba Vì")  # NFC and spaces: the action ran
    assert producer.search_name == "mat ong ba vi" and producer.declares_ecommerce
    entry = AuditEntry.objects.get(action="economy.producer.create", target_id=str(producer.pk))
    assert entry.actor == users["editor"] and entry.unit == economy["lead"].commune


def test_admin_broken_rule_shows_on_its_field_and_writes_nothing(economy, users):
    editor = client_for(users["editor"], staff=True)
    data = form_data(editor.get("/admin/economy/product/add/").content.decode())
    data.update({"producer": str(economy["lead"].pk), "name": "Bưởi", "group": "food", "gtin": "8938501001017",
                 "created_on": "2026-11-01"})
    entries = AuditEntry.objects.count()
    response = editor.post("/admin/economy/product/add/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "gtin" in errors and "GTIN" in str(errors["gtin"])
    assert not Product.objects.filter(name="Bưởi").exists() and AuditEntry.objects.count() == entries

    data["gtin"] = "8938501001023"
    assert editor.post("/admin/economy/product/add/", data).status_code == 302
    product = Product.objects.get(name="Bưởi")
    assert product.gtin == "08938501001023" and product.commune == economy["lead"].commune
    assert AuditEntry.objects.filter(action="economy.product.create", target_id=str(product.pk)).count() == 1


def test_admin_ocop_certification_goes_through_the_action(economy, users):
    editor = client_for(users["editor"], staff=True)
    product = economy["product"]
    data = form_data(editor.get(_change_url(product)).content.decode())
    assert "name" not in data and "ocop_stars" not in data  # only the OCOP fields of the action are editable
    data.update({"ocop_score": "40", "_save": "Save"})
    response = editor.post(_change_url(product), data)
    assert response.status_code == 200
    assert "ocop_score" in response.context["adminform"].form.errors  # under 50: not certified
    assert Product.objects.get(pk=product.pk).ocop_stars == 4

    data.update({"ocop_score": "93", "ocop_certificate_number": "OCOP-26-0007", "ocop_certified_on": "2026-11-20"})
    assert editor.post(_change_url(product), data).status_code == 302
    product.refresh_from_db()
    assert (product.ocop_score, product.ocop_stars) == (93, 5)
    assert product.ocop_expires_on == dt.date(2029, 11, 19)  # 36 months less a day: computed by the action
    entry = AuditEntry.objects.filter(action="economy.product.ocop", target_id=str(product.pk)).latest("id")
    assert entry.data["stars"] == 5 and entry.actor == users["editor"]


def test_admin_cooperative_with_members_and_status(economy, users, households, territory):
    editor = client_for(users["editor"], staff=True)
    a = economy["coop"].commune
    base = {"commune": str(a.pk), "kind": "cooperative", "name": "HTX Rau sạch", "registration_number": "htx-02",
            "registered_on": "2026-01-05", "sector": "crops"}
    response = editor.post("/admin/economy/cooperative/add/", {**base, "members": [str(h.pk) for h in households[:3]]})
    assert response.status_code == 200 and "members" in response.context["adminform"].form.errors  # ≥ 5 members
    outside = Household.objects.create(commune=territory["b"], address="Phố Bê")
    response = editor.post("/admin/economy/cooperative/add/",
                           {**base, "members": [str(h.pk) for h in households[:5]] + [str(outside.pk)]})
    assert response.status_code == 200 and "members" in response.context["adminform"].form.errors  # not in choices
    response = editor.post("/admin/economy/cooperative/add/", {**base, "members": [str(h.pk) for h in households[:5]]})
    assert response.status_code == 302
    coop = Cooperative.objects.get(name="HTX Rau sạch")
    assert coop.registration_number == "HTX-02"
    assert set(CooperativeMember.objects.filter(cooperative=coop).values_list("commune_id", flat=True)) == {a.pk}
    assert coop.memberships.count() == 5
    assert AuditEntry.objects.get(action="economy.cooperative.create", target_id=str(coop.pk)).data["members"] == 5

    data = form_data(editor.get(_change_url(coop)).content.decode())
    data.update({"status": "dissolved", "status_on": "2026-11-15", "_save": "Save"})
    assert editor.post(_change_url(coop), data).status_code == 302
    coop.refresh_from_db()
    assert (coop.status, coop.dissolved_on) == ("dissolved", dt.date(2026, 11, 15))
    assert AuditEntry.objects.filter(action="economy.cooperative.status", target_id=str(coop.pk)).exists()


def test_admin_foreign_key_choices_are_the_editors_open_rows(others, economy, users):
    editor = client_for(users["editor"], staff=True)
    form = editor.get("/admin/economy/product/add/").context["adminform"].form
    assert set(form.fields["producer"].queryset) == {economy["lead"], economy["farm"]}
    linkage_form = editor.get("/admin/economy/linkagemodel/add/").context["adminform"].form
    assert set(linkage_form.fields["lead"].queryset) == {economy["lead"]}  # cooperatives and enterprises only
    assert list(linkage_form.fields["commune"].queryset) == [economy["lead"].commune]
    data = {"producer": str(others["b"]["lead"].pk), "name": "Chè lậu", "group": "food", "created_on": "2026-01-01"}
    response = editor.post("/admin/economy/product/add/", data)
    assert response.status_code == 200 and "producer" in response.context["adminform"].form.errors
    assert not Product.objects.filter(name="Chè lậu").exists()


def test_admin_linkage_households_are_set_by_the_action(economy, users, households):
    editor = client_for(users["editor"], staff=True)
    data = {"commune": str(economy["lead"].commune_id), "name": "Liên kết rau", "lead": str(economy["lead"].pk),
            "households": [str(h.pk) for h in households[:3]], "contract_signed_on": "2026-02-01",
            "contract_ends_on": "2026-01-01", "volume_tonnes_per_year": "12.5"}
    response = editor.post("/admin/economy/linkagemodel/add/", data)
    assert response.status_code == 200 and "contract_ends_on" in response.context["adminform"].form.errors
    data["contract_ends_on"] = "2028-01-31"
    assert editor.post("/admin/economy/linkagemodel/add/", data).status_code == 302
    linkage = LinkageModel.objects.get(name="Liên kết rau")
    assert set(linkage.households.all()) == set(households[:3])
    assert AuditEntry.objects.get(action="economy.linkage.create", target_id=str(linkage.pk)).data == {"households": 3}
    page = editor.get(_change_url(linkage))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # no change action: view only


def test_admin_area_is_drawn_once_then_only_its_technologies_change(economy, users):
    editor = client_for(users["editor"], staff=True)
    data = {"commune": str(economy["area"].commune_id), "name": "Vùng bưởi", "crop": "Bưởi",
            "geometry": json.dumps({"type": "Polygon", "coordinates": [[[100, 10], [100.01, 10], [100.01, 10.01],
                                                                       [100, 10]]]}),
            "created_on": "2026-01-01"}
    response = editor.post("/admin/economy/rawmaterialarea/add/", data)
    assert response.status_code == 200 and "geometry" in response.context["adminform"].form.errors  # outside A
    data["geometry"] = json.dumps(FIELD)
    assert editor.post("/admin/economy/rawmaterialarea/add/", data).status_code == 302
    area = RawMaterialArea.objects.get(name="Vùng bưởi")
    assert area.area_ha == economy["area"].area_ha  # computed by the action from the polygon

    page = form_data(editor.get(_change_url(area)).content.decode())
    assert "geometry" not in page and "name" not in page
    page.update({"uses_sensors": "on", "_save": "Save"})
    assert editor.post(_change_url(area), page).status_code == 302
    area.refresh_from_db()
    assert area.uses_sensors and not area.uses_traceability
    assert AuditEntry.objects.filter(action="economy.area.technologies", target_id=str(area.pk)).exists()


def test_admin_closing_a_store_withdraws_its_listings(economy, users):
    editor = client_for(users["editor"], staff=True)
    store = economy["store"]
    data = form_data(editor.get(_change_url(store)).content.decode())
    data.update({"closed_on": "2026-11-20", "_save": "Save"})
    assert editor.post(_change_url(store), data).status_code == 302
    assert Store.objects.get(pk=store.pk).closed_on == dt.date(2026, 11, 20)
    assert Listing.objects.get(pk=economy["listing"].pk).withdrawn_on == dt.date(2026, 11, 20)
    assert AuditEntry.objects.filter(action="economy.store.close", target_id=str(store.pk)).exists()
    page = editor.get(_change_url(store))  # closed for good: view only
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_admin_listing_is_added_and_withdrawn_through_the_actions(economy, users):
    editor = client_for(users["editor"], staff=True)
    data = {"store": str(economy["store"].pk), "product": str(economy["product"].pk), "price_vnd": "40000",
            "listed_on": "2026-11-01"}
    response = editor.post("/admin/economy/listing/add/", data)
    assert response.status_code == 200 and "product" in response.context["adminform"].form.errors  # already listed
    listing = economy["listing"]
    page = form_data(editor.get(_change_url(listing)).content.decode())
    page.update({"withdrawn_on": "2026-11-02", "_save": "Save"})
    assert editor.post(_change_url(listing), page).status_code == 302
    assert Listing.objects.get(pk=listing.pk).withdrawn_on == dt.date(2026, 11, 2)
    assert editor.post("/admin/economy/listing/add/", data).status_code == 302
    assert AuditEntry.objects.filter(action="economy.listing.create").count() == 2


def test_admin_lot_and_events_go_through_the_actions(economy, users, settings):
    settings.LANGSO_PUBLIC_URL = "https://langso.example.vn"
    editor = client_for(users["editor"], staff=True)
    data = {"product": str(economy["product"].pk), "code": "L2611-02", "produced_on": "2026-11-20",
            "quantity": "200", "unit": "kg", "raw_material_area": str(economy["area"].pk)}
    assert editor.post("/admin/economy/lot/add/", data).status_code == 302
    lot = Lot.objects.get(code="L2611-02")
    assert list(lot.events.values_list("kind", flat=True)) == ["produced"]  # the action's own event
    page = editor.get(_change_url(lot)).content.decode()
    assert "https://langso.example.vn/01/0" + GTIN + "/10/L2611-02" in page and 'name="_save"' not in page

    form = editor.get("/admin/economy/traceevent/add/").context["adminform"].form
    assert [c for c, _ in form.fields["kind"].choices if c] == ["received", "shipped"]
    event = {"lot": str(lot.pk), "kind": "shipped", "occurred_on": "2026-11-21", "party": "Chợ Việt Trì",
             "quantity": "250"}
    response = editor.post("/admin/economy/traceevent/add/", event)
    assert response.status_code == 200 and "quantity" in response.context["adminform"].form.errors  # > 200 kg
    event["quantity"] = "150"
    assert editor.post("/admin/economy/traceevent/add/", event).status_code == 302
    assert list(lot.events.order_by("id").values_list("kind", flat=True)) == ["produced", "shipped"]
    assert AuditEntry.objects.filter(action="economy.lot.event").count() == 3  # 2 by the fixture, 1 here


def test_admin_outsider_cannot_add_into_commune_a(economy, users):
    outsider = client_for(users["outsider"], staff=True)
    data = {"product": str(economy["product"].pk), "code": "X-1", "produced_on": "2026-11-20", "quantity": "1",
            "unit": "kg"}
    response = outsider.post("/admin/economy/lot/add/", data)
    assert response.status_code == 200 and "product" in response.context["adminform"].form.errors
    assert not Lot.objects.filter(code="X-1").exists()
    assert not _leaked(response.content.decode())


@pytest.mark.parametrize("query", [
    "producers/?village=99999999999999999999999", "products/?producer=9223372036854775808",
    "products/?producer=4.5", "lots/?product=-1", "listings/?store=abc",
    "products/?ocop=maybe", "raw-material-areas/?digital=abc", "stores/?open=perhaps",
])
def test_api_filters_refuse_bad_values_with_400(economy, users, query):
    response = client_for(users["editor"]).get(f"/api/{query}")
    assert response.status_code == 400, (query, response.status_code)
    assert response.json()  # names the filter


def test_api_filters_accept_good_values(economy, users):
    client = client_for(users["editor"])
    product = economy["product"]
    assert [p["id"] for p in client.get(f"/api/products/?producer={product.producer_id}").json()["results"]] \
        == [product.pk]
    assert client.get("/api/products/?ocop=true").status_code == 200
    assert client.get("/api/products/?ocop=").status_code == 200  # empty: no filter
    assert client.get("/api/households/?village=99999999999999999999999").status_code == 400
