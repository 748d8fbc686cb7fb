"""Map layers (scope, suppression below 5, safe zones), metrics and the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from health.factories import case_at

from langso.accounts.access import scope_for
from langso.health import actions
from langso.health.layers import LAYERS, MIN_PUBLIC_COUNT
from langso.health.metrics import METRICS
from langso.lib.metrics import MetricContext
from langso.maps.catalogue import LayerQuery, get_layer

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def fetch(key: str, user=None, **params):
    layer = get_layer(key)
    return layer.fetch(LayerQuery(scope=scope_for(user) if user else None, params={"date": TODAY.isoformat(), **params}))


def test_layers_are_in_the_catalogue_and_private_ones_are_not_public() -> None:
    assert {l.key: l.public for l in LAYERS} == {"health-cases": False, "health-foci": False,
                                                 "health-epidemic": True, "health-safe-zones": True}
    assert get_layer("health-cases") is not None


def test_case_points_only_for_the_communes_health_worker(health) -> None:
    for i in range(2):
        case_at(health, i * 10, TODAY - dt.timedelta(days=i))
    actions.evaluate_outbreaks(health["a"], TODAY)
    got = fetch("health-cases", health["worker"])
    assert got.number_matched == 2 and set(got.features[0]["properties"]) == {
        "disease", "disease_vi", "disease_en", "onset", "status"}
    assert fetch("health-foci", health["worker"]).features[0]["geometry"]["type"] == "Polygon"
    for role in ("editor", "reader", "outsider", "worker_b"):
        assert fetch("health-cases", health[role]).features == []
        assert fetch("health-foci", health[role]).features == []
    assert fetch("health-cases").features == []


def _village_with_centre(health):
    from langso.territory.models import Village

    Village.objects.filter(pk=health["va"].pk).update(centre_lat=21.30, centre_lon=105.40)


@pytest.mark.parametrize("n, shown", [(MIN_PUBLIC_COUNT - 1, False), (MIN_PUBLIC_COUNT, True)])
def test_public_epidemic_map_suppresses_small_counts(health, n, shown) -> None:
    _village_with_centre(health)
    for i in range(n):
        case_at(health, i * 500, TODAY - dt.timedelta(days=3))
    features = fetch("health-epidemic", commune_focus=None).features
    assert bool(features) is shown
    if shown:
        assert features[0]["properties"]["cases"] == n and "Người Bệnh" not in str(features)


def test_safe_zone_map(health) -> None:
    _village_with_centre(health)
    assert [f["properties"]["village"] for f in fetch("health-safe-zones").features] == ["Ngũ Kiên"]
    case_at(health, 0, TODAY - dt.timedelta(days=13))  # within the 14-day window
    assert fetch("health-safe-zones").features == []


def test_metrics(health) -> None:
    w = health["worker"]
    rec = actions.open_record(w, health["head"], opened_on=dt.date(2026, 1, 1), insurance_number="DN4012512345678")
    ctx = MetricContext(TODAY)
    by_code = {m.code: m for m in METRICS}
    assert by_code["health.records"].model.objects.filter(by_code["health.records"].condition(ctx)).count() == 1
    assert by_code["health.records_insured"].model.objects.filter(
        by_code["health.records_insured"].condition(ctx)).count() == 1
    actions.update_record(w, rec, insurance_number="")
    assert by_code["health.records_insured"].model.objects.filter(
        by_code["health.records_insured"].condition(ctx)).count() == 0
    # a child aged 13 months with the third pentavalent dose; the 100-day-old child is outside the cohort
    from health.factories import make_resident

    born = TODAY - dt.timedelta(days=400)
    toddler = make_resident(health["household"], name="Lê Bé", born=born, relation="child")
    trec = actions.open_record(w, toddler, opened_on=born)
    for dose, age in [(1, 60), (2, 90), (3, 120)]:
        actions.add_immunization(w, trec, vaccine="dtp_hepb_hib", dose=dose, given_on=born + dt.timedelta(days=age))
    m = by_code["health.immunized_dtp_hepb_hib"]
    assert m.model.objects.filter(m.condition(ctx)).count() == 1
    cohort = by_code["health.children_12_23m"]
    assert cohort.model.objects.filter(cohort.condition(ctx)).count() == 1
    case_at(health, 0, TODAY)
    case_at(health, 10, TODAY)
    actions.evaluate_outbreaks(health["a"], TODAY)
    active = by_code["health.outbreaks_active"]
    assert active.model.objects.filter(active.condition(ctx), rule="dengue_focus").count() == 1


def test_demo_creates_records_and_a_dengue_season(health) -> None:
    from langso.health.demo import issue_demo_health
    from langso.health.models import HealthRecord, Outbreak
    from langso.registry.models import Household
    from health.factories import make_household, make_resident
    from langso.health.surveillance import offset_point

    for i in range(60):  # a small village on a 120 m grid
        lat, lon = offset_point(21.30, 105.40, (i // 8) * 120, (i % 8) * 120)
        make_resident(make_household(health["a"], health["va"], lat, lon), name=f"Chủ Hộ {i}",
                      born=dt.date(1970 + i % 40, 1, 1))
    summary = issue_demo_health(7, ["09154"], today=TODAY)
    assert HealthRecord.objects.filter(commune=health["a"]).count() == Household.objects.filter(
        commune=health["a"]).count() + 1  # every resident: 60 heads + the fixture's two
    foci = Outbreak.objects.filter(rule="dengue_focus")
    assert foci.filter(closed_on__isnull=True).count() == 1 and foci.filter(closed_on__isnull=False).count() == 1
    assert "1 active, 1 closed" in summary
    assert issue_demo_health(7, ["09154"], today=TODAY).startswith("0 ")  # idempotent
