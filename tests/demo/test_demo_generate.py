"""The demo population (registry/demo.py): realistic, coherent, inside the boundary, reproducible."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np
import pytest
import shapely
from django.db import transaction
from django.db.models import F

from langso.audit.models import AuditEntry
from langso.registry import demo
from langso.registry.identifiers import validate_cccd
from langso.registry.models import BusinessHousehold, Household, Resident
from langso.territory.models import Village

from .conftest import SQUARE_A, SQUARE_W

AS_OF = dt.date(2026, 11, 29)


def age(born: dt.date) -> int:
    return AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))


@pytest.fixture
def population(demo_units):
    """1,800 households over the three communes, in chunks of 500 (four transactions)."""
    units = [demo_units["vinh_phu"], demo_units["viet_tri"], demo_units["mai_chau"]]
    report = demo.generate_population(None, units, 1800, seed=11, chunk_size=500, as_of=AS_OF)
    return report


def test_counts_and_one_audit_entry_per_chunk(population, demo_units):
    assert population.households == Household.objects.count() == 1800
    assert population.residents == Resident.objects.count()
    assert 3.3 < population.residents / population.households < 3.7  # 3.5 persons per household (2019 census)
    assert population.chunks == 4
    assert AuditEntry.objects.filter(action="registry.bulk_register").count() == 4
    assert Household.objects.filter(commune=demo_units["vinh_phu"]).count() == 600


def test_villages_are_named_by_commune_kind(population, demo_units):
    wards = Village.objects.filter(commune=demo_units["viet_tri"])
    rural = Village.objects.filter(commune=demo_units["vinh_phu"])
    mountain = Village.objects.filter(commune=demo_units["mai_chau"])
    assert wards.count() >= 4 and all(v.village_type == "to_dan_pho" for v in wards)
    assert all(v.village_type == "thon" for v in rural)
    assert all(v.village_type == "ban" for v in mountain)
    assert "Tổ dân phố" in str(wards[0])
    assert not Household.objects.filter(village__isnull=True).exists()
    assert not Household.objects.exclude(village__commune=demo_units["vinh_phu"]).filter(
        commune=demo_units["vinh_phu"]).exists()


def test_homes_and_villages_are_inside_the_commune_polygon(population, demo_units):
    for unit, bounds in [(demo_units["vinh_phu"], SQUARE_A), (demo_units["viet_tri"], SQUARE_W)]:
        polygon = shapely.box(*bounds)
        homes = np.array(list(Household.objects.filter(commune=unit, latitude__isnull=False)
                              .values_list("longitude", "latitude")))
        assert len(homes) > 500
        assert shapely.contains_xy(polygon, homes[:, 0], homes[:, 1]).all()
        centres = np.array(list(Village.objects.filter(commune=unit).values_list("centre_lon", "centre_lat")))
        assert shapely.contains_xy(polygon, centres[:, 0], centres[:, 1]).all()
    # no boundary: homes gather around the centroid (within ~15 km)
    lat, lon = zip(*Household.objects.filter(commune=demo_units["mai_chau"], latitude__isnull=False)
                   .values_list("latitude", "longitude"))
    assert abs(np.mean(lat) - 20.66) < 0.1 and abs(np.mean(lon) - 105.08) < 0.1


def test_gps_and_payment_shares_follow_the_commune_profile(population, demo_units):
    vinh_phu = demo_units["vinh_phu"]
    assert not Household.objects.filter(commune=vinh_phu, latitude__isnull=True).exists()  # 100 % (BRIEF §1)
    located = Household.objects.filter(latitude__isnull=False).count() / Household.objects.count()
    assert 0.96 <= located <= 1.0
    adult_born_by = AS_OF.replace(year=AS_OF.year - 15)
    adults = Resident.objects.filter(commune=vinh_phu, date_of_birth__lte=adult_born_by)
    share = adults.filter(has_online_payment_account=True).count() / adults.count()
    assert 0.88 <= share <= 0.95  # "over 91 % of adults" in the reference commune
    mai_chau = Resident.objects.filter(commune=demo_units["mai_chau"], date_of_birth__lte=adult_born_by)
    assert 0.66 <= mai_chau.filter(has_online_payment_account=True).count() / mai_chau.count() <= 0.78
    assert not Resident.objects.filter(date_of_birth__gt=adult_born_by, has_online_payment_account=True).exists()


def test_households_are_coherent(population):
    members = defaultdict(list)
    for row in Resident.objects.values("household_id", "relation_to_head", "sex", "date_of_birth", "full_name"):
        members[row["household_id"]].append(row)
    for household_id, people in members.items():
        heads = [p for p in people if p["relation_to_head"] == "head"]
        assert len(heads) == 1, household_id
        head = heads[0]
        assert age(head["date_of_birth"]) >= 18
        spouses = [p for p in people if p["relation_to_head"] == "spouse"]
        assert len(spouses) <= 1
        for spouse in spouses:
            assert spouse["sex"] != head["sex"]
            assert abs(age(spouse["date_of_birth"]) - age(head["date_of_birth"])) <= 16
            assert age(spouse["date_of_birth"]) >= 18
        mothers = [p for p in heads + spouses if p["sex"] == "F"] or heads
        for child in (p for p in people if p["relation_to_head"] == "child"):
            gap = age(mothers[0]["date_of_birth"]) - age(child["date_of_birth"])
            assert 17 <= gap <= 41, (household_id, gap)
            father = [p for p in heads + spouses if p["sex"] == "M"]
            if father:  # children carry their father's family name
                assert child["full_name"].split()[0] == father[0]["full_name"].split()[0]
        for parent in (p for p in people if p["relation_to_head"] == "parent"):
            assert age(parent["date_of_birth"]) - age(head["date_of_birth"]) >= 17


def test_age_and_sex_structure_is_close_to_the_2019_census(population):
    ages = np.array([age(d) for d in Resident.objects.values_list("date_of_birth", flat=True)])
    assert len(ages) > 5000
    assert abs((ages < 15).mean() - 0.243) < 0.03  # 24.3 % under 15
    assert abs((ages >= 65).mean() - 0.077) < 0.025  # 7.7 % aged 65+
    male = Resident.objects.filter(sex="M").count() / len(ages)
    assert abs(male - 0.498) < 0.025


def test_cccds_are_valid_unique_and_held_from_age_14(population):
    rows = list(Resident.objects.values_list("cccd", "date_of_birth", "sex"))
    numbers = [cccd for cccd, _, _ in rows if cccd]
    assert len(numbers) == len(set(numbers))
    for cccd, born, sex in rows:
        if cccd:
            assert validate_cccd(cccd, date_of_birth=born, sex=sex) == cccd
            assert age(born) >= 13  # born in the year of turning 14 at the latest
    over_14 = [cccd for cccd, born, _ in rows if age(born) >= 14]
    assert sum(1 for c in over_14 if c) / len(over_14) > 0.96
    provinces = Counter(c[:3] for c in numbers)
    assert provinces.most_common(3)[0][1] / len(numbers) > 0.25
    assert {"026", "025", "017"} <= set(provinces)  # Vĩnh Phúc, Phú Thọ, Hòa Bình
    assert sum(provinces[p] for p in ("026", "025", "017")) / len(numbers) > 0.9


def test_names_are_vietnamese_in_vietnamese_order(population):
    names = demo.tables()["names_vi"]
    surnames = set(names["surnames"]) | set(names["surnames_muong_thai"])
    people = list(Resident.objects.values_list("full_name", "sex", "date_of_birth"))
    families = Counter(name.split()[0] for name, _, _ in people)
    assert set(families) <= surnames
    assert 0.25 < families["Nguyễn"] / len(people) < 0.45
    for name, sex, born in people:
        parts = name.split()
        assert len(parts) == 3 and len(set(parts)) == 3
        assert parts[2] in names["given_names"][sex]["older"] or parts[2] in names["given_names"][sex]["younger"]
    older_women = [name for name, sex, born in people if sex == "F" and born.year < 1970]
    assert sum(" Thị " in name for name in older_women) / len(older_women) > 0.5


def test_some_adults_run_businesses(population):
    businesses = list(BusinessHousehold.objects.select_related("owner"))
    assert 0.025 <= len(businesses) / population.households <= 0.055
    numbers = Counter((b.commune_id, b.registration_number) for b in businesses)
    assert max(numbers.values()) == 1
    for business in businesses:
        assert age(business.owner.date_of_birth) >= 18
        assert business.owner.relation_to_head in ("head", "spouse")
        assert business.household_id == business.owner.household_id
        assert business.commune_id == business.owner.commune_id
        assert len(business.trade_name.split()) >= 2 and business.search_name


def test_phones_look_like_vietnamese_mobiles(population):
    phones = [p for p in Resident.objects.exclude(phone="").values_list("phone", flat=True)]
    assert len(phones) > 1000
    prefixes = set(demo.tables()["demo_places"]["phone_prefixes"])
    assert all(len(p) == 10 and p[:3] in prefixes for p in phones)


def _snapshot() -> list[tuple]:
    """Every generated value, keys replaced by positions (PostgreSQL sequences are not rolled back,
    so a second run in the same test database gets other ids for the same rows)."""
    village = dict(Village.objects.values_list("pk", "name"))
    household_at = {pk: i for i, pk in enumerate(Household.objects.order_by("pk").values_list("pk", flat=True))}
    resident_at = {pk: i for i, pk in enumerate(Resident.objects.order_by("pk").values_list("pk", flat=True))}
    households = [(village.get(v), a, lat, lon, reg, head) for v, a, lat, lon, reg, head in Household.objects.order_by(
        "pk").values_list("village_id", "address", "latitude", "longitude", "registered_on", "head_search_name")]
    residents = [(household_at[h], *rest) for h, *rest in Resident.objects.order_by("pk").values_list(
        "household_id", "full_name", "date_of_birth", "sex", "cccd", "relation_to_head", "phone",
        "has_online_payment_account")]
    businesses = [(resident_at[o], *rest) for o, *rest in BusinessHousehold.objects.order_by("pk").values_list(
        "owner_id", "registration_number", "trade_name", "sector", "registered_on")]
    return households + residents + businesses


class Rollback(Exception):
    pass


def _generate_and_snapshot(units: list, seed: int) -> list[tuple]:
    snapshot: list[tuple] = []
    try:
        with transaction.atomic():
            demo.generate_population(None, units, 300, seed=seed, chunk_size=120, as_of=AS_OF)
            snapshot = _snapshot()
            raise Rollback
    except Rollback:
        pass
    assert not Household.objects.exists()
    return snapshot


def test_same_seed_gives_identical_rows(demo_units):
    units = [demo_units["vinh_phu"], demo_units["viet_tri"]]
    first = _generate_and_snapshot(units, seed=5)
    assert len(first) > 1000
    assert _generate_and_snapshot(units, seed=5) == first
    assert _generate_and_snapshot(units, seed=6) != first


def test_generator_is_pure_given_its_plans(demo_units):
    """The drawn rows depend only on the plans, the seed and the date — no database state."""
    plans = demo.plan_communes([demo_units["vinh_phu"]], 100, seed=3)
    for plan in plans:
        plan.village_ids, plan.village_labels = [1, 2], ["Thôn Đông", "Thôn Đoài"]
        plan.village_centres = np.array([[105.51, 21.25], [105.53, 21.27]])
        plan.village_weights = np.array([0.5, 0.5])
    runs = [list(demo.PopulationGenerator(plans, 3, AS_OF).chunks(40)) for _ in range(2)]
    assert runs[0] == runs[1]
    assert len(runs[0]) == 3


def test_refuses_communes_that_already_have_households(population, demo_units):
    with pytest.raises(demo.CommunesNotEmpty) as err:
        demo.generate_population(None, [demo_units["vinh_phu"]], 10, seed=1, as_of=AS_OF)
    assert "09154" in str(err.value) and "fresh database" in str(err.value)
    assert Household.objects.count() == 1800


def test_existing_villages_are_used(demo_units):
    unit = demo_units["vinh_phu"]
    Village.objects.create(commune=unit, name="Ngũ Kiên", village_type="thon", search_name="ngu kien")
    report = demo.generate_population(None, [unit], 50, seed=2, as_of=AS_OF)
    assert report.villages_created == 0
    assert set(Household.objects.values_list("village__name", flat=True)) == {"Ngũ Kiên"}


def test_several_writers_need_postgresql_outside_a_transaction(demo_units):
    with pytest.raises(ValueError, match="several writers"):
        demo.generate_population(None, [demo_units["vinh_phu"]], 50, seed=2, as_of=AS_OF, writers=2)
    assert not Household.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("producer", ["thread", "process"])
def test_concurrent_writers_on_postgresql(demo_units, producer):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL path")
    report = demo.generate_population(None, [demo_units["vinh_phu"], demo_units["viet_tri"]], 500, seed=9,
                                      chunk_size=100, as_of=AS_OF, writers=2, producer=producer)
    assert (report.writers, report.producer, report.chunks, report.households) == (2, producer, 5, 500)
    assert Household.objects.count() == 500 and Resident.objects.count() == report.residents
    assert AuditEntry.objects.filter(action="registry.bulk_register").count() == 5
    # keys were reserved in chunk order: each audit entry's household range follows the previous one
    ranges = sorted(tuple(map(int, e.target_id.split("-")))
                    for e in AuditEntry.objects.filter(action="registry.bulk_register"))
    assert all(b[0] == a[1] + 1 for a, b in zip(ranges, ranges[1:]))
    heads = Counter(Resident.objects.filter(relation_to_head="head").values_list("household_id", flat=True))
    assert len(heads) == 500 and set(heads.values()) == {1}
    assert not Resident.objects.exclude(commune_id=F("household__commune_id")).exists()
