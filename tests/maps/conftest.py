"""Fixtures of the maps tests (commune A with a boundary and villages: see tests/addressing)."""

from __future__ import annotations

import pytest

from addressing.conftest import homes, make_household, place_a  # noqa: F401 — shared fixtures


@pytest.fixture
def places(place_a):
    """One public place per theme in commune A, one internal place and one closed place."""
    from langso.maps import actions
    a = place_a["a"]
    made = {
        "school": actions.create_place(None, a, category="school", name="Trường Tiểu học Ngũ Kiên", latitude=21.2613,
                                       longitude=105.521),
        "health": actions.create_place(None, a, category="health_station", name="Trạm Y tế xã Vĩnh Phú",
                                       latitude=21.2623, longitude=105.5227, contact="0211 3888 999"),
        "homestay": actions.create_place(None, a, category="homestay", name="Homestay Vườn Nhãn", latitude=21.2633,
                                         longitude=105.523, website="https://example.org/homestay"),
        "internal": actions.create_place(None, a, category="sight", name="Kho lưu trữ nội bộ", latitude=21.264,
                                         longitude=105.524, public=False),
        "closed": actions.create_place(None, a, category="ocop_shop", name="Cửa hàng đã đóng", latitude=21.265,
                                       longitude=105.525),
    }
    actions.close_place(None, made["closed"])
    return made


@pytest.fixture(autouse=True)
def _fresh_map_shapes():
    from langso.maps import extents

    extents.forget()
    yield
    extents.forget()
