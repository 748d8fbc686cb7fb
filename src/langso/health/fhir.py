"""The FHIR REST facade under ``/fhir/`` (read and search only).

Version: **FHIR R4B (4.3.0)**, validated in the tests with ``fhir.resources.R4B``. Why R4B: the
Ministry of Health's draft guide hl7.fhir.vn.core (canonical http://fhir.ehealth.gov.vn/core) is
an R4 (4.0.1) guide and fhir.resources 8 ships R5 and R4B but no plain R4; the resources served
here (Patient, Encounter, Condition, Immunization, Observation, AllergyIntolerance, Bundle) are
the same in R4 and R4B, while R5 changed Encounter (``class``, ``actualPeriod``) and others. One
version throughout: never mix R5 and R4B in a Bundle.

The guide's identifier systems for CCCD and insurance numbers were not confirmed (the draft is not
in our reference material): ``CCCD_SYSTEM`` and ``BHYT_SYSTEM`` below are our assumption under
the guide's canonical — change them here only. No ``meta.profile`` is claimed for the same reason.

Access: the health scope (health workers of the commune, superusers); anonymous → 401, anything
outside the scope → 404 OperationOutcome. Every returned Patient is written to the audit log.

Search (FHIR R4 search.html, http.html#paging): the parameters of each type, plus ``_id`` (exact
match on the resource id; ``a,b`` matches either, a repeated ``_id`` both) and ``_count`` (page
size, default :data:`DEFAULT_COUNT`, at most :data:`MAX_COUNT`: a larger value is served as the
maximum, which FHIR allows; ``0`` gives the total only, as ``_summary=count``). Results are paged
with ``Bundle.link`` self/first/previous/next/last; the links carry our own ``_offset``, which
clients follow and need not understand. The self link lists the parameters actually applied.
Invalid values of these parameters → 400 OperationOutcome; other parameters starting with ``_``
are ignored (lenient handling) and therefore left out of the self link.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from langso.accounts.access import scope_for
from langso.audit.log import record as audit
from langso.lib.vietnamese import fold
from langso.registry.models import Resident

from . import catalogue
from .models import Allergy, Diagnosis, Encounter, HealthRecord, Immunization

FHIR_VERSION = "4.3.0"
VN_CORE = "http://fhir.ehealth.gov.vn/core"
CCCD_SYSTEM = f"{VN_CORE}/NamingSystem/cccd"  # assumption, see module docstring
BHYT_SYSTEM = f"{VN_CORE}/NamingSystem/bhyt"  # assumption, see module docstring
ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10"
CVX_SYSTEM = "http://hl7.org/fhir/sid/cvx"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CONTENT_TYPE = "application/fhir+json; charset=utf-8"
TYPES = ("Patient", "Encounter", "Condition", "Immunization", "Observation", "AllergyIntolerance")
DEFAULT_COUNT = 50  # page size of a search without _count
MAX_COUNT = 100  # the largest page served (every Patient returned is one audit entry)
ID_RE = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # FHIR id datatype
# vital sign -> (id suffix, LOINC code, display, UCUM unit, category)
VITALS = {
    "pulse": ("pulse", "8867-4", "Heart rate", "/min", "vital-signs"),
    "temperature": ("temp", "8310-5", "Body temperature", "Cel", "vital-signs"),
    "weight_kg": ("weight", "29463-7", "Body weight", "kg", "vital-signs"),
    "height_cm": ("height", "8302-2", "Body height", "cm", "vital-signs"),
    "bmi": ("bmi", "39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", "vital-signs"),
    "glucose_mmol": ("glucose", "15074-8", "Glucose [Moles/volume] in Blood", "mmol/L", "laboratory"),
}


def _json(data: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False, default=_default), status=status, content_type=CONTENT_TYPE)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


def outcome(status: int, code: str, text: str) -> HttpResponse:
    """An OperationOutcome response (``code`` from the FHIR issue-type value set)."""
    return _json({"resourceType": "OperationOutcome",
                  "issue": [{"severity": "error", "code": code, "diagnostics": text}]}, status)


def _not_found() -> HttpResponse:
    return outcome(404, "not-found", "Không tìm thấy / Not found")


# --- resources ---------------------------------------------------------------------------------

def patient(resident: Resident, rec: HealthRecord | None) -> dict[str, Any]:
    """A Patient: identifiers CCCD and BHYT (systems above), Vietnamese name order (family name
    first), gender, birth date, the household's address in its commune."""
    words = resident.full_name.split()
    identifiers = []
    if resident.cccd:
        identifiers.append({"use": "official", "system": CCCD_SYSTEM, "value": resident.cccd,
                            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                                 "code": "NI"}], "text": "CCCD"}})
    if rec is not None and rec.insurance_number:
        ident = {"use": "secondary", "system": BHYT_SYSTEM, "value": rec.insurance_number,
                 "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "SN"}],
                          "text": "BHYT"}}
        if rec.insurance_valid_to:
            ident["period"] = {"end": rec.insurance_valid_to.isoformat()}
        identifiers.append(ident)
    household = resident.household
    commune = resident.commune
    address = {"use": "home", "country": "VN", "district": commune.full_name,
               "text": ", ".join(x for x in [household.address, commune.full_name] if x)}
    if household.address:
        address["line"] = [household.address]
    data: dict[str, Any] = {
        "resourceType": "Patient", "id": str(resident.pk), "active": resident.is_living_here,
        "name": [{"use": "official", "text": resident.full_name, "family": words[0], "given": words[1:] or None}],
        "gender": "male" if resident.sex == "M" else "female",
        "birthDate": resident.date_of_birth.isoformat(), "address": [address],
    }
    if identifiers:
        data["identifier"] = identifiers
    if not data["name"][0]["given"]:
        del data["name"][0]["given"]
    if resident.died_on:
        data["deceasedDateTime"] = resident.died_on.isoformat()
    return data


def _ref(kind: str, pk: Any) -> dict[str, str]:
    return {"reference": f"{kind}/{pk}"}


def encounter(enc: Encounter, resident_id: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "resourceType": "Encounter", "id": str(enc.pk), "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
        "subject": _ref("Patient", resident_id), "period": {"start": enc.date.isoformat(), "end": enc.date.isoformat()},
    }
    if enc.reason:
        data["reasonCode"] = [{"text": enc.reason}]
    return data


def condition(dx: Diagnosis, resident_id: int) -> dict[str, Any]:
    return {
        "resourceType": "Condition", "id": str(dx.pk),
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                       "code": "active"}]},
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                  "code": "encounter-diagnosis"}]}],
        "code": {"coding": [{"system": ICD10_SYSTEM, "code": _dotted(dx.icd10), "display": dx.description}],
                 "text": dx.description},
        "subject": _ref("Patient", resident_id), "encounter": _ref("Encounter", dx.encounter_id),
        "recordedDate": dx.encounter.date.isoformat(),
    }


def _dotted(code: str) -> str:
    """ICD-10 as printed (A97.0): the package keeps codes without the dot."""
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def immunization(imm: Immunization, resident_id: int) -> dict[str, Any]:
    v = catalogue.vaccines().get(imm.vaccine, {})
    data: dict[str, Any] = {
        "resourceType": "Immunization", "id": str(imm.pk), "status": "completed",
        "vaccineCode": {"coding": [{"system": CVX_SYSTEM, "code": str(v.get("cvx", ""))}] if v.get("cvx") else None,
                        "text": v.get("name_vi", imm.vaccine)},
        "patient": _ref("Patient", resident_id), "occurrenceDateTime": imm.given_on.isoformat(),
        "primarySource": True, "protocolApplied": [{"doseNumberPositiveInt": imm.dose, "series": "TCMR"}],
    }
    if data["vaccineCode"]["coding"] is None:
        del data["vaccineCode"]["coding"]
    if imm.lot_number:
        data["lotNumber"] = imm.lot_number
    return data


def allergy(row: Allergy, resident_id: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "resourceType": "AllergyIntolerance", "id": str(row.pk),
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                                       "code": "active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                                           "code": "confirmed"}]},
        "category": [row.category], "criticality": row.criticality, "code": {"text": row.substance},
        "patient": _ref("Patient", resident_id), "recordedDate": row.recorded_on.isoformat(),
    }
    if row.reaction:
        data["reaction"] = [{"manifestation": [{"text": row.reaction}]}]
    return data


def _obs(enc: Encounter, resident_id: int, suffix: str, code: str, display: str, category: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "id": f"{enc.pk}-{suffix}", "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": category}]}],
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}], "text": display},
        "subject": _ref("Patient", resident_id), "encounter": _ref("Encounter", enc.pk),
        "effectiveDateTime": enc.date.isoformat(),
    }


def _qty(value: Any, unit: str) -> dict[str, Any]:
    return {"value": float(value), "unit": unit, "system": UCUM, "code": unit}


def observations(enc: Encounter, resident_id: int) -> list[dict[str, Any]]:
    """The encounter's vital signs as Observations (LOINC codes, UCUM units; blood pressure as a
    panel 85354-9 with systolic 8480-6 and diastolic 8462-4 components)."""
    out = []
    if enc.systolic or enc.diastolic:
        bp = _obs(enc, resident_id, "bp", "85354-9", "Blood pressure panel", "vital-signs")
        bp["component"] = [
            {"code": {"coding": [{"system": LOINC, "code": code, "display": name}]}, "valueQuantity": _qty(v, "mm[Hg]")}
            for code, name, v in [("8480-6", "Systolic blood pressure", enc.systolic),
                                  ("8462-4", "Diastolic blood pressure", enc.diastolic)] if v]
        out.append(bp)
    for field, (suffix, code, display, unit, category) in VITALS.items():
        value = getattr(enc, field)
        if value:
            obs = _obs(enc, resident_id, suffix, code, display, category)
            obs["valueQuantity"] = _qty(value, unit)
            out.append(obs)
    return out


def everything(resident: Resident, rec: HealthRecord | None) -> list[dict[str, Any]]:
    """Patient and every resource of the record, in a stable order."""
    out = [patient(resident, rec)]
    if rec is None:
        return out
    rid = resident.pk
    encounters = list(rec.encounters.order_by("date", "pk").prefetch_related("diagnoses"))
    out += [allergy(a, rid) for a in rec.allergies.order_by("pk")]
    for enc in encounters:
        out.append(encounter(enc, rid))
        out += [condition(dx, rid) for dx in enc.diagnoses.order_by("pk")]
        out += observations(enc, rid)
    out += [immunization(i, rid) for i in rec.immunizations.order_by("given_on", "pk")]
    return out


def bundle(request: HttpRequest, resources: list[dict[str, Any]], total: int | None = None,
           links: list[dict[str, str]] | None = None) -> dict[str, Any]:
    base = request.build_absolute_uri("/fhir/")
    return {
        "resourceType": "Bundle", "type": "searchset", "total": len(resources) if total is None else total,
        "link": links or [{"relation": "self", "url": request.build_absolute_uri()}],
        "entry": [{"fullUrl": f"{base}{r['resourceType']}/{r['id']}", "resource": r,
                   "search": {"mode": "match" if r["resourceType"] == resources[0]["resourceType"] else "include"}}
                  for r in resources],
    }


def capability_statement(request: HttpRequest) -> dict[str, Any]:
    base = request.build_absolute_uri("/fhir/")
    read_search = [{"code": "read"}, {"code": "search-type"}]
    common = [
        {"name": "_id", "definition": "http://hl7.org/fhir/SearchParameter/Resource-id", "type": "token",
         "documentation": f"exact match on the resource id; a comma-separated list (at most {MAX_COUNT} ids) "
                          "matches any of them"},
        {"name": "_count", "type": "number",
         "documentation": f"page size: default {DEFAULT_COUNT}, at most {MAX_COUNT} (a larger value is served as "
                          f"{MAX_COUNT}); 0 returns the total only. Pages are linked by Bundle.link next/previous."},
    ]
    resources = []
    for t in TYPES:
        entry: dict[str, Any] = {"type": t, "interaction": read_search}
        if t == "Patient":
            entry["searchParam"] = [
                {"name": "identifier", "type": "token",
                 "documentation": f"system|value; systems {CCCD_SYSTEM} (CCCD) and {BHYT_SYSTEM} (health insurance)"},
                {"name": "name", "type": "string", "documentation": "words of the name, accents ignored"},
                *common,
            ]
            entry["operation"] = [{"name": "everything", "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything"}]
        else:
            entry["searchParam"] = [
                {"name": "patient", "type": "reference", "documentation": "patient=<id>; required unless _id is given"},
                *common,
            ]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement", "status": "draft", "date": "2026-11-29", "kind": "instance",
        "software": {"name": "Làng số (langso)"},
        "implementation": {"description": "Làng số — hồ sơ sức khỏe cá nhân tại trạm y tế xã", "url": base},
        "fhirVersion": FHIR_VERSION, "format": ["json"],
        "rest": [{"mode": "server", "documentation": "Read-only; session login; scoped to the commune health workers; "
                                                     "every Patient read is audited. Searches are paged (Bundle.link "
                                                     "self/first/previous/next/last); other _ parameters are ignored.",
                  "resource": resources}],
    }


# --- views -----------------------------------------------------------------------------------

def _scope_or_401(request: HttpRequest):
    if not request.user.is_authenticated:
        return None
    return scope_for(request.user)


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    """``GET /fhir/metadata``: the CapabilityStatement (public, like any FHIR server)."""
    return _json(capability_statement(request))


def _records_scope(scope):
    return scope.filter_health(Resident.objects.all()).select_related("household", "commune", "health_record")


def _audit_patients(request: HttpRequest, residents: list[Resident], purpose: str) -> None:
    for r in residents:
        rec = _record_of(r)
        audit(request.user, "health.read", rec or r, unit=r.commune, data={"purpose": purpose})


def _record_of(resident: Resident) -> HealthRecord | None:
    try:
        return resident.health_record
    except HealthRecord.DoesNotExist:
        return None


class _BadSearch(Exception):
    """A search parameter with a value the facade refuses (→ 400 OperationOutcome)."""


def _one(request: HttpRequest, name: str) -> str:
    values = request.GET.getlist(name)
    if len(values) != 1:
        raise _BadSearch(f"{name} chỉ được dùng một lần / {name} may be given once")
    return values[0]


def _non_negative(request: HttpRequest, name: str, default: int) -> int:
    if name not in request.GET:
        return default
    raw = _one(request, name)
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise _BadSearch(f"{name} phải là số nguyên từ 0 đến 999999999 / {name} must be an integer from 0 to "
                         f"999999999, not {raw[:20]!r}")
    return int(raw)


def _ids(request: HttpRequest) -> list[str] | None:
    """The ``_id`` values: ``None`` when absent; each ``_id`` is an OR list, repeats are ANDed."""
    if "_id" not in request.GET:
        return None
    wanted: set[str] | None = None
    for raw in request.GET.getlist("_id"):
        values = {v.strip() for v in raw.split(",")}
        if not all(ID_RE.fullmatch(v) for v in values):
            raise _BadSearch(f"_id không hợp lệ / invalid _id {raw[:70]!r} (FHIR id: [A-Za-z0-9-.]{{1,64}})")
        wanted = values if wanted is None else wanted & values
    if len(wanted or ()) > MAX_COUNT:
        raise _BadSearch(f"Tối đa {MAX_COUNT} giá trị _id / at most {MAX_COUNT} _id values")
    return sorted(wanted or ())


class _Page:
    """``_count`` and our ``_offset`` of a search, and the Bundle links of its result."""

    def __init__(self, request: HttpRequest, resource_type: str, applied: list[tuple[str, str]]) -> None:
        self.request = request
        self.resource_type = resource_type
        self.applied = applied
        self.count = min(_non_negative(request, "_count", DEFAULT_COUNT), MAX_COUNT)
        self.offset = _non_negative(request, "_offset", 0)

    def slice(self, items):
        return items[self.offset:self.offset + self.count]

    def _url(self, offset: int) -> str:
        query = [*self.applied, ("_count", str(self.count))] + ([("_offset", str(offset))] if offset else [])
        return self.request.build_absolute_uri(f"/fhir/{self.resource_type}?{urlencode(query)}")

    def links(self, total: int) -> list[dict[str, str]]:
        links = [{"relation": "self", "url": self._url(self.offset)}]
        if self.count == 0:  # _count=0: the total only, no paging links (R4 search.html#count)
            return links
        last = max(0, (total - 1) // self.count * self.count)
        links.append({"relation": "first", "url": self._url(0)})
        if self.offset > 0:
            links.append({"relation": "previous", "url": self._url(max(0, min(self.offset - self.count, last)))})
        if self.offset + self.count < total:
            links.append({"relation": "next", "url": self._url(self.offset + self.count)})
        links.append({"relation": "last", "url": self._url(last)})
        return links

    def bundle(self, resources: list[dict[str, Any]], total: int) -> HttpResponse:
        return _json(bundle(self.request, resources, total=total, links=self.links(total)))


def _is_pk(value: str) -> bool:
    """A primary key as our ids print it (``7``, never ``007``: ``_id`` is an exact match)."""
    return value.isascii() and value.isdigit() and len(value) <= 18 and str(int(value)) == value


def _patient_ref(raw: str) -> int:
    value = raw.removeprefix("Patient/")
    if not (value.isascii() and value.isdigit()):
        raise _BadSearch("patient=<id> phải là số / patient=<id> must be a Patient id")
    return int(value)


@require_GET
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    """``GET /fhir/Patient?identifier=system|value`` or ``?name=…``; ``GET /fhir/<Type>?patient=<id>``;
    ``_id`` on every type (alone on the types other than Patient too), ``_count`` and paging links.
    Unsupported parameters and invalid values → 400 OperationOutcome."""
    scope = _scope_or_401(request)
    if scope is None:
        return outcome(401, "login", "Cần đăng nhập / Login required")
    if resource_type not in TYPES:
        return outcome(404, "not-supported", f"Resource type {resource_type} is not served")
    try:
        return _search(request, scope, resource_type)
    except _BadSearch as exc:
        return outcome(400, "invalid", str(exc))


def _search(request: HttpRequest, scope, resource_type: str) -> HttpResponse:
    params = {k: v for k, v in request.GET.items() if not k.startswith("_")}
    ids = _ids(request)
    applied = [(k, params[k]) for k in sorted(params)] + ([("_id", ",".join(ids))] if ids is not None else [])
    residents = _records_scope(scope)
    if resource_type == "Patient":
        if "identifier" in params:
            system, _, value = params.pop("identifier").rpartition("|")
            if system == CCCD_SYSTEM or (not system and len(value) == 12 and value.isdigit()):
                residents = residents.filter(cccd=value)
            elif system in {BHYT_SYSTEM, ""}:
                residents = residents.filter(health_record__insurance_number=value.upper())
            else:
                residents = residents.none()
        if "name" in params:
            for word in fold(params.pop("name")).split():
                residents = residents.filter(search_name__contains=word)
        if params:
            return outcome(400, "not-supported", f"Unsupported search parameters: {', '.join(sorted(params))}")
        if ids is not None:
            residents = residents.filter(pk__in=[int(i) for i in ids if _is_pk(i)])
        page = _Page(request, resource_type, applied)
        residents = residents.order_by("pk")
        total = residents.count()
        found = list(page.slice(residents)) if page.count else []
        _audit_patients(request, found, "fhir-search")
        return page.bundle([patient(r, _record_of(r)) for r in found], total)
    if set(params) - {"patient"} or ("patient" not in params and ids is None):
        return outcome(400, "required", "Search by patient=<id> or _id only")
    page = _Page(request, resource_type, applied)
    if "patient" in params:
        resident = residents.filter(pk=_patient_ref(params["patient"])).first()
        if resident is None:
            return page.bundle([], 0)
        rec = _record_of(resident)
        _audit_patients(request, [resident], f"fhir-search-{resource_type}")
        matches = [r for r in everything(resident, rec) if r["resourceType"] == resource_type
                   and (ids is None or r["id"] in ids)]
    else:
        located = [hit for hit in (_locate(scope, resource_type, fhir_id) for fhir_id in ids) if hit is not None]
        shown = page.slice(located)
        # Only the resources returned on this page are reads (``_count=0`` reads nothing).
        audited: set[int] = set()
        for _, resident, rec in shown:
            if resident.pk not in audited:
                audited.add(resident.pk)
                audit(request.user, "health.read", rec or resident, unit=resident.commune,
                      data={"purpose": f"fhir-search-{resource_type}"})
        return page.bundle([found for found, _, _ in shown], len(located))
    return page.bundle(page.slice(matches), len(matches))


def _locate(scope, resource_type: str, fhir_id: str) -> tuple[dict[str, Any], Resident, Any] | None:
    """``(resource, resident, record)`` of one resource of a record in the health scope by its
    FHIR id, not audited (the caller audits what it returns), or ``None``."""
    model = {"Patient": Resident, "Encounter": Encounter, "Condition": Diagnosis, "Immunization": Immunization,
             "AllergyIntolerance": Allergy, "Observation": Encounter}[resource_type]
    pk = fhir_id.split("-", 1)[0] if resource_type == "Observation" else fhir_id
    if not _is_pk(pk):
        return None
    row = scope.filter_health(model.objects.all()).filter(pk=int(pk)).first()
    if row is None:
        return None
    if resource_type == "Patient":
        resident = row
    else:
        rec = row.encounter.record if model is Diagnosis else row.record
        resident = rec.resident
    rec = _record_of(resident)
    found = [r for r in everything(resident, rec) if r["resourceType"] == resource_type and r["id"] == fhir_id]
    return (found[0], resident, rec) if found else None


def _resource(request: HttpRequest, scope, resource_type: str, fhir_id: str, purpose: str) -> dict[str, Any] | None:
    """One resource of a record in the health scope by its FHIR id (the read is audited), or ``None``."""
    hit = _locate(scope, resource_type, fhir_id)
    if hit is None:
        return None
    found, resident, rec = hit
    audit(request.user, "health.read", rec or resident, unit=resident.commune, data={"purpose": purpose})
    return found


@require_GET
def read(request: HttpRequest, resource_type: str, fhir_id: str) -> HttpResponse:
    """``GET /fhir/<Type>/<id>``: one resource of a record in the health scope (404 otherwise)."""
    scope = _scope_or_401(request)
    if scope is None:
        return outcome(401, "login", "Cần đăng nhập / Login required")
    if resource_type not in TYPES:
        return outcome(404, "not-supported", f"Resource type {resource_type} is not served")
    found = _resource(request, scope, resource_type, fhir_id, f"fhir-read-{resource_type}")
    return _json(found) if found is not None else _not_found()


@require_GET
def patient_everything(request: HttpRequest, resident_id: int) -> HttpResponse:
    """``GET /fhir/Patient/<id>/$everything``: a searchset Bundle of the Patient and all its resources."""
    scope = _scope_or_401(request)
    if scope is None:
        return outcome(401, "login", "Cần đăng nhập / Login required")
    resident = _records_scope(scope).filter(pk=resident_id).first()
    if resident is None:
        return _not_found()
    rec = _record_of(resident)
    audit(request.user, "health.read", rec or resident, unit=resident.commune, data={"purpose": "fhir-everything"})
    return _json(bundle(request, everything(resident, rec)))


def fhir_url(resource_type: str, fhir_id: str) -> str:
    return reverse("health:fhir-read", args=[resource_type, fhir_id])
