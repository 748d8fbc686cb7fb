"""The access walk: every URL pattern of the project, requested by the four callers.

The patterns are read from the live URL resolver when the tests are collected (web pages, the
API router, the admin, anything added later), so a new route is walked without anyone listing
it. Each pattern's parameters are filled by *name* with objects of commune A (commune code,
household id, …) or, for ``pk``/``object_id``, with the commune-A object of the route's model
(API viewset or ModelAdmin). A parameter or admin model the walk does not know fails the test
loudly: nobody adds a route that is not walked.

Callers: anonymous; ``outsider`` (officer of commune B, another province); ``reader`` (officer
of A's province); ``editor`` (officer of commune A). The three officials are staff here, so the
admin's own scoping is walked too (non-staff officials never reach the admin: tests/api).

Asserted for every pattern (GET; POST too where commune A is in the URL):
- anonymous: a redirect to a login page, or 401/403 — and never commune A's data;
- outsider: 404 for anything of commune A (the admin answers "does not exist" with a redirect
  to its index, or 403) — and commune A's names, CCCDs, addresses never appear in any body;
- reader and editor: 200 where their scope covers the route (a province page only for the
  reader, write pages only for the editor);
- the editor never sees commune C's residents (same province, not its commune).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from api.world import World, add_documents, build_world, leaked
from participation.world import add_participation
from economy.world import GTIN_A, LOT_A, add_economy
from criteria.factories import add_criteria
from imports.walk_rows import add_imports
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize

OFFICIALS = {"outsider", "reader", "editor"}
INSIDE_A = {"reader", "editor"}
NOBODY: set[str] = set()

# Open to anyone, signed in or not. Each entry is a decision (ARCHITECTURE.md, "Who uses it":
# residents and buyers without a login use payment QR pages, document verification and the
# online services); a new public page must be added here on purpose. On these pages only the
# residents' personal data of commune A is checked (a business's public page shows its trade
# name and account number by design).
PUBLIC_ROUTES = {
    # authentication, language, API description
    "login", "logout", "set_language", "api-schema", "api-docs", "admin:login", "admin:logout",
    # a business household's payment page and QR image (payments)
    "payments:public", "payments:public-qr-png", "payments:public-cashier",
    # verification of signed documents, the demo PKI's root certificate and CRL (documents)
    "documents:verify", "documents:record", "documents:record-pdf", "documents:demo-root", "documents:demo-crl",
    # online public services: the catalogue, tracking, the residence-confirmation form (documents)
    "documents:services", "documents:track", "documents:residence-form", "documents:request-status",
    "documents:request-pdf",
    # online-service catalogues, the survey answer page, citizen feedback (participation)
    "participation:public-services-index", "participation:public-services", "participation:survey-start",
    "participation:survey-answer", "participation:survey-thanks", "participation:feedback-start",
    # public thematic maps, public layers' GeoJSON and the OGC API – Features endpoint (maps)
    "maps:public-map", "maps:public-layer", "maps:ogc-landing", "maps:ogc-conformance", "maps:ogc-collections",
    "maps:ogc-collection", "maps:ogc-items", "maps:ogc-item",
    "participation:feedback-track", "participation:feedback-status", "participation:feedback-public-list",
    "participation:feedback-new",
    # a lot's public trace page: own resolver path and GS1 Digital Link (economy)
    "economy:trace", "economy:digital-link",
}
# The FHIR server's CapabilityStatement is public, as on any FHIR server (no personal data).
PUBLIC_ROUTES |= {"health:fhir-metadata"}
LOGIN_PREFIXES = ("/login/", "/admin/login/")
ADMIN_MODEL_PATH = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")
# Words in a web route name that mark a page that writes: a province officer gets 404 there.
WRITE_WORDS = {
    "add", "new", "create", "edit", "update", "delete", "import", "upload", "assign", "issue", "sign", "replace",
    "review", "approve", "refuse", "deactivate",
}


# --- the routes ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    """One URL pattern with everything above it: ``template % kwargs`` is its path."""

    description: str
    template: str
    params: tuple[str, ...]
    name: str | None
    callback: Callable[..., Any]

    @property
    def is_admin(self) -> bool:
        return self.description.startswith("admin/") or hasattr(self.callback, "admin_site")

    @property
    def is_api(self) -> bool:
        return hasattr(self.callback, "cls")

    @property
    def model_admin(self) -> admin.ModelAdmin | None:
        return getattr(self.callback, "model_admin", None)

    @property
    def model(self) -> type | None:
        if self.model_admin is not None:
            return self.model_admin.model
        cls = getattr(self.callback, "cls", None)
        if cls is not None:
            return getattr(cls, "model", None) or getattr(getattr(cls, "queryset", None), "model", None)
        found = ADMIN_MODEL_PATH.match(self.description)  # extra views of a ModelAdmin (user password)
        if found:
            return apps.get_model(found["app"], found["model"])
        return None


def collect(patterns: list[Any], template: str = "", params: tuple[str, ...] = (), description: str = "",
            namespace: str = "") -> list[Route]:
    """Every URLPattern under ``patterns`` with its full path template (as Django's reverse builds it)."""
    routes = []
    for pattern in patterns:
        forms = normalize(pattern.pattern.regex.pattern)
        fmt, names = forms[0]  # the first possibility (optional groups included)
        here = (template + fmt, params + tuple(names), description + str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += collect(pattern.url_patterns, *here, namespace=ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            routes.append(Route(here[2], here[0], here[1], name, pattern.callback))
    return routes


ROUTES = collect(get_resolver().url_patterns)


# --- filling parameters --------------------------------------------------------------------

def _object_of_model(world: World, model: type | None, route: Route) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from langso.accounts.models import Membership
    from langso.addressing.models import AddressCode
    from langso.audit.models import AuditEntry
    from langso.economy.models import (
        Cooperative, LinkageModel, Listing, Lot, Producer, Product, RawMaterialArea, Store, TraceEvent,
    )
    from langso.indicators.models import ComputationRun, Indicator, IndicatorValue, Target
    from langso.payments.models import PaymentProfile
    from langso.registry.models import BusinessHousehold, Household, Resident
    from langso.territory.models import AdministrativeUnit, UnitLineage, Village

    objects = {
        Cooperative: world["cooperative_a"], Producer: world["producer_a"], RawMaterialArea: world["area_a"],
        LinkageModel: world["linkage_a"], Product: world["product_a"], Store: world["store_a"],
        Listing: world["listing_a"], Lot: world["lot_a"], TraceEvent: world["event_a"],
        Household: world["household_a"], Resident: world["head_a"], BusinessHousehold: world["business_a"],
        Village: world["village_a"], AddressCode: world["address_code_a"], PaymentProfile: world["payment_a"],
        AdministrativeUnit: world.territory["a"], UnitLineage: world["lineage_a"], Indicator: world["indicator"],
        Target: world["target"], IndicatorValue: world["value_a"], ComputationRun: world["run"],
        AuditEntry: world["audit_a"], Membership: world["membership_editor"], get_user_model(): world.users["editor"],
        Group: world["group"],
    }
    if model not in objects:
        pytest.fail(f"{route.description}: the access walk has no commune-A object of model {model!r}; "
                    "add one to _object_of_model in tests/test_access_walk.py")
    return objects[model]


# Models whose rows are reference data (any signed-in official may read them).
def _reference_models() -> set[type]:
    from langso.indicators.models import ComputationRun, Indicator, Target
    from langso.territory.models import AdministrativeUnit, UnitLineage

    return {AdministrativeUnit, UnitLineage, Indicator, Target, ComputationRun}


# Parameters filled by name: value maker and whose the value is ("a": commune A's, "p25": the
# province page of A's province, None: nobody's in particular). "namespace:param" entries take
# precedence for routes of that namespace (a generic name such as ``code`` means different things).
NAMED_PARAMS: dict[str, tuple[Callable[[World], Any], str | None]] = {
    "commune_code": (lambda w: w.territory["a"].code, "a"),
    "province_code": (lambda w: w.territory["p25"].code, "p25"),
    "household_id": (lambda w: w["household_a"].pk, "a"),
    "resident_id": (lambda w: w["head_a"].pk, "a"),
    "village_id": (lambda w: w["village_a"].pk, "a"),
    "business_id": (lambda w: w["business_a"].pk, "a"),
    "business_household_id": (lambda w: w["business_a"].pk, "a"),
    "indicator_code": (lambda w: w["indicator"].code, None),
    "period": (lambda w: "202611", None),
    "format": (lambda w: "json", None),
    "url": (lambda w: "no-such-admin-page/", None),  # the admin's catch-all
    "payments:public_id": (lambda w: w["payment_a"].public_id, "a"),
    "documents:code": (lambda w: w["document_a"].verification_code, "a"),
    "documents:reference": (lambda w: w["request_a"].reference_code, "a"),
    "run_id": (lambda w: w["run_a"].pk, "a"),
    "feedback_id": (lambda w: w["feedback_a"].pk, "a"),
    "service_id": (lambda w: w["service_a"].pk, "a"),
    "participation:tracking_code": (lambda w: w["feedback_a"].tracking_code, "a"),
    "cooperative_id": (lambda w: w["cooperative_a"].pk, "a"),
    "area_id": (lambda w: w["area_a"].pk, "a"),
    "product_id": (lambda w: w["product_a"].pk, "a"),
    "lot_id": (lambda w: w["lot_a"].pk, "a"),
    "producer_id": (lambda w: w["producer_a"].pk, "a"),
    "store_id": (lambda w: w["store_a"].pk, "a"),
    "economy:public_id": (lambda w: w["lot_a"].public_id, "a"),
    "economy:gtin": (lambda w: GTIN_A, "a"),
    "economy:lot_code": (lambda w: LOT_A, "a"),
    "maps:theme": (lambda w: "tourism", None),
    "maps:key": (lambda w: "tourism", None),  # a public layer
    "maps:layer": (lambda w: "households", None),  # an officials' layer: each caller sees its own scope
    "maps:collection_id": (lambda w: "communes", None),
    "maps:feature_id": (lambda w: w.territory["a"].code, None),  # a commune boundary: public
    "maps:place_id": (lambda w: _place_a(w).pk, "a"),
    "criteria:set_code": (lambda w: w["criteria_set"].code, None),  # reference data: every official
}


def _place_a(world: World) -> Any:
    """A point of interest of commune A (made on first use)."""
    if "place_a" not in world.objects:
        from langso.maps.actions import create_place
        from langso.maps.categories import ensure_default_categories

        ensure_default_categories()
        world.objects["place_a"] = create_place(None, world.territory["a"], category="sight", name="Đình làng A",
                                                latitude=21.0, longitude=105.0, allow_outside=True)
    return world["place_a"]
# Health routes (langso.health): a FHIR type search answers every official with its own (here empty)
# Bundle; a read names a row of commune A. None of the walk's callers holds the health-worker role.
NAMED_PARAMS.update({
    "health:resource_type": (lambda w: "Patient", None),
    "health:fhir_id": (lambda w: w["head_a"].pk, "a"),
    "health:outbreak_id": (lambda w: 1, "a"),
})
# Rows of commune A (keys of the world) that no outsider may reach by any route.
COMMUNE_A_ROWS = [
    "household_a", "head_a", "spouse_a", "business_a", "village_a", "address_code_a", "payment_a", "value_a",
    "audit_a", "document_a", "request_a", "run_a", "feedback_a", "service_a",
    "cooperative_a", "area_a", "product_a", "lot_a", "producer_a", "store_a", "listing_a", "event_a", "linkage_a",
    "assessment_a", "evidence_a", "import_job_a",
]
# Web routes with a bare ``pk``: the path segment before it names the collection.
PK_COLLECTIONS = {
    "households": "household_a", "residents": "head_a", "villages": "village_a", "businesses": "business_a",
    "documents": "document_a", "requests": "request_a", "assessments": "assessment_a", "evidence": "evidence_a",
    "import": "import_job_a",
}
PK_SEGMENT = re.compile(r"([\w-]+)/%\((?:pk|id)\)s")


def fill(route: Route, world: World) -> list[tuple[dict[str, Any], str | None]]:
    """The ways to fill ``route``'s parameters, each with the owner of the URL ("a", "p25" or None).

    Fails the test for a parameter it does not know.
    """
    from django.contrib.contenttypes.models import ContentType

    if route.name == "admin:view_on_site":
        # The contenttypes shortcut looks rows up without any scope: try every commune-A row, so
        # a model that gains get_absolute_url cannot start redirecting outsiders to its page.
        rows = [world[key] for key in COMMUNE_A_ROWS if key in world.objects]
        return [({"content_type_id": ContentType.objects.get_for_model(row).pk, "object_id": row.pk}, "a")
                for row in rows]
    namespace = (route.name or "").rpartition(":")[0]
    choices: dict[str, list[tuple[Any, str | None]]] = {}
    for param in route.params:
        if param in {"pk", "object_id", "id"} and (route.is_admin or route.is_api):
            model = route.model
            obj = _object_of_model(world, model, route)
            choices[param] = [(obj.pk, None if model in _reference_models() else "a")]
        elif param in {"pk", "id"}:
            segment = PK_SEGMENT.search(route.template)
            key = PK_COLLECTIONS.get(segment.group(1)) if segment else None
            if key is None:
                pytest.fail(f"{route.description}: the access walk does not know which object {param!r} names; "
                            "add the collection to PK_COLLECTIONS in tests/test_access_walk.py")
            choices[param] = [(world[key].pk, "a")]
        elif param == "app_label":
            labels = sorted({m._meta.app_label for m in admin.site._registry})
            choices[param] = [(label, None) for label in labels]
        elif f"{namespace}:{param}" in NAMED_PARAMS or param in NAMED_PARAMS:
            make, owner = NAMED_PARAMS.get(f"{namespace}:{param}") or NAMED_PARAMS[param]
            choices[param] = [(make(world), owner)]
        else:
            pytest.fail(
                f"{route.description}: the access walk does not know how to fill parameter {param!r}. "
                "Add it to NAMED_PARAMS in tests/test_access_walk.py with an object of commune A."
            )
    fillings = []
    for combo in itertools.product(*(choices[p] for p in route.params)):
        kwargs = {p: value for p, (value, _) in zip(route.params, combo)}
        owners = {owner for _, owner in combo}
        fillings.append((kwargs, "a" if "a" in owners else "p25" if "p25" in owners else None))
    return fillings or [({}, None)]


def is_write(route: Route) -> bool:
    return bool(WRITE_WORDS & set(re.split(r"[-_:]", route.name or "")))


# --- what each caller should get ---------------------------------------------------------------

@dataclass(frozen=True)
class AdminAccess:
    view: set[str]  # who may open the model's list
    objects: set[str]  # who may open commune A's object of the model
    add: set[str]  # who may open the add form


def _admin_access(model: type, route: Route) -> AdminAccess:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from langso.accounts.models import Membership
    from langso.addressing.models import AddressCode
    from langso.audit.models import AuditEntry
    from langso.economy.models import (
        Cooperative, LinkageModel, Listing, Lot, Producer, Product, RawMaterialArea, Store, TraceEvent,
    )
    from langso.indicators.models import IndicatorValue
    from langso.payments.models import PaymentProfile
    from langso.registry.models import BusinessHousehold, Household, Resident
    from langso.territory.models import Village

    scoped_writable = AdminAccess(OFFICIALS, INSIDE_A, {"editor", "outsider"})  # commune officers add in their own commune
    scoped_view_only = AdminAccess(OFFICIALS, INSIDE_A, NOBODY)
    table = {
        # Economy registers: added through economy.actions by commune officers; changed only where an action exists.
        **{m: scoped_writable for m in (Cooperative, Producer, RawMaterialArea, LinkageModel, Product, Store,
                                        Listing, Lot, TraceEvent)},
        Household: scoped_writable, Resident: scoped_writable, Village: scoped_writable,
        BusinessHousehold: scoped_view_only, AddressCode: scoped_view_only, PaymentProfile: scoped_view_only,
        IndicatorValue: scoped_view_only, AuditEntry: scoped_view_only,
        Membership: AdminAccess(NOBODY, NOBODY, NOBODY), get_user_model(): AdminAccess(NOBODY, NOBODY, NOBODY),
        Group: AdminAccess(NOBODY, NOBODY, NOBODY),
        **{m: AdminAccess(OFFICIALS, OFFICIALS, NOBODY) for m in _reference_models()},
    }
    if model not in table:
        pytest.fail(f"{route.description}: admin model {model!r} has no expected access in tests/test_access_walk.py")
    return table[model]


def expected_admin(route: Route, role: str, kwargs: dict[str, Any]) -> set[int]:
    view = route.callback.__name__
    if route.model_admin is not None or view == "user_change_password":
        access = _admin_access(route.model, route)
        if view == "changelist_view":
            return {200} if role in access.view else {403}
        if view == "add_view":
            return {200} if role in access.add else {403}
        if view in {"change_view", "history_view"}:
            if role in access.objects:
                return {200}
            return {302} if role in access.view else {403}  # 302: "does not exist", back to the index
        if view == "delete_view":
            return {403}  # nothing is deleted
        if view == "view":  # the old <object_id>/ URL redirects to the change page
            return {302}
        if view == "user_change_password":
            return {403}  # officials hold no permission on users
        pytest.fail(f"{route.description}: unknown admin view {view!r}; add its expectation to the walk")
    if view in {"index", "password_change", "password_change_done", "i18n_javascript"}:
        return {200}
    if view == "autocomplete_view":
        return {403}  # without its query parameters
    if view == "shortcut":  # view_on_site: our models have no public page
        return {302, 404} if role in INSIDE_A else {404}
    if view == "app_index":
        models = [m for m in admin.site._registry if m._meta.app_label == kwargs["app_label"]]
        return {200} if any(role in _admin_access(m, route).view for m in models) else {404}
    if view == "catch_all_view":
        return {404}
    pytest.fail(f"{route.description}: unknown admin site view {view!r}; add its expectation to the walk")


def expected_api(route: Route, role: str, owner: str | None) -> set[int]:
    if owner == "a":
        return {200} if role in INSIDE_A else {404}
    return {200}


def expected_web(route: Route, role: str, owner: str | None, post_only: bool) -> set[int]:
    """``post_only``: the editor's GET answered 405 (an action button's URL), so GET shows nothing
    to anyone; the walk then POSTs as the outsider and the reader."""
    if post_only:
        return {405} if role == "editor" else {404, 405}
    if owner == "a" and (route.name or "").startswith("health:"):
        return {404}  # health data: the commune's health workers only, not its officers nor the province
    if owner == "a":
        if role == "editor":
            return {200}
        if role == "reader":
            return {404} if is_write(route) else {200}
        return {404}
    if owner == "p25":
        return {200} if role == "reader" else {404}
    return {200, 302}  # e.g. the home page sends each official to its own dashboard


# --- the walk ------------------------------------------------------------------------------

def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace") + " " + response.get("Location", "")


def _check(route: Route, url: str, role: str, response: Any, world: World, allowed: set[int] | None,
           method: str = "GET") -> list[str]:
    problems = []
    where = f"{method} {url} as {role}"
    status = response.status_code
    body = _body(response)
    if status >= 500:
        problems.append(f"{where}: server error {status}")
    if role == "anonymous" and route.name not in PUBLIC_ROUTES:
        location = response.get("Location", "")
        if status == 302 and not location.startswith(LOGIN_PREFIXES):
            problems.append(f"{where}: redirect to {location!r}, not to a login page")
        elif status not in {302, 401, 403} and not (method == "POST" and status == 405):
            problems.append(f"{where}: got {status}, expected a login redirect or 401/403")
    elif allowed is not None and status not in allowed:
        problems.append(f"{where}: got {status}, expected {sorted(allowed)}")
    if role in {"anonymous", "outsider"}:
        found = leaked(body, world.private_a if route.name in PUBLIC_ROUTES else world.secrets_a)
        if found:
            problems.append(f"{where}: body shows commune A's data {found}")
    if role in {"anonymous", "outsider", "editor"}:
        found = leaked(body, world.secrets_c)
        if found:
            problems.append(f"{where}: body shows commune C's data {found}")
    return problems


def _clients(world: World) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role in OFFICIALS:
        user = world.users[role]
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _url(route: Route, kwargs: dict[str, Any]) -> str:
    url = "/" + route.template % {k: str(v) for k, v in kwargs.items()}
    match = resolve(url)
    if match.func is not route.callback:
        pytest.fail(f"{route.description}: built {url} but it resolves to {match.route!r}")
    return url


@pytest.fixture
def world(territory, users, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded files (import jobs, criteria evidence)
    world = build_world(territory, users)
    add_documents(world)
    add_participation(world)
    add_economy(world)
    add_criteria(world)
    add_imports(world)
    return world


@pytest.mark.parametrize("route", ROUTES, ids=[r.description or "/" for r in ROUTES])
def test_route_leaks_nothing(route: Route, world: World) -> None:
    clients = _clients(world)
    public = route.name in PUBLIC_ROUTES
    problems: list[str] = []
    for kwargs, owner in fill(route, world):
        url = _url(route, kwargs)
        # The editor first: its 405 tells an action button's URL (POST only) from a page.
        responses = {role: clients[role].get(url) for role in ["editor", "reader", "outsider", "anonymous"]}
        post_only = responses["editor"].status_code == 405
        for role, response in responses.items():
            if public or role == "anonymous":
                allowed = None
            elif route.is_admin:
                allowed = expected_admin(route, role, kwargs)
            elif route.is_api:
                allowed = expected_api(route, role, owner)
            else:
                allowed = expected_web(route, role, owner, post_only)
            problems += _check(route, url, role, response, world, allowed)
        if owner == "a" and not public:
            # A write by someone who may not write commune A fails like a missing page.
            probes = ["anonymous", "outsider"] + (["reader"] if is_write(route) and not route.is_admin else [])
            for role in probes:
                allowed = {403, 404, 405} | ({302} if route.is_admin else set())
                problems += _check(route, url, role, clients[role].post(url, {}), world, allowed, method="POST")
    assert not problems, "\n".join(problems)


# --- the walk itself is checked -----------------------------------------------------------------

def test_walk_covers_web_api_and_admin() -> None:
    names = {r.name for r in ROUTES}
    for expected in ["web:household", "web:commune", "household-detail", "resident-detail", "indicator-value-list",
                     "admin:registry_household_change", "admin:audit_auditentry_changelist", "api-docs",
                     "lot-detail", "raw-material-area-list", "admin:economy_product_change"]:
        assert expected in names, expected
    assert len(ROUTES) >= 100


def test_public_allow_list_names_existing_routes() -> None:
    """A stale entry would silently make a future route of that name public."""
    assert sorted(PUBLIC_ROUTES - {r.name for r in ROUTES}) == []


def test_editor_is_shown_every_secret_somewhere(world: World) -> None:
    """The leak checks are only as good as their strings: each one must be visible to the editor
    on some route of commune A, or the walk would pass for the wrong reason."""
    client = _clients(world)["editor"]
    seen: set[str] = set()
    for route in ROUTES:
        if route.name in PUBLIC_ROUTES:
            continue
        for kwargs, owner in fill(route, world):
            if owner == "a":
                seen.update(leaked(_body(client.get(_url(route, kwargs))), world.shown_a))
    assert sorted(set(world.shown_a) - seen) == []


def test_unknown_parameter_fails_loudly(world: World) -> None:
    route = Route("x/<int:mystery_id>/", "x/%(mystery_id)s/", ("mystery_id",), "x", lambda request: None)
    with pytest.raises(pytest.fail.Exception, match="mystery_id"):
        fill(route, world)
