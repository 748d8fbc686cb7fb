"""The demo's addresses: every household located, coded, checked and clustered; idempotent."""

from __future__ import annotations

from addressing.conftest import make_household
from langso.addressing.demo import issue_demo_addresses
from langso.addressing.models import AddressCode, HouseholdCluster, LocationCheck
from langso.maps.models import Place
from langso.registry.models import Household


def test_every_demo_household_gets_a_code(place_a) -> None:
    a, va = place_a["a"], place_a["va"]
    for i in range(20):
        make_household(a, va, 21.26 + i / 5000, 105.52)
    for _ in range(5):
        make_household(a, va)  # no GPS yet: the demo survey locates them
    totals = issue_demo_addresses(2025, [a.code])
    assert totals["surveyed"] == 5 and totals["issued"] == 25
    assert not Household.objects.filter(address_code__isnull=True).exists()
    assert LocationCheck.objects.filter(inside_commune=True).count() == 25
    assert HouseholdCluster.objects.filter(commune=a).exists()
    assert Place.objects.filter(commune=a).count() == totals["places"] >= 10
    again = issue_demo_addresses(2025, [a.code])
    assert (again["surveyed"], again["issued"], again["places"]) == (0, 0, 0)
    assert AddressCode.objects.count() == 25
