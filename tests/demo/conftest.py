"""Fixtures of the demo-population tests: a province with three communes of known shape.

- 09154 Xã Vĩnh Phú: a 0.04° square boundary (about 4.4 km a side) — its profile (payment 91.5 %,
  GPS 100 %) comes from ``registry/data/demo_places.yaml``;
- 07900 Phường Việt Trì: a ward with a 0.02° square boundary (tổ dân phố);
- 05200 Xã Mai Châu: no boundary, only a centroid (homes around it).
"""

from __future__ import annotations

import json

import pytest

SQUARE_A = (105.50, 21.24, 105.54, 21.28)  # lon min, lat min, lon max, lat max
SQUARE_W = (105.40, 21.30, 105.42, 21.32)


def square(bounds: tuple[float, float, float, float]) -> str:
    x0, y0, x1, y1 = bounds
    return json.dumps({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})


@pytest.fixture
def demo_units(db):
    from langso.lib.vietnamese import fold
    from langso.territory.models import REFORM_DATE, AdministrativeUnit, Level, UnitType

    province = AdministrativeUnit.objects.create(
        code="25", name="Phú Thọ", full_name="Tỉnh Phú Thọ", unit_type=UnitType.PROVINCE, level=Level.PROVINCE,
        valid_from=REFORM_DATE,
    )
    province.province = province
    province.save(update_fields=["province"])

    def commune(code: str, name: str, unit_type: str, **extra) -> AdministrativeUnit:
        prefix = "Phường" if unit_type == UnitType.WARD else "Xã"
        return AdministrativeUnit.objects.create(
            code=code, name=name, full_name=f"{prefix} {name}", unit_type=unit_type, level=Level.COMMUNE,
            parent=province, province=province, valid_from=REFORM_DATE, search_name=fold(f"{prefix} {name}"), **extra,
        )

    return {
        "province": province,
        "vinh_phu": commune("09154", "Vĩnh Phú", UnitType.COMMUNE, boundary=square(SQUARE_A), area_km2=19.4),
        "viet_tri": commune("07900", "Việt Trì", UnitType.WARD, boundary=square(SQUARE_W), area_km2=4.8),
        "mai_chau": commune("05200", "Mai Châu", UnitType.COMMUNE, centroid_lat=20.66, centroid_lon=105.08,
                            area_km2=147.7),
    }
