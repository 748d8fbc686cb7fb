"""Fixtures of the payment tests: business households of commune A (and one of commune B),
built through the registry actions like everything else."""

from __future__ import annotations

import datetime as dt

import pytest

from langso.registry import actions as registry
from langso.registry.identifiers import make_cccd


def make_business(commune, village, *, n: int, trade_name: str, sector: str = "food", owner_name: str = "Nguyễn Văn Đức",
                  latitude: float | None = 21.2871, longitude: float | None = 105.5531):
    household = registry.create_household(None, commune, village=village, address=f"Số {n}, thôn {village.name}")
    owner = registry.add_resident(
        None, household, full_name=owner_name, date_of_birth=dt.date(1978, 3, 4), sex="M", relation_to_head="head",
        cccd=make_cccd("026", "M", 1978, 100 + n),
    )
    return registry.create_business_household(
        None, commune, owner=owner, registration_number=f"25A8-{n:04d}", trade_name=trade_name, sector=sector,
        address=f"Số {n}, thôn {village.name}", latitude=latitude, longitude=longitude,
    )


@pytest.fixture
def business(territory):
    return make_business(territory["a"], territory["va"], n=1, trade_name="Phở Đức Ngũ Kiên")


@pytest.fixture
def business_b(territory):
    return make_business(territory["b"], territory["vb"], n=2, trade_name="Tạp hóa Ba Đình", sector="retail",
                         owner_name="Trần Thị Hoa")
