"""The FHIR facade (R4B), each resource validated with fhir.resources.R4B; scope and audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class

from langso.audit.models import AuditEntry
from langso.health import actions
from langso.health.fhir import BHYT_SYSTEM, CCCD_SYSTEM

pytestmark = pytest.mark.django_db


# Required bindings fhir.resources does not enforce (R4B value sets), checked here.
REQUIRED_CODES = {
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
    ("Encounter", "status"): {"planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled"},
    ("Observation", "status"): {"registered", "preliminary", "final", "amended"},
    ("Immunization", "status"): {"completed", "entered-in-error", "not-done"},
    ("AllergyIntolerance", "criticality"): {"low", "high", "unable-to-assess"},
    ("Bundle", "type"): {"searchset"},
}


def validate(data: dict) -> None:
    """Parse with fhir.resources R4B (raises on an invalid resource); Bundles entry by entry too;
    plus the required bindings the library leaves unchecked."""
    get_fhir_model_class(data["resourceType"]).model_validate(data)
    for (kind, field), allowed in REQUIRED_CODES.items():
        if data["resourceType"] == kind and field in data:
            assert data[field] in allowed, (kind, field, data[field])
    if data["resourceType"] == "AllergyIntolerance":
        assert set(data["category"]) <= {"food", "medication", "environment", "biologic"}
    for entry in data.get("entry", []):
        validate(entry["resource"])


@pytest.fixture
def full(health):
    w = health["worker"]
    rec = actions.open_record(w, health["head"], opened_on=dt.date(2026, 1, 5), insurance_number="DN4012512345678",
                              insurance_valid_to=dt.date(2026, 12, 31))
    actions.add_allergy(w, rec, substance="Penicillin", reaction="Mày đay", recorded_on=dt.date(2026, 1, 5))
    actions.add_encounter(w, rec, date=dt.date(2026, 11, 20), reason="Sốt", diagnoses=["A97.0", "I10"], systolic=150,
                          diastolic=95, pulse=88, temperature="39.2", weight_kg=55, height_cm=155, glucose_mmol="6.1")
    crec = actions.open_record(w, health["child"], opened_on=health["child"].date_of_birth)
    actions.add_immunization(w, crec, vaccine="bcg", dose=1, given_on=health["child"].date_of_birth, lot_number="L1")
    return {**health, "rec": rec, "crec": crec}


def get(user, url: str, **params):
    c = Client()
    if user is not None:
        c.force_login(user)
    response = c.get(url, params)
    return response, json.loads(response.content)


def test_capability_statement(full) -> None:
    response, data = get(None, reverse("health:fhir-metadata"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/fhir+json")
    validate(data)
    assert data["fhirVersion"] == "4.3.0"
    assert {r["type"] for r in data["rest"][0]["resource"]} == {
        "Patient", "Encounter", "Condition", "Immunization", "Observation", "AllergyIntolerance"}


def test_everything_bundle_validates(full) -> None:
    response, data = get(full["worker"], reverse("health:fhir-everything", args=[full["head"].pk]))
    assert response.status_code == 200
    validate(data)
    kinds = [e["resource"]["resourceType"] for e in data["entry"]]
    assert kinds[0] == "Patient"
    assert kinds.count("Condition") == 2 and kinds.count("Observation") == 7  # BP panel, pulse, temperature, weight, height, BMI, glucose and "AllergyIntolerance" in kinds
    patient = data["entry"][0]["resource"]
    assert {i["system"]: i["value"] for i in patient["identifier"]} == {
        CCCD_SYSTEM: "025185424242", BHYT_SYSTEM: "DN4012512345678"}
    assert patient["name"][0]["family"] == "Nguyễn" and patient["name"][0]["given"] == ["Thị", "Hoa"]
    bp = next(e["resource"] for e in data["entry"] if e["resource"]["id"].endswith("-bp"))
    assert [c["valueQuantity"]["value"] for c in bp["component"]] == [150, 95]
    cond = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition")
    assert cond["code"]["coding"][0]["system"] == "http://hl7.org/fhir/sid/icd-10"
    entry = AuditEntry.objects.filter(action="health.read").get()
    assert entry.data == {"purpose": "fhir-everything"} and entry.actor == full["worker"]


def test_child_immunization_validates(full) -> None:
    _, data = get(full["worker"], reverse("health:fhir-search", args=["Immunization"]), patient=full["child"].pk)
    validate(data)
    imm = data["entry"][0]["resource"]
    assert imm["protocolApplied"][0]["doseNumberPositiveInt"] == 1 and imm["lotNumber"] == "L1"
    response, one = get(full["worker"], reverse("health:fhir-read", args=["Immunization", imm["id"]]))
    assert response.status_code == 200 and one == imm


@pytest.mark.parametrize("params", [
    {"identifier": f"{CCCD_SYSTEM}|025185424242"}, {"identifier": f"{BHYT_SYSTEM}|DN4012512345678"},
    {"identifier": "025185424242"}, {"name": "nguyen hoa"},
])
def test_patient_search(full, params) -> None:
    _, data = get(full["worker"], reverse("health:fhir-search", args=["Patient"]), **params)
    validate(data)
    assert data["total"] == 1 and data["entry"][0]["resource"]["id"] == str(full["head"].pk)


@pytest.mark.parametrize("role", ["editor", "reader", "outsider", "worker_b"])
def test_outside_the_health_scope_nothing(full, role) -> None:
    user = full[role]
    assert get(user, reverse("health:fhir-everything", args=[full["head"].pk]))[0].status_code == 404
    assert get(user, reverse("health:fhir-read", args=["Patient", full["head"].pk]))[0].status_code == 404
    _, data = get(user, reverse("health:fhir-search", args=["Patient"]), name="nguyen")
    assert data["total"] == 0
    assert not AuditEntry.objects.filter(action="health.read").exists()


def test_anonymous_gets_401_and_unknown_things_404(full) -> None:
    response, data = get(None, reverse("health:fhir-read", args=["Patient", full["head"].pk]))
    assert response.status_code == 401 and data["resourceType"] == "OperationOutcome"
    assert get(full["worker"], reverse("health:fhir-read", args=["Practitioner", "1"]))[0].status_code == 404
    assert get(full["worker"], reverse("health:fhir-search", args=["Patient"]), gender="male")[0].status_code == 400


def test_read_each_resource_type(full) -> None:
    _, bundle = get(full["worker"], reverse("health:fhir-everything", args=[full["head"].pk]))
    for entry in bundle["entry"]:
        r = entry["resource"]
        response, data = get(full["worker"], reverse("health:fhir-read", args=[r["resourceType"], r["id"]]))
        assert response.status_code == 200 and data == r
