"""/api/indicators/ (catalogue) and /api/indicator-values/ (scoped, with the province roll-up)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("who", "units"),
    [
        ("editor", {"09154"}),  # its commune only, not the province roll-up
        ("reader", {"09154", "09157", "25"}),  # the province's communes and the roll-up
        ("outsider", {"00004"}),
    ],
)
def test_values_are_scoped(world, client_for, who, units):
    response = client_for(who).get("/api/indicator-values/")
    assert response.status_code == 200
    assert {row["unit"] for row in response.json()["results"]} == units


def test_superuser_reads_every_value(world, client_for, django_user_model):
    django_user_model.objects.create_superuser("root", password="pw-root-123")
    assert client_for("root").get("/api/indicator-values/").json()["count"] == 5


def test_value_detail_is_404_outside_the_scope(world, client_for):
    p25 = world["values"]["p25"]
    assert client_for("editor").get(f"/api/indicator-values/{p25.pk}/").status_code == 404
    assert client_for("outsider").get(f"/api/indicator-values/{world['value_a'].pk}/").status_code == 404
    row = client_for("reader").get(f"/api/indicator-values/{p25.pk}/").json()
    assert (row["indicator"], row["unit"], row["level"], row["numerator"], row["denominator"]) == (
        "HH_ADDR", "25", "province", 4, 6,
    )


def test_value_filters(world, client_for):
    reader = client_for("reader")
    assert reader.get("/api/indicator-values/?indicator=HH_ADDR&period=202611").json()["count"] == 3
    assert reader.get("/api/indicator-values/?period=202512").json()["count"] == 0
    assert [r["unit"] for r in reader.get("/api/indicator-values/?unit=09157").json()["results"]] == ["09157"]
    assert [r["unit"] for r in reader.get("/api/indicator-values/?level=province").json()["results"]] == ["25"]
    assert reader.get("/api/indicator-values/?unit=00004").json()["count"] == 0


def test_catalogue_with_targets_is_reference_data(world, client_for):
    rows = client_for("outsider").get("/api/indicators/").json()["results"]
    assert [(r["code"], r["targets"][0]["value"]) for r in rows] == [("HH_ADDR", 80.0)]
    assert client_for(None).get("/api/indicators/").status_code in (401, 403)
