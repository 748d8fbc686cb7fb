"""Admin of the rural economy registers, scoped by commune; every save goes through
:mod:`langso.economy.actions`.

The rules are those of :class:`langso.accounts.admin.ScopedAdmin` (docs/access.md): rows come only
through ``visible_to(scope)`` (an object of another commune is "does not exist"), commune officers
add and change their own commune's rows, province officers only view, nobody deletes. On top:

- a register is added only through its ``create_*`` action, and a row changes only where the app
  has an action for that change — the other fields of the change page are read-only:

  ========================  ==================================  ================================
  register                  add                                 change
  ========================  ==================================  ================================
  Cooperative               ``create_cooperative`` (members)    status: ``set_cooperative_status``
  Producer                  ``create_producer``                 ``set_declares_ecommerce``
  RawMaterialArea           ``create_raw_material_area``        technologies: ``set_area_technologies``
  Product                   ``create_product``                  OCOP: ``certify_ocop``
  LinkageModel              ``create_linkage``                  — (view only)
  Store                     ``open_store``                      closing: ``close_store``
  Listing                   ``list_product``                    withdrawal: ``withdraw_listing``
  Lot                       ``create_lot``                      — (view only; events inline)
  TraceEvent                ``add_trace_event``                 — (view only)
  ========================  ==================================  ================================

- the economy actions leave the access check to their caller (their module docstring): here
  :meth:`EconomyAdmin.authorise` checks that the acting user writes the row's commune
  (``require_write``, 404 otherwise) before any action runs, on top of the admin's permissions
  and of foreign-key choices limited to rows the user may write;
- the model's own constraint checks are left out of the admin forms: the action's trial run
  (``ActionAdminMixin``) gives the same rule with its Vietnamese and English message on the
  field, and the database keeps the constraints;
- Django's ``save_related`` (``form.save_m2m()``) is not run: member and participating
  households are written by the actions, never by the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from langso.accounts.access import Scope, require_write, scope_for
from langso.accounts.admin import ScopedAdmin
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold
from langso.registry.models import BusinessHousehold, Household

from . import actions, trace
from .forms import LABELS
from .models import (
    Cooperative,
    CooperativeMember,
    CooperativeStatus,
    EventKind,
    LinkageModel,
    Listing,
    Lot,
    Producer,
    ProducerKind,
    Product,
    RawMaterialArea,
    Store,
    TraceEvent,
)

# Form labels, Vietnamese then English: the web forms' labels plus the admin's own field names.
ADMIN_LABELS = {
    **LABELS,
    "commune": "Xã / Commune", "description": "Mô tả / Description", "note": "Ghi chú / Note",
    "ocop_score": LABELS["score"], "ocop_certificate_number": LABELS["certificate_number"],
    "ocop_certified_on": LABELS["certified_on"], "closed_on": "Ngày đóng / Closed on",
    "withdrawn_on": "Ngày ngừng bán / Withdrawn on", "lot": "Lô / Lot", "kind": "Loại / Kind",
}
STATUS_ON_LABEL = "Ngày chuyển trạng thái / Date of the change"
# Rows a new record may point to: those still in use (not closed, dissolved, withdrawn, retired).
OPEN_ROWS = {
    Cooperative: Q(dissolved_on__isnull=True), Producer: Q(closed_on__isnull=True),
    RawMaterialArea: Q(retired_on__isnull=True), Product: Q(withdrawn_on__isnull=True),
    Store: Q(closed_on__isnull=True), BusinessHousehold: Q(closed_on__isnull=True),
}


class ActionModelForm(forms.ModelForm):
    """Type checks only (field types, lengths, choices). Uniqueness and the models' check
    constraints are the actions' rules: their trial run puts the message on the right field."""

    def validate_unique(self) -> None:
        return None

    def validate_constraints(self) -> None:
        return None


class _ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page for reading; they are written by the actions."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Shown on a parent page the user may already see; its rows are that parent's.
        return not scope_for(request.user).is_empty


class EconomyAdmin(ScopedAdmin):
    """Scoped admin of one economy register.

    ``add_fields``: the add form (what the ``create_*`` action takes); ``change_fields``: what the
    change page shows; ``update_fields``: those of them the change action takes (all others are
    read-only). ``folded_search``: the search term is folded (no accents, lower case) to match
    ``search_name`` columns. ``choice_filters``: extra conditions on a foreign key's choices.
    """

    form = ActionModelForm
    add_fields: tuple[str, ...] = ()
    change_fields: tuple[str, ...] = ()
    folded_search = False
    choice_filters: dict[str, Q] = {}

    # --- access --------------------------------------------------------------------------

    @staticmethod
    def authorise(actor: Any, commune_id: int) -> None:
        """Raise ``Http404`` unless ``actor`` writes the commune (the economy actions do not check)."""
        require_write(scope_for(actor), commune_id)

    def is_final(self, obj: models.Model) -> bool:
        """True for a row whose change action has already been applied for good (a closed store)."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is not None and self.is_final(obj):
            return False
        return super().has_change_permission(request, obj)

    # --- forms ---------------------------------------------------------------------------

    def get_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[str]:
        if obj is None:
            return list(self.add_fields)
        declared = set(self.form.declared_fields)
        if not self.has_change_permission(request, obj):
            return [f for f in self.change_fields if f not in declared]
        return list(self.change_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[str]:
        if obj is None:
            return []
        return [f for f in self.change_fields if f not in self.update_fields]

    def get_form(self, request: HttpRequest, obj: models.Model | None = None, change: bool = False, **kwargs: Any):
        kwargs.setdefault("labels", ADMIN_LABELS)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: models.Model | None) -> list:
        return list(self.inlines) if obj is not None else []

    def writable_choices(self, scope: Scope, db_field: models.ForeignKey) -> QuerySet | None:
        related = db_field.related_model
        if related in (*OPEN_ROWS, Lot):
            choices = scope.filter_writable(related._default_manager.filter(OPEN_ROWS.get(related, Q())))
            return choices.filter(self.choice_filters.get(db_field.name, Q()))
        return super().writable_choices(scope, db_field)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Household:
            kwargs["queryset"] = self.scope(request).filter_writable(Household.objects.all())
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        term = fold(search_term) if self.folded_search and search_term else search_term
        return super().get_search_results(request, queryset, term)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """No ``form.save_m2m()``: related rows (members, participating households) were written by
        the action. The inlines are read-only; saving their formsets writes nothing (it only
        records, for the admin's history message, that nothing changed)."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @staticmethod
    def _changed(changes: dict[str, Any], original: models.Model, name: str) -> Any:
        return changes[name] if name in changes else getattr(original, name)


# --- cooperatives -------------------------------------------------------------------------------

class CooperativeMemberInline(_ReadOnlyInline):
    model = CooperativeMember
    fields = ["household", "joined_on", "left_on"]
    readonly_fields = fields
    verbose_name = "hộ thành viên / member household"
    verbose_name_plural = "hộ thành viên / member households"


class CooperativeForm(ActionModelForm):
    status_on = forms.DateField(required=False, label=STATUS_ON_LABEL,
                                help_text="Ngày giải thể, tạm ngừng hay hoạt động lại; để trống: hôm nay. / "
                                          "Date of the dissolution, suspension or restart; empty: today.")


@admin.register(Cooperative)
class CooperativeAdmin(EconomyAdmin):
    """Cooperatives and groups: registered with their member households (Law 17/2023/QH15);
    afterwards only their status changes."""

    form = CooperativeForm
    can_add = True
    can_change = True
    add_fields = ("commune", "kind", "name", "registration_number", "registered_on", "sector", "members")
    change_fields = ("commune", "kind", "name", "registration_number", "registered_on", "sector", "member_count",
                     "status", "dissolved_on", "status_on")
    update_fields = ("status", "status_on")
    folded_search = True
    list_display = ["name", "kind", "registration_number", "sector", "status", "member_count", "registered_on",
                    "dissolved_on", "commune"]
    list_filter = ["kind", "sector", "status", ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune"]
    search_fields = ["search_name", "registration_number__iexact"]
    inlines = [CooperativeMemberInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(
            n_members=Count("memberships", filter=Q(memberships__left_on__isnull=True)))

    @admin.display(description="Số hộ thành viên / Member households", ordering="n_members")
    def member_count(self, obj: Cooperative) -> int:
        return getattr(obj, "n_members", None) or obj.memberships.filter(left_on__isnull=True).count()

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "members":
            # A relation with its own table (joined_on, commune): Django offers no form field for it.
            return forms.ModelMultipleChoiceField(
                queryset=self.scope(request).filter_writable(Household.objects.all()), required=False,
                widget=AutocompleteSelectMultiple(db_field, self.admin_site), label=LABELS["members"],
                help_text="Hợp tác xã: ít nhất 5 hộ; tổ hợp tác: ít nhất 2. / A cooperative: at least 5; a group: 2.")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def create(self, actor: Any, data: dict[str, Any]) -> Cooperative:
        self.authorise(actor, data["commune"].pk)
        return actions.create_cooperative(
            actor, data["commune"], kind=data["kind"], name=data["name"], registered_on=data["registered_on"],
            sector=data["sector"], registration_number=data.get("registration_number") or "",
            member_household_ids=[h.pk for h in data.get("members") or []],
        )

    def update(self, actor: Any, original: Cooperative, changes: dict[str, Any]) -> Cooperative:
        self.authorise(actor, original.commune_id)
        if not changes:
            return original
        status = self._changed(changes, original, "status")
        on = changes.get("status_on") or (original.dissolved_on if status == CooperativeStatus.DISSOLVED else None)
        return actions.set_cooperative_status(actor, original, status=status, on=on or timezone.localdate())


# --- producers ----------------------------------------------------------------------------------

@admin.register(Producer)
class ProducerAdmin(EconomyAdmin):
    """Producers: recorded with the link matching their kind; afterwards only their declaration
    of selling online changes."""

    can_add = True
    can_change = True
    add_fields = ("commune", "kind", "trade_name", "household", "business", "cooperative", "tax_code", "village",
                  "declares_ecommerce", "registered_on")
    change_fields = ("commune", "kind", "trade_name", "household", "business", "cooperative", "tax_code", "village",
                     "registered_on", "closed_on", "declares_ecommerce")
    update_fields = ("declares_ecommerce",)
    folded_search = True
    list_display = ["trade_name", "kind", "village", "declares_ecommerce", "registered_on", "closed_on", "commune"]
    list_filter = ["kind", "declares_ecommerce", ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune", "village"]
    search_fields = ["search_name", "=tax_code"]
    autocomplete_fields = ["household", "business"]

    def create(self, actor: Any, data: dict[str, Any]) -> Producer:
        self.authorise(actor, data["commune"].pk)
        return actions.create_producer(
            actor, data["commune"], kind=data["kind"], trade_name=data["trade_name"],
            registered_on=data["registered_on"], household=data.get("household"), business=data.get("business"),
            cooperative=data.get("cooperative"), tax_code=data.get("tax_code") or "", village=data.get("village"),
            declares_ecommerce=bool(data.get("declares_ecommerce")),
        )

    def update(self, actor: Any, original: Producer, changes: dict[str, Any]) -> Producer:
        self.authorise(actor, original.commune_id)
        if "declares_ecommerce" not in changes:
            return original
        return actions.set_declares_ecommerce(actor, original, bool(changes["declares_ecommerce"]))


# --- raw-material areas -------------------------------------------------------------------------

@admin.register(RawMaterialArea)
class RawMaterialAreaAdmin(EconomyAdmin):
    """Raw-material areas: the polygon is given once (GeoJSON; the hectares are computed);
    afterwards only the digital technologies applied change (ECO-3)."""

    can_add = True
    can_change = True
    add_fields = ("commune", "village", "name", "crop", "geometry", "growing_area_code", "uses_traceability",
                  "uses_farming_diary", "uses_sensors", "created_on")
    change_fields = ("commune", "village", "name", "crop", "area_ha", "centroid_lat", "centroid_lon",
                     "growing_area_code", "created_on", "retired_on", "geometry", "uses_traceability",
                     "uses_farming_diary", "uses_sensors")
    update_fields = ("uses_traceability", "uses_farming_diary", "uses_sensors")
    list_display = ["name", "crop", "area_ha", "growing_area_code", "digital", "created_on", "retired_on", "commune"]
    list_filter = ["uses_traceability", "uses_farming_diary", "uses_sensors",
                   ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune"]
    search_fields = ["name", "crop", "growing_area_code__iexact"]

    @admin.display(description="Công nghệ số / Digital technology", boolean=True)
    def digital(self, obj: RawMaterialArea) -> bool:
        return obj.applies_digital_technology

    def create(self, actor: Any, data: dict[str, Any]) -> RawMaterialArea:
        self.authorise(actor, data["commune"].pk)
        return actions.create_raw_material_area(
            actor, data["commune"], name=data["name"], crop=data["crop"], geometry=data["geometry"],
            created_on=data["created_on"], growing_area_code=data.get("growing_area_code") or "",
            village=data.get("village"), uses_traceability=bool(data.get("uses_traceability")),
            uses_farming_diary=bool(data.get("uses_farming_diary")), uses_sensors=bool(data.get("uses_sensors")),
        )

    def update(self, actor: Any, original: RawMaterialArea, changes: dict[str, Any]) -> RawMaterialArea:
        self.authorise(actor, original.commune_id)
        if not changes:
            return original
        return actions.set_area_technologies(
            actor, original, traceability=bool(self._changed(changes, original, "uses_traceability")),
            farming_diary=bool(self._changed(changes, original, "uses_farming_diary")),
            sensors=bool(self._changed(changes, original, "uses_sensors")),
        )


# --- products -----------------------------------------------------------------------------------

@admin.register(Product)
class ProductAdmin(EconomyAdmin):
    """Products: recorded for a producer; afterwards only the OCOP ranking is entered (score,
    certificate number and date; stars and expiry are computed — Decision 148/QĐ-TTg)."""

    can_add = True
    can_change = True
    add_fields = ("producer", "name", "group", "description", "gtin", "is_key_product", "vietgap", "organic",
                  "created_on")
    change_fields = ("commune", "producer", "name", "group", "description", "gtin", "is_key_product", "vietgap",
                     "organic", "created_on", "withdrawn_on", "ocop_score", "ocop_certificate_number",
                     "ocop_certified_on", "ocop_stars", "ocop_expires_on", "expiring")
    update_fields = ("ocop_score", "ocop_certificate_number", "ocop_certified_on")
    folded_search = True
    list_display = ["name", "producer", "group", "ocop_stars", "ocop_expires_on", "expiring", "gtin",
                    "is_key_product", "commune"]
    list_filter = ["group", "ocop_stars", "is_key_product", "vietgap", "organic",
                   ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune", "producer"]
    search_fields = ["search_name", "=gtin", "ocop_certificate_number__iexact"]

    @admin.display(description="Sắp hết hạn OCOP / OCOP expiring soon", boolean=True)
    def expiring(self, obj: Product) -> bool:
        return obj.expiring_soon(timezone.localdate())

    def create(self, actor: Any, data: dict[str, Any]) -> Product:
        producer = data["producer"]
        self.authorise(actor, producer.commune_id)
        return actions.create_product(
            actor, producer, name=data["name"], group=data["group"], created_on=data["created_on"],
            gtin=data.get("gtin") or "", is_key_product=bool(data.get("is_key_product")),
            vietgap=bool(data.get("vietgap")), organic=bool(data.get("organic")),
            description=data.get("description") or "",
        )

    def update(self, actor: Any, original: Product, changes: dict[str, Any]) -> Product:
        self.authorise(actor, original.commune_id)
        if not changes:
            return original
        certified_on = self._changed(changes, original, "ocop_certified_on")
        if certified_on is None:
            raise RuleViolation("ocop_certified_on", "economy.ocop.certified_on_required",
                                "Nhập ngày cấp giấy chứng nhận.", "Enter the date of the certificate.",
                                actions.OCOP_SOURCE)
        return actions.certify_ocop(actor, original, score=self._changed(changes, original, "ocop_score"),
                                    certificate_number=self._changed(changes, original, "ocop_certificate_number"),
                                    certified_on=certified_on)


# --- linkage models -----------------------------------------------------------------------------

@admin.register(LinkageModel)
class LinkageModelAdmin(EconomyAdmin):
    """Production-linkage models (Decree 98/2018/NĐ-CP): added with their households; there is no
    change action, so a recorded model is view only."""

    can_add = True
    add_fields = ("commune", "name", "lead", "product", "raw_material_area", "households", "contract_signed_on",
                  "contract_ends_on", "volume_tonnes_per_year")
    change_fields = ("commune", "name", "lead", "product", "raw_material_area", "household_count",
                     "contract_signed_on", "contract_ends_on", "volume_tonnes_per_year")
    choice_filters = {"lead": Q(kind__in=[ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE])}
    list_display = ["name", "lead", "product", "raw_material_area", "household_count", "contract_signed_on",
                    "contract_ends_on", "volume_tonnes_per_year", "commune"]
    list_filter = ["product__is_key_product", ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune", "lead", "product", "raw_material_area"]
    search_fields = ["name"]
    autocomplete_fields = ["households"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(n_households=Count("households", distinct=True))

    @admin.display(description="Số hộ tham gia / Participating households", ordering="n_households")
    def household_count(self, obj: LinkageModel) -> int:
        return getattr(obj, "n_households", None) or obj.households.count()

    def create(self, actor: Any, data: dict[str, Any]) -> LinkageModel:
        self.authorise(actor, data["commune"].pk)
        return actions.create_linkage(
            actor, data["commune"], name=data["name"], lead=data["lead"], product=data.get("product"),
            raw_material_area=data.get("raw_material_area"), contract_signed_on=data["contract_signed_on"],
            contract_ends_on=data.get("contract_ends_on"), volume_tonnes_per_year=data.get("volume_tonnes_per_year"),
            household_ids=[h.pk for h in data.get("households") or []],
        )


# --- stores and listings ------------------------------------------------------------------------

@admin.register(Store)
class StoreAdmin(EconomyAdmin):
    """E-commerce stores: opened on a platform's host; closing one (its date) withdraws its
    listings. A closed store is view only."""

    can_add = True
    can_change = True
    add_fields = ("producer", "platform", "name", "url", "opened_on")
    change_fields = ("commune", "producer", "platform", "name", "url", "opened_on", "closed_on")
    update_fields = ("closed_on",)
    list_display = ["name", "platform", "producer", "opened_on", "closed_on", "commune"]
    list_filter = ["platform", ("closed_on", admin.EmptyFieldListFilter),
                   ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune", "producer"]
    search_fields = ["name", "url"]

    def is_final(self, obj: Store) -> bool:
        return obj.closed_on is not None

    def create(self, actor: Any, data: dict[str, Any]) -> Store:
        producer = data["producer"]
        self.authorise(actor, producer.commune_id)
        return actions.open_store(actor, producer, platform=data["platform"], name=data["name"], url=data["url"],
                                  opened_on=data["opened_on"])

    def update(self, actor: Any, original: Store, changes: dict[str, Any]) -> Store:
        self.authorise(actor, original.commune_id)
        if not changes.get("closed_on"):
            return original
        return actions.close_store(actor, original, changes["closed_on"])


@admin.register(Listing)
class ListingAdmin(EconomyAdmin):
    """A product offered in a store (integer VND); withdrawing it (its date) is the only change."""

    can_add = True
    can_change = True
    add_fields = ("store", "product", "price_vnd", "url", "listed_on")
    change_fields = ("commune", "store", "product", "price_vnd", "url", "listed_on", "withdrawn_on")
    update_fields = ("withdrawn_on",)
    list_display = ["product", "store", "price_vnd", "listed_on", "withdrawn_on", "commune"]
    list_filter = ["store__platform", ("withdrawn_on", admin.EmptyFieldListFilter),
                   ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune", "store", "product"]
    search_fields = ["product__name", "store__name"]

    def is_final(self, obj: Listing) -> bool:
        return obj.withdrawn_on is not None

    def create(self, actor: Any, data: dict[str, Any]) -> Listing:
        store = data["store"]
        self.authorise(actor, store.commune_id)
        return actions.list_product(actor, store, data["product"], price_vnd=data["price_vnd"],
                                    listed_on=data["listed_on"], url=data.get("url") or "")

    def update(self, actor: Any, original: Listing, changes: dict[str, Any]) -> Listing:
        self.authorise(actor, original.commune_id)
        if not changes.get("withdrawn_on"):
            return original
        return actions.withdraw_listing(actor, original, changes["withdrawn_on"])


# --- lots and events ----------------------------------------------------------------------------

class TraceEventInline(_ReadOnlyInline):
    model = TraceEvent
    fields = ["kind", "occurred_on", "party", "place", "quantity", "document", "note"]
    readonly_fields = fields
    verbose_name = "sự kiện / event"
    verbose_name_plural = "sự kiện truy xuất / trace events"


@admin.register(Lot)
class LotAdmin(EconomyAdmin):
    """Traceable lots (GS1 AI 10): added with their "produced" event; view only afterwards, with
    the GS1 Digital Link URI and the events. Events are added on the trace-event page."""

    can_add = True
    add_fields = ("product", "code", "produced_on", "harvested_on", "best_before", "raw_material_area", "quantity",
                  "unit")
    change_fields = ("commune", "product", "code", "uri", "produced_on", "harvested_on", "best_before",
                     "raw_material_area", "quantity", "unit")
    list_display = ["code", "product", "produced_on", "best_before", "quantity", "unit", "commune"]
    list_filter = ["unit", ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune", "product"]
    search_fields = ["code__iexact", "product__name"]
    inlines = [TraceEventInline]

    @admin.display(description="Địa chỉ truy xuất (GS1 Digital Link) / Trace URI")
    def uri(self, obj: Lot) -> str:
        return trace.lot_uri(obj)

    def create(self, actor: Any, data: dict[str, Any]) -> Lot:
        product = data["product"]
        self.authorise(actor, product.commune_id)
        return actions.create_lot(
            actor, product, code=data["code"], produced_on=data["produced_on"], quantity=data["quantity"],
            unit=data["unit"], harvested_on=data.get("harvested_on"), best_before=data.get("best_before"),
            raw_material_area=data.get("raw_material_area"),
        )


@admin.register(TraceEvent)
class TraceEventAdmin(EconomyAdmin):
    """Events of lots: one step back (received) or forward (shipped) — Circular 02/2024/TT-BKHCN;
    the "produced" event comes with the lot. View only once recorded."""

    can_add = True
    add_fields = ("lot", "kind", "occurred_on", "party", "place", "quantity", "document", "note")
    change_fields = ("commune", *add_fields)
    list_display = ["lot", "kind", "occurred_on", "party", "place", "quantity", "document", "commune"]
    list_filter = ["kind", ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune", "lot"]
    search_fields = ["lot__code__iexact", "party", "document__iexact"]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "kind":
            kwargs["choices"] = [(k.value, k.label) for k in (EventKind.RECEIVED, EventKind.SHIPPED)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def create(self, actor: Any, data: dict[str, Any]) -> TraceEvent:
        lot = data["lot"]
        self.authorise(actor, lot.commune_id)
        return actions.add_trace_event(
            actor, lot, kind=data["kind"], occurred_on=data["occurred_on"], party=data["party"],
            place=data.get("place") or "", quantity=data.get("quantity"), document=data.get("document") or "",
            note=data.get("note") or "",
        )

