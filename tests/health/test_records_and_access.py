"""Health records through the actions and the pages: who sees what (health role only), audit of
reads, the visit form with vitals and ICD-10, immunisations and the due list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from langso.audit.models import AuditEntry
from langso.health import actions
from langso.health.models import Consent, DiseaseCase, Encounter, HealthRecord
from langso.lib.errors import RuleViolation

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def rec(health):
    r = actions.open_record(health["worker"], health["head"], opened_on=dt.date(2026, 1, 5),
                            insurance_number="dn 4 01 25 12345678", smoking=True, family_history="Tăng huyết áp")
    actions.add_allergy(health["worker"], r, substance="Penicillin", reaction="Mày đay", recorded_on=dt.date(2026, 1, 5))
    actions.record_consent(health["worker"], health["head"], given_on=dt.date(2026, 1, 5))
    return r


def test_open_record_normalises_insurance_and_refuses_a_second(health, rec) -> None:
    assert rec.insurance_number == "DN4012512345678"
    with pytest.raises(RuleViolation) as exc:
        actions.open_record(health["worker"], health["head"], opened_on=dt.date(2026, 1, 6))
    assert exc.value.rule == "record.exists"
    with pytest.raises(RuleViolation) as exc:
        actions.update_record(health["worker"], rec, insurance_number="12345")
    assert exc.value.rule == "insurance.format"
    assert actions.update_record(health["worker"], rec, insurance_number="0123456789").insurance_number == "0123456789"


def test_commune_officers_and_other_health_workers_cannot_write(health) -> None:
    from django.http import Http404

    for user in ("editor", "reader", "worker_b"):
        with pytest.raises(Http404):
            actions.open_record(health[user], health["head"], opened_on=dt.date(2026, 1, 5))


@pytest.mark.parametrize("role, status", [("worker", 200), ("editor", 404), ("reader", 404), ("outsider", 404),
                                          ("worker_b", 404)])
def test_record_page_only_for_the_communes_health_worker(health, rec, role, status) -> None:
    url = reverse("health:record", args=[health["a"].code, health["head"].pk])
    response = client_for(health[role]).get(url)
    assert response.status_code == status
    if status == 404:
        assert "Penicillin" not in response.content.decode() and "Nguyễn Thị Hoa" not in response.content.decode()


def test_anonymous_is_sent_to_login(health, rec) -> None:
    response = Client().get(reverse("health:record", args=[health["a"].code, health["head"].pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_every_read_is_audited(health, rec) -> None:
    url = reverse("health:record", args=[health["a"].code, health["head"].pk])
    body = client_for(health["worker"]).get(url).content.decode()
    for text in ("Penicillin", "Tăng huyết áp", rec.insurance_number, "hút thuốc"):
        assert text in body
    entry = AuditEntry.objects.filter(action="health.read").get()
    assert (entry.actor, entry.target_type, entry.target_id, entry.unit_id, entry.data) == (
        health["worker"], "health.HealthRecord", str(rec.pk), health["a"].pk, {"purpose": "view"})
    client_for(health["editor"]).get(url)  # a denied read writes nothing
    assert AuditEntry.objects.filter(action="health.read").count() == 1


def test_add_visit_with_vitals_and_a_notifiable_diagnosis(health, rec) -> None:
    url = reverse("health:visit-new", args=[health["a"].code, health["head"].pk])
    c = client_for(health["worker"])
    assert c.get(url).status_code == 200
    response = c.post(url, {"date": "2026-11-20", "systolic": "150", "diastolic": "95", "pulse": "88",
                            "temperature": "39,2", "weight_kg": "55", "height_cm": "155", "glucose_mmol": "6.1",
                            "diagnoses": "I10, A97.0", "reason": "Sốt cao"})
    assert response.status_code == 302
    enc = Encounter.objects.get()
    assert (enc.systolic, float(enc.temperature), enc.bmi) == (150, 39.2, 22.9)
    assert sorted(enc.diagnoses.values_list("icd10", flat=True)) == ["A970", "I10"]
    case = DiseaseCase.objects.get()
    assert (case.disease, case.household_id, case.latitude, case.village_id) == (
        "dengue", health["household"].pk, health["household"].latitude, health["va"].pk)
    assert AuditEntry.objects.filter(action="health.encounter.add").count() == 1


def test_visit_form_refuses_bad_codes_and_implausible_vitals(health, rec) -> None:
    url = reverse("health:visit-new", args=[health["a"].code, health["head"].pk])
    c = client_for(health["worker"])
    body = c.post(url, {"date": "2026-11-20", "diagnoses": "Z99.99X"}).content.decode()
    assert "ICD-10" in body and Encounter.objects.count() == 0
    body = c.post(url, {"date": "2026-11-20", "temperature": "55"}).content.decode()
    assert "temperature" in body and Encounter.objects.count() == 0


def test_immunisations_and_due_list(health, rec) -> None:
    child = health["child"]
    crec = actions.open_record(health["worker"], child, opened_on=child.date_of_birth)
    born = child.date_of_birth
    actions.add_immunization(health["worker"], crec, vaccine="bcg", dose=1, given_on=born)
    with pytest.raises(RuleViolation) as exc:
        actions.add_immunization(health["worker"], crec, vaccine="bcg", dose=1, given_on=born)
    assert exc.value.rule == "immunization.duplicate"
    with pytest.raises(RuleViolation):
        actions.add_immunization(health["worker"], crec, vaccine="zzz", dose=1, given_on=born)
    c = client_for(health["worker"])
    body = c.get(reverse("health:due", args=[health["a"].code])).content.decode()
    # 100 days old: pentavalent 1 (60 d) overdue from day 91; BCG given; the hepatitis B birth
    # dose is past its 7-day window, so it is no longer offered (nor listed as overdue)
    assert "5 trong 1" in body and "quá hạn" in body
    assert "Viêm gan B sơ sinh</td>" not in body
    assert "Lao (BCG)</td>" not in body
    assert client_for(health["editor"]).get(reverse("health:due", args=[health["a"].code])).status_code == 404
    response = c.post(reverse("health:immunization-add", args=[health["a"].code, child.pk]),
                      {"vaccine": "hepb_birth", "dose": "1", "given_on": born.isoformat()})
    assert response.status_code == 302 and crec.immunizations.count() == 2


def test_create_record_page_with_consent(health) -> None:
    c = client_for(health["worker"])
    url = reverse("health:record", args=[health["a"].code, health["head"].pk])
    assert "Mở hồ sơ" in c.get(url).content.decode()
    c.post(reverse("health:record-create", args=[health["a"].code, health["head"].pk]),
           {"insurance_number": "HC4012512345678", "consent": "on"})
    assert HealthRecord.objects.get().insurance_number == "HC4012512345678"
    assert Consent.objects.get().purpose == "primary_care"
    assert client_for(health["editor"]).post(
        reverse("health:record-create", args=[health["a"].code, health["child"].pk]), {}).status_code == 404


def test_home_search_and_outbreaks_page(health, rec) -> None:
    c = client_for(health["worker"])
    body = c.get(reverse("health:home", args=[health["a"].code]), {"q": "nguyen hoa"}).content.decode()
    assert "Nguyễn Thị Hoa" in body
    assert c.get(reverse("health:outbreaks", args=[health["a"].code])).status_code == 200
    assert client_for(health["worker_b"]).get(reverse("health:home", args=[health["a"].code])).status_code == 404


def test_epidemiological_map_page(health) -> None:
    url = reverse("health:map", args=[health["a"].code])
    body = client_for(health["worker"]).get(url).content.decode()
    assert "health-cases" in body and "health-foci" in body
    for role in ("editor", "reader", "outsider", "worker_b"):
        assert client_for(health[role]).get(url).status_code == 404


def test_map_layer_endpoint_serves_health_workers(health) -> None:
    from health.factories import case_at

    case_at(health, 0, dt.date.today())
    c = client_for(health["worker"])
    data = c.get(reverse("maps:layer", args=["health-cases"])).json()
    assert len(data["features"]) == 1 and "Người Bệnh" not in str(data)
    assert client_for(health["editor"]).get(reverse("maps:layer", args=["health-cases"])).json()["features"] == []


def test_due_list_filters(health) -> None:
    child = health["child"]
    actions.open_record(health["worker"], child, opened_on=child.date_of_birth)
    c = client_for(health["worker"])
    url = reverse("health:due", args=[health["a"].code])
    overdue = c.get(url, {"status": "overdue"}).content.decode()
    assert "quá hạn" in overdue and "badge--warn\">đến hạn" not in overdue
    only_bcg = c.get(url, {"vaccine": "bcg"}).content.decode()
    assert "Lao (BCG)</td>" in only_bcg and "5 trong 1)</td>" not in only_bcg


def test_superuser_reads_health_records(health, rec, django_user_model) -> None:
    admin = django_user_model.objects.create_superuser("root", password="pw-root-123")
    url = reverse("health:record", args=[health["a"].code, health["head"].pk])
    assert client_for(admin).get(url).status_code == 200
    assert AuditEntry.objects.filter(action="health.read", actor=admin).count() == 1


def test_edit_record_history_and_add_an_allergy(health, rec) -> None:
    url = reverse("health:record-edit", args=[health["a"].code, health["head"].pk])
    c = client_for(health["worker"])
    assert 'value="DN4012512345678"' in c.get(url).content.decode()
    response = c.post(url, {"insurance_number": "DN4012512345678", "blood_group": "O", "disabilities": "Khiếm thị",
                            "alcohol": "on", "allergy_substance": "Tôm", "allergy_reaction": "Ngứa"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.blood_group, rec.disabilities, rec.alcohol, rec.smoking) == ("O", "Khiếm thị", True, False)
    assert sorted(rec.allergies.values_list("substance", flat=True)) == ["Penicillin", "Tôm"]
    entry = AuditEntry.objects.filter(action="health.record.update").latest("pk")
    assert "Khiếm thị" not in str(entry.data) and "disabilities" in entry.data["fields"]
    body = c.post(url, {"insurance_number": "123"}).content.decode()
    assert "BHYT" in body and rec.insurance_number == "DN4012512345678"
    assert client_for(health["editor"]).get(url).status_code == 404


def test_an_empty_visit_is_refused(health, rec) -> None:
    url = reverse("health:visit-new", args=[health["a"].code, health["head"].pk])
    body = client_for(health["worker"]).post(url, {"date": "2026-11-20"}).content.decode()
    assert "ít nhất" in body and Encounter.objects.count() == 0
    with pytest.raises(RuleViolation):
        actions.add_encounter(health["worker"], rec, date=dt.date(2026, 11, 20))


def test_birth_doses_are_offered_only_in_their_window() -> None:
    from langso.health import catalogue

    by_key = {d.vaccine: d for d in catalogue.doses() if d.dose == 1}
    born = dt.date(2026, 1, 1)
    assert by_key["hepb_birth"].still_offered(born, dt.date(2026, 1, 8))
    assert not by_key["hepb_birth"].still_offered(born, dt.date(2026, 1, 9))
    assert by_key["bcg"].still_offered(born, dt.date(2027, 1, 1))
    assert not by_key["bcg"].still_offered(born, dt.date(2027, 1, 2))
    assert by_key["measles"].still_offered(born, dt.date(2031, 1, 1))  # no window: offered until caught up
