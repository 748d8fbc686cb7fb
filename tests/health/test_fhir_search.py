"""FHIR search: ``_id`` (exact match on the resource id), ``_count`` (page size) and the Bundle
paging links (R4 http.html#paging), declared in the CapabilityStatement; invalid values give a 400
OperationOutcome. Every response is validated with fhir.resources.R4B like the other FHIR tests."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from langso.audit.models import AuditEntry
from langso.health import fhir

from .factories import make_resident
from .test_fhir import full, get, validate  # noqa: F401 (full is a fixture)

pytestmark = pytest.mark.django_db


def search(user, resource_type: str, **params):
    response, data = get(user, reverse("health:fhir-search", args=[resource_type]), **params)
    validate(data)
    return response, data


def ids(data) -> list[str]:
    return [e["resource"]["id"] for e in data.get("entry", [])]


def links(data) -> dict[str, str]:
    return {link["relation"]: link["url"] for link in data["link"]}


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def follow(user, url: str):
    parts = urlsplit(url)
    response, data = get(user, parts.path, **{k: v[0] for k, v in parse_qs(parts.query).items()})
    validate(data)
    assert response.status_code == 200
    return data


@pytest.fixture
def many(full):
    """Commune A's household with five more residents (seven patients in the health scope)."""
    extra = [make_resident(full["household"], name=f"Lê Văn Số {i}", relation="child") for i in range(5)]
    return {**full, "extra": extra}


def test_capability_statement_declares_id_and_count(full) -> None:
    response, data = get(None, reverse("health:fhir-metadata"))
    validate(data)
    for resource in data["rest"][0]["resource"]:
        params = {p["name"]: p for p in resource["searchParam"]}
        assert params["_id"]["type"] == "token"
        assert params["_id"]["definition"] == "http://hl7.org/fhir/SearchParameter/Resource-id"
        assert params["_count"]["type"] == "number"
        assert f"default {fhir.DEFAULT_COUNT}, at most {fhir.MAX_COUNT}" in params["_count"]["documentation"]


def test_patient_id_is_an_exact_match(many) -> None:
    head, child, worker = many["head"], many["child"], many["worker"]
    assert ids(search(worker, "Patient", _id=head.pk)[1]) == [str(head.pk)]
    _, both = search(worker, "Patient", _id=f"{child.pk},{head.pk}")
    assert sorted(ids(both)) == sorted([str(head.pk), str(child.pk)]) and both["total"] == 2
    assert search(worker, "Patient", _id=f"0{head.pk}")[1]["total"] == 0  # "0123" is not "123"
    assert search(worker, "Patient", _id="999999")[1]["total"] == 0
    assert ids(search(worker, "Patient", _id=head.pk, name="hoa")[1]) == [str(head.pk)]  # and the other params
    assert search(worker, "Patient", _id=child.pk, name="hoa")[1]["total"] == 0
    response, data = get(worker, reverse("health:fhir-search", args=["Patient"]) + f"?_id={head.pk}&_id={child.pk}")
    validate(data)
    assert data["total"] == 0  # a repeated parameter: both must hold
    assert query(links(search(worker, "Patient", _id=f"{child.pk},{head.pk}")[1])["self"])["_id"] == [
        ",".join(sorted([str(head.pk), str(child.pk)]))]


def test_id_outside_the_health_scope_finds_nothing(many) -> None:
    _, data = search(many["worker_b"], "Patient", _id=many["head"].pk)
    assert data["total"] == 0
    _, data = search(many["worker_b"], "Encounter", _id=many["rec"].encounters.get().pk)
    assert data["total"] == 0
    assert not AuditEntry.objects.filter(action="health.read").exists()


def test_id_on_the_other_types_with_or_without_patient(many) -> None:
    worker, head = many["worker"], many["head"]
    _, everything = get(worker, reverse("health:fhir-everything", args=[head.pk]))
    by_type: dict[str, list[dict]] = {}
    for entry in everything["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    for resource_type in ("Encounter", "Condition", "Observation", "AllergyIntolerance"):
        wanted = by_type[resource_type][-1]
        _, alone = search(worker, resource_type, _id=wanted["id"])
        assert alone["total"] == 1 and alone["entry"][0]["resource"] == wanted
        _, with_patient = search(worker, resource_type, patient=head.pk, _id=wanted["id"])
        assert with_patient["entry"][0]["resource"] == wanted and with_patient["total"] == 1
        _, other_patient = search(worker, resource_type, patient=many["child"].pk, _id=wanted["id"])
        assert other_patient["total"] == 0
    observations = [r["id"] for r in by_type["Observation"]]
    _, two = search(worker, "Observation", _id=f"{observations[0]},{observations[2]},999-bp")
    assert sorted(ids(two)) == sorted([observations[0], observations[2]])
    response, data = search(worker, "Condition", code="A97.0")
    assert response.status_code == 400 and data["resourceType"] == "OperationOutcome"


def test_count_pages_patients_with_links(many) -> None:
    worker = many["worker"]
    AuditEntry.objects.all().delete()
    _, page = search(worker, "Patient", _count=3)
    assert page["total"] == 7 and len(page["entry"]) == 3
    assert set(links(page)) == {"self", "first", "next", "last"}
    assert query(links(page)["self"])["_count"] == ["3"]
    assert AuditEntry.objects.filter(action="health.read").count() == 3  # only what was returned
    seen = ids(page)
    while "next" in links(page):
        page = follow(worker, links(page)["next"])
        assert page["total"] == 7 and "previous" in links(page)
        seen += ids(page)
    assert len(page["entry"]) == 1 and links(page)["self"] == links(page)["last"]
    _, every = search(worker, "Patient")
    assert seen == ids(every) and len(set(seen)) == 7  # every patient once, in the same order
    back = follow(worker, links(page)["previous"])
    assert ids(back) == seen[3:6]
    assert follow(worker, links(back)["first"])["entry"][0]["resource"]["id"] == seen[0]


def test_count_pages_other_types(full) -> None:
    worker, head = full["worker"], full["head"]
    pages = [search(worker, "Observation", patient=head.pk, _count=3)[1]]
    while "next" in links(pages[-1]):
        pages.append(follow(worker, links(pages[-1])["next"]))
    assert [len(p["entry"]) for p in pages] == [3, 3, 1] and {p["total"] for p in pages} == {7}
    assert query(links(pages[1])["self"]) == {"patient": [str(head.pk)], "_count": ["3"], "_offset": ["3"]}


def test_default_and_maximum_count(many, monkeypatch) -> None:
    _, data = search(many["worker"], "Patient")
    assert query(links(data)["self"])["_count"] == [str(fhir.DEFAULT_COUNT)] and "next" not in links(data)
    _, data = search(many["worker"], "Patient", _count=fhir.MAX_COUNT + 1)
    assert query(links(data)["self"])["_count"] == [str(fhir.MAX_COUNT)]  # served as the maximum
    monkeypatch.setattr(fhir, "DEFAULT_COUNT", 2)
    _, data = search(many["worker"], "Patient")
    assert len(data["entry"]) == 2 and data["total"] == 7 and "next" in links(data)
    monkeypatch.setattr(fhir, "MAX_COUNT", 4)
    _, data = search(many["worker"], "Patient", _count=6)
    assert len(data["entry"]) == 4


def test_count_zero_gives_the_total_only(many) -> None:
    AuditEntry.objects.all().delete()
    _, data = search(many["worker"], "Patient", _count=0)
    assert data["total"] == 7 and not data.get("entry")
    assert set(links(data)) == {"self"}
    assert not AuditEntry.objects.filter(action="health.read").exists()
    _, data = search(many["worker"], "Observation", patient=many["head"].pk, _count=0)
    assert data["total"] == 7 and not data.get("entry")


def test_unknown_result_parameters_are_ignored_and_left_out_of_self(full) -> None:
    _, data = search(full["worker"], "Patient", name="hoa", _sort="birthdate")
    assert data["total"] == 1
    assert set(query(links(data)["self"])) == {"name", "_count"}


@pytest.mark.parametrize("resource_type, params", [
    ("Patient", "_count=-1"), ("Patient", "_count=abc"), ("Patient", "_count=1.5"), ("Patient", "_count="),
    ("Patient", "_count=%EF%BC%93"),  # a full-width digit
    ("Patient", "_count=1&_count=2"), ("Patient", "_count=99999999999"), ("Patient", "_offset=-3"),
    ("Patient", "_id="), ("Patient", "_id=a%20b"), ("Patient", "_id=" + "1" * 65), ("Patient", "_id=1,,2"),
    ("Patient", "_id=" + ",".join(str(i) for i in range(101))),
    ("Condition", "_id=%2F"), ("Observation", "patient=1&_count=x"), ("Immunization", "patient=abc"),
    ("Encounter", ""),
])
def test_invalid_values_are_a_400_operation_outcome(full, resource_type, params) -> None:
    AuditEntry.objects.all().delete()
    response, data = get(full["worker"], reverse("health:fhir-search", args=[resource_type]) + "?" + params)
    assert response.status_code == 400 and response["Content-Type"].startswith("application/fhir+json")
    validate(data)
    assert data["resourceType"] == "OperationOutcome" and data["issue"][0]["severity"] == "error"
    assert not AuditEntry.objects.filter(action="health.read").exists()


def test_id_search_audits_only_what_the_page_returns(many) -> None:
    worker, head = many["worker"], many["head"]
    _, everything = get(worker, reverse("health:fhir-everything", args=[head.pk]))
    observations = [e["resource"]["id"] for e in everything["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert len(observations) >= 2
    joined = ",".join(observations)
    AuditEntry.objects.all().delete()
    _, total_only = search(worker, "Observation", _id=joined, _count=0)
    assert total_only["total"] == len(observations) and not total_only.get("entry")
    assert not AuditEntry.objects.filter(action="health.read").exists()  # nothing returned, nothing read
    _, one = search(worker, "Observation", _id=joined, _count=1)
    assert len(ids(one)) == 1
    assert AuditEntry.objects.filter(action="health.read").count() == 1
