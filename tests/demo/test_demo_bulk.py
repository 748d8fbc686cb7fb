"""Bulk registration (registry/bulk.py): the rules of the per-row actions, all or nothing, one audit entry."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.http import Http404

from langso.audit.models import AuditEntry
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold
from langso.registry import actions, bulk
from langso.registry.identifiers import make_cccd
from langso.registry.models import BusinessHousehold, Household, Resident
from langso.territory.models import Village

TODAY = dt.date(2026, 11, 29)


def batch(commune_id: int, village_id: int | None = None):
    """Two households: a couple with a child (and a shop), and a widow living alone."""
    households = [
        bulk.HouseholdRow(commune_id, village_id, "Thôn Đông", 21.25, 105.52, row=2),
        bulk.HouseholdRow(commune_id, village_id, "Thôn Đông", None, None, row=3),
    ]
    residents = [
        bulk.ResidentRow(0, "Nguyễn Văn Hùng", dt.date(1978, 4, 2), "M", "head", make_cccd("026", "M", 1978, 11),
                         "0912 345 678", True, row=2),
        bulk.ResidentRow(0, "Trần Thị Lan", dt.date(1981, 9, 30), "F", "spouse", make_cccd("026", "F", 1981, 12),
                         has_online_payment_account=True, row=3),
        bulk.ResidentRow(0, "Nguyễn Minh Khang", dt.date(2012, 1, 15), "M", "child", row=4),
        bulk.ResidentRow(1, "Lê Thị Đào", dt.date(1945, 12, 1), "F", "head", make_cccd("025", "F", 1945, 13), row=5,
                         old_id_number="131 234 567"),
    ]
    businesses = [bulk.BusinessRow(1, "hkd-09154-00001", "Tạp hóa Minh Khang", "retail", "Thôn Đông", 21.25, 105.52,
                                   dt.date(2015, 6, 1), row=2)]
    return households, residents, businesses


def test_bulk_writes_every_required_column():
    """A new NOT NULL column the bulk lists do not fill would break imports: fail here instead.
    (A new nullable column is left NULL by the bulk path until it learns to fill it.)"""
    for model, columns in [(Household, bulk.HOUSEHOLD_COLUMNS), (Resident, bulk.RESIDENT_COLUMNS),
                           (BusinessHousehold, bulk.BUSINESS_COLUMNS)]:
        concrete = {f.column: f for f in model._meta.concrete_fields}
        assert set(columns) <= set(concrete), model
        missing = [name for name, f in concrete.items() if name not in columns and not f.null]
        assert not missing, (model, missing)


def test_register_population_keeps_the_action_invariants(demo_units):
    commune = demo_units["vinh_phu"]
    village = Village.objects.create(commune=commune, name="Đông", village_type="thon", search_name="dong")
    result = bulk.register_population(None, *batch(commune.pk, village.pk), today=TODAY, source="test.xlsx")

    assert Household.objects.count() == 2 and Resident.objects.count() == 4 and BusinessHousehold.objects.count() == 1
    assert list(result.households) == list(Household.objects.values_list("pk", flat=True))
    first, second = Household.objects.order_by("pk")
    assert first.head_search_name == "nguyen van hung" and second.head_search_name == "le thi dao"
    assert (first.latitude, first.longitude, first.village_id) == (21.25, 105.52, village.pk)
    assert second.latitude is None and second.registered_on == TODAY
    for resident in Resident.objects.all():
        assert resident.commune_id == commune.pk
        assert resident.search_name == fold(resident.full_name)
    assert Resident.objects.get(full_name="Nguyễn Văn Hùng").phone == "0912345678"
    assert dict(Resident.objects.values_list("full_name", "old_id_number")) == {
        "Nguyễn Văn Hùng": None, "Trần Thị Lan": None, "Nguyễn Minh Khang": None, "Lê Thị Đào": "131234567"}
    shop = BusinessHousehold.objects.get()
    assert shop.owner.full_name == "Trần Thị Lan" and shop.household_id == first.pk
    assert shop.commune_id == commune.pk and shop.registration_number == "HKD-09154-00001"
    assert shop.search_name == "tap hoa minh khang"

    entry = AuditEntry.objects.get()  # one entry for the batch, not one per row
    assert entry.action == "registry.bulk_register" and entry.unit_id == commune.pk
    assert entry.data["households"] == 2 and entry.data["residents"] == 4 and entry.data["businesses"] == 1
    assert entry.data["communes"] == {"09154": [2, 4]} and entry.data["source"] == "test.xlsx"


def test_text_is_stored_nfc(demo_units):
    households, residents, businesses = batch(demo_units["vinh_phu"].pk)
    residents[3].full_name = unicodedata.normalize("NFD", "  Lê   Thị Đào ")
    bulk.register_population(None, households, residents, businesses, today=TODAY)
    dao = Resident.objects.get(relation_to_head="head", sex="F")
    assert dao.full_name == unicodedata.normalize("NFC", "Lê Thị Đào") and dao.search_name == "le thi dao"


def test_primary_keys_follow_existing_rows_and_sequences_stay_ahead(demo_units):
    """Rows made by the actions before and after a bulk batch never collide (PostgreSQL sequences)."""
    commune = demo_units["vinh_phu"]
    before = actions.create_household(None, commune)
    result = bulk.register_population(None, *batch(commune.pk), today=TODAY)
    assert result.households.start == before.pk + 1
    after = actions.create_household(None, commune)
    assert after.pk == result.households.stop
    resident = actions.add_resident(None, after, full_name="Phạm Văn Nam", date_of_birth=dt.date(1990, 1, 1),
                                    sex="M", relation_to_head="head", today=TODAY)
    assert resident.pk == result.residents.stop


def _assert_nothing_written() -> None:
    assert Household.objects.count() == 0
    assert Resident.objects.count() == 0
    assert BusinessHousehold.objects.count() == 0
    assert not AuditEntry.objects.filter(action="registry.bulk_register").exists()


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        (lambda h, r, b: setattr(r[1], "cccd", make_cccd("026", "M", 1981, 12)), "resident row 3, field cccd",
         "cccd.sex"),
        (lambda h, r, b: setattr(r[1], "cccd", make_cccd("026", "F", 1982, 12)), "resident row 3, field cccd",
         "cccd.birth_year"),
        (lambda h, r, b: setattr(r[1], "cccd", "02618101234"), "resident row 3, field cccd", "cccd.length"),
        (lambda h, r, b: (setattr(r[2], "date_of_birth", r[0].date_of_birth), setattr(r[2], "cccd", r[0].cccd)),
         "resident row 4, field cccd", "resident.cccd_duplicate"),
        (lambda h, r, b: setattr(r[2], "relation_to_head", "head"), "resident row 4, field relation_to_head",
         "resident.one_head"),
        (lambda h, r, b: setattr(r[3], "relation_to_head", "spouse"), "household row 3, field relation_to_head",
         "household.no_head"),
        (lambda h, r, b: setattr(r[2], "date_of_birth", TODAY + dt.timedelta(days=1)),
         "resident row 4, field date_of_birth", "resident.dob_future"),
        (lambda h, r, b: setattr(r[2], "full_name", "  "), "resident row 4, field full_name", "resident.name"),
        (lambda h, r, b: setattr(r[2], "sex", "X"), "resident row 4, field sex", "resident.sex"),
        (lambda h, r, b: setattr(r[2], "relation_to_head", "cousin"), "resident row 4, field relation_to_head",
         "resident.relation"),
        (lambda h, r, b: setattr(r[0], "phone", "12345"), "resident row 2, field phone", "resident.phone"),
        (lambda h, r, b: setattr(r[3], "old_id_number", "12345678"), "resident row 5, field old_id_number",
         "resident.old_id"),
        (lambda h, r, b: setattr(h[0], "latitude", 121.0), "household row 2, field latitude", "location.range"),
        (lambda h, r, b: setattr(h[0], "longitude", None), "household row 2, field latitude", "location.pair"),
        (lambda h, r, b: setattr(b[0], "sector", "mining"), "business row 2, field sector", "business.sector"),
        (lambda h, r, b: setattr(b[0], "owner", 9), "business row 2, field owner", "business.owner"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(demo_units, change, field, rule):
    households, residents, businesses = batch(demo_units["vinh_phu"].pk)
    change(households, residents, businesses)
    with pytest.raises(RuleViolation) as err:
        bulk.register_population(None, households, residents, businesses, today=TODAY)
    assert err.value.field == field
    assert err.value.rule == rule
    assert err.value.vi.startswith("Dòng ") and err.value.en.startswith("Row ")
    _assert_nothing_written()


def test_cccd_of_a_living_resident_is_refused_and_nothing_is_written(demo_units):
    commune = demo_units["vinh_phu"]
    households, residents, businesses = batch(commune.pk)
    holder = actions.create_household(None, commune)
    actions.add_resident(None, holder, full_name="Đỗ Thị Lan", date_of_birth=dt.date(1981, 2, 2), sex="F",
                         relation_to_head="head", cccd=residents[1].cccd, today=TODAY)
    with pytest.raises(RuleViolation) as err:
        bulk.register_population(None, households, residents, businesses, today=TODAY)
    assert err.value.field == "resident row 3, field cccd" and err.value.rule == "resident.cccd_unique"
    assert Household.objects.count() == 1 and Resident.objects.count() == 1
    assert not AuditEntry.objects.filter(action="registry.bulk_register").exists()


def test_village_of_another_commune_is_refused(demo_units):
    other = Village.objects.create(commune=demo_units["viet_tri"], name="1", village_type="to_dan_pho")
    with pytest.raises(RuleViolation) as err:
        bulk.register_population(None, *batch(demo_units["vinh_phu"].pk, other.pk), today=TODAY)
    assert err.value.field == "household row 2, field village"
    _assert_nothing_written()


def test_registration_number_taken_in_the_commune_is_refused(demo_units):
    commune = demo_units["vinh_phu"]
    bulk.register_population(None, *batch(commune.pk), today=TODAY)
    households, residents, businesses = batch(commune.pk)
    for i, resident in enumerate(residents):
        if resident.cccd:
            resident.cccd = resident.cccd[:-3] + f"{900 + i}"
    with pytest.raises(RuleViolation) as err:
        bulk.register_population(None, households, residents, businesses, today=TODAY)
    assert err.value.rule == "business.unique" and err.value.field == "business row 2, field registration_number"
    assert Household.objects.count() == 2


def test_actor_must_be_allowed_to_write_the_commune(demo_units, django_user_model):
    from langso.accounts.models import Membership, Role

    officer = django_user_model.objects.create_user("officer-a", password="pw-123456789")
    Membership.objects.create(user=officer, unit=demo_units["viet_tri"], role=Role.COMMUNE_OFFICER)
    with pytest.raises(Http404):
        bulk.register_population(officer, *batch(demo_units["vinh_phu"].pk), today=TODAY)
    _assert_nothing_written()
    bulk.register_population(officer, *batch(demo_units["viet_tri"].pk), today=TODAY)
    assert AuditEntry.objects.get(action="registry.bulk_register").actor == officer


def test_only_current_communes_take_records(demo_units):
    with pytest.raises(RuleViolation) as err:
        bulk.register_population(None, *batch(demo_units["province"].pk), today=TODAY)
    assert err.value.rule == "commune.current"
    _assert_nothing_written()


def test_register_villages(demo_units):
    commune = demo_units["vinh_phu"]
    created = bulk.register_villages(None, [bulk.VillageRow(commune.pk, "Đoài", "thon", 21.25, 105.51),
                                            bulk.VillageRow(commune.pk, "3", "xom")])
    assert [str(v) for v in created] == ["Thôn Đoài", "Xóm 3"]
    assert Village.objects.get(name="Đoài").search_name == "doai"
    assert AuditEntry.objects.filter(action="village.bulk_create").count() == 1
    with pytest.raises(RuleViolation) as err:
        bulk.register_villages(None, [bulk.VillageRow(commune.pk, "Nam"), bulk.VillageRow(commune.pk, "Đoài", row=7)])
    assert err.value.field == "village row 7, field name" and err.value.rule == "village.unique"
    assert Village.objects.count() == 2


@pytest.mark.parametrize("name", ["Nguyễn Thị Phương Thảo", "Đặng Đức Đạt", "Lò Văn Xăm", "Quách Ngọc Ánh",
                                  "Hoàng Thùy Dương", "Tạp hóa Minh Anh", "Homestay Bản Lác"])
def test_fold_name_equals_fold(name):
    assert bulk.fold_name(name) == fold(name)
