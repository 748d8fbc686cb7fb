"""Small factories shared by the health tests."""

from __future__ import annotations

import datetime as dt
import itertools

from langso.health.models import DiseaseCase
from langso.health.surveillance import offset_point
from langso.registry.models import Household, Resident

LAT, LON = 21.30, 105.40


def make_household(commune, village=None, lat=LAT, lon=LON, address="Xóm 1"):
    return Household.objects.create(commune=commune, village=village, address=address, latitude=lat, longitude=lon)


def make_resident(household, name="Nguyễn Thị Hoa", born=dt.date(1985, 3, 4), sex="F", relation="head", cccd=None):
    from langso.lib.vietnamese import fold

    return Resident.objects.create(household=household, commune_id=household.commune_id, full_name=name,
                                   search_name=fold(name), date_of_birth=born, sex=sex, relation_to_head=relation,
                                   cccd=cccd)




_n = itertools.count()


def case_at(world, metres_east: float, onset: dt.date, disease: str = "dengue", status: str = "suspected",
            commune_key: str = "a") -> DiseaseCase:
    """A case at a new household ``metres_east`` of the reference point."""
    lat, lon = offset_point(LAT, LON, 0, metres_east)
    hh = make_household(world[commune_key], world["va"] if commune_key == "a" else None, lat, lon)
    person = make_resident(hh, name=f"Người Bệnh {next(_n)}")
    return DiseaseCase.objects.create(resident=person, household=hh, commune=hh.commune, village=hh.village,
                                      disease=disease, onset_on=onset, reported_on=onset, status=status,
                                      latitude=lat, longitude=lon)
