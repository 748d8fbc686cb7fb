"""Every write to the administrative geography: loading the national unit list and importing
commune boundaries. Each runs in one transaction and writes one audit entry when it changed
something.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q

from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold, nfc

from . import geometry
from .models import LEGACY_VALID_TO, REFORM_DATE, AdministrativeUnit, Level, UnitLineage
from .reference import CURRENT, LEGACY, ReferenceData, UnitKey, read_reference

SHIPPED_BOUNDARIES = Path(__file__).resolve().parent / "data" / "boundaries" / "25_phu_tho_communes.geojson"
SHIPPED_PROVINCE = "25"
SHIPPED_SOURCE = (
    "thanglequoc/vietnamese-provinces-database (MIT), GIS 2026-07-25 (sapnhap.bando.com.vn), "
    "đơn giản hoá / simplified by Làng số: territory/data/boundaries/README.md"
)

# Fields the package decides. Centroid and area are handled apart: a boundary, once imported,
# is a better source for them than the package's geocoded point.
_NAME_FIELDS = ("name", "full_name", "unit_type", "parent_id", "province_id", "search_name")
_GEO_FIELDS = ("centroid_lat", "centroid_lon", "area_km2")


@dataclass
class LoadReport:
    """What :func:`load_units` did. Counters are keyed by ``(era, level)``, e.g.
    ``("current", "commune")``; ``kept`` counts rows of those eras the package no longer lists
    (never deleted); ``seconds`` is the wall time."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept: int = 0
    lineage_created: int = 0
    lineage_updated: int = 0
    lineage_unchanged: int = 0
    lineage_kept: int = 0
    skipped: list[tuple[str, str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values())
                    or self.lineage_created or self.lineage_updated)

    def lines(self, *, list_skipped: bool = True) -> list[str]:
        """Human summary, one line per fact, Vietnamese first then English; ``list_skipped``
        adds one line per skipped package record."""
        c, u, n = (sum(x.values()) for x in (self.created, self.updated, self.unchanged))
        out = [
            f"Đơn vị hành chính: tạo {c}, cập nhật {u}, giữ nguyên {n}, không còn trong gói {self.kept} "
            f"(không xoá) — Units: created {c}, updated {u}, unchanged {n}, no longer listed {self.kept} (kept)",
            f"Quan hệ kế thừa: tạo {self.lineage_created}, cập nhật {self.lineage_updated}, giữ nguyên "
            f"{self.lineage_unchanged}, không còn trong gói {self.lineage_kept} — Lineage: created "
            f"{self.lineage_created}, updated {self.lineage_updated}, unchanged {self.lineage_unchanged}, "
            f"no longer listed {self.lineage_kept}",
        ]
        for (era, level), count in sorted((self.created + self.updated + self.unchanged).items()):
            out.append(f"  {era} {level}: {count}")
        out.extend(f"{vi} — {en}" for vi, en in self.notes)
        if self.skipped:
            more = ":" if list_skipped else " (--show-skipped)"
            out.append(f"Bỏ qua {len(self.skipped)} bản ghi của gói{more} — Skipped {len(self.skipped)} package records{more}")
            if list_skipped:
                out.extend(f"  {code} {name}: {vi} — {en}" for code, name, vi, en in self.skipped)
        out.append(f"Nguồn / sources: {', '.join(f'{k} {v}' for k, v in self.versions.items())}")
        out.append(f"Thời gian {self.seconds:.2f} s — Time {self.seconds:.2f} s")
        return out


def load_units(*, actor: Any = None, reference: ReferenceData | None = None) -> LoadReport:
    """Create or update every administrative unit and lineage edge of the 2025 reform.

    Idempotent: a unit is found by ``(era, level, code)`` — current units are those valid from
    2025-07-01 with no end, legacy ones those ending 2025-06-30 — and only fields that differ are
    written, so a second run writes nothing (not even an audit entry). Names, types and parents
    follow the package; centroid and area follow it only for units without a boundary. Nothing is
    ever deleted: rows the package stops listing are counted in ``kept``.

    ``reference`` defaults to :func:`reference.read_reference` (tests pass a modified copy).
    Runs in one transaction with bulk inserts and updates: about 14,150 units and 10,630 edges
    in a few seconds. Raises ``django.db.IntegrityError`` if the database holds a conflicting
    unit (e.g. a current commune with one of the codes but another validity start).
    """
    started = time.perf_counter()
    ref = reference or read_reference()
    report = LoadReport(skipped=list(ref.skipped), notes=list(ref.notes), versions=dict(ref.versions))
    with transaction.atomic():
        # Plain rows, not model instances: comparing 14,000 dicts is several times cheaper, and
        # instances are built only for the rows that change.
        existing: dict[UnitKey, dict[str, Any]] = {}
        for row in AdministrativeUnit.objects.filter(
            Q(valid_to__isnull=True, valid_from=REFORM_DATE) | Q(valid_to=LEGACY_VALID_TO)
        ).values("id", "level", "code", "valid_from", "valid_to", *_NAME_FIELDS, *_GEO_FIELDS):
            era = CURRENT if row["valid_to"] is None else LEGACY
            existing[UnitKey(era, row["level"], row["code"])] = row
        ids = {key: row["id"] for key, row in existing.items()}
        with_boundary = set(AdministrativeUnit.objects.exclude(boundary="").values_list("pk", flat=True))
        seen: set[UnitKey] = set()

        # Parents before children: provinces, then districts, then communes.
        for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
            new_units: list[tuple[UnitKey, AdministrativeUnit]] = []
            changed: list[AdministrativeUnit] = []
            for rec in (r for r in ref.units if r.key.level == level):
                seen.add(rec.key)
                wanted = {
                    "name": rec.name,
                    "full_name": rec.full_name,
                    "unit_type": str(rec.unit_type),
                    "parent_id": ids[rec.parent] if rec.parent else None,
                    "province_id": ids.get(rec.province),  # None for a province not yet created
                    "search_name": fold(rec.name),
                    "centroid_lat": rec.centroid[0] if rec.centroid else None,
                    "centroid_lon": rec.centroid[1] if rec.centroid else None,
                    "area_km2": rec.area_km2,
                }
                row = existing.get(rec.key)
                if row is None:
                    unit = AdministrativeUnit(
                        code=rec.key.code, level=level, valid_from=rec.key.valid_from,
                        valid_to=rec.key.valid_to, **wanted,
                    )
                    new_units.append((rec.key, unit))
                    continue
                final = {name: row[name] for name in (*_NAME_FIELDS, *_GEO_FIELDS)}
                for name in _NAME_FIELDS:
                    if wanted[name] is not None or name != "province_id":
                        final[name] = wanted[name]
                if row["id"] not in with_boundary:  # no boundary imported: the package's point wins
                    for name in _GEO_FIELDS:
                        if wanted[name] is not None:
                            final[name] = wanted[name]
                if any(final[name] != row[name] for name in final):
                    changed.append(AdministrativeUnit(pk=row["id"], **final))
                    report.updated[(rec.key.era, str(level))] += 1
                else:
                    report.unchanged[(rec.key.era, str(level))] += 1

            if new_units:
                created = AdministrativeUnit.objects.bulk_create([u for _, u in new_units], batch_size=2000)
                for (key, _), unit in zip(new_units, created, strict=True):
                    ids[key] = unit.pk
                    report.created[(key.era, str(level))] += 1
                if level == Level.PROVINCE:
                    # A province is its own province; its id exists only now.
                    for _, unit in new_units:
                        unit.province_id = unit.pk
                    AdministrativeUnit.objects.bulk_update([u for _, u in new_units], ["province"])
            if changed:
                AdministrativeUnit.objects.bulk_update(
                    changed, [*_NAME_FIELDS, *_GEO_FIELDS], batch_size=1000
                )
        report.kept = len(set(existing) - seen)

        # Lineage edges, keyed by (predecessor id, successor id) as the unique constraint is.
        edge_fields = ("event", "partial", "source", "effective_on")
        edges = {
            (row[1], row[2]): row
            for row in UnitLineage.objects.values_list("id", "predecessor_id", "successor_id", *edge_fields)
        }
        wanted_edges: set[tuple[int, int]] = set()
        new_edges: list[UnitLineage] = []
        changed_edges: list[UnitLineage] = []
        for rec in ref.lineage:
            pair = (ids[rec.predecessor], ids[rec.successor])
            wanted_edges.add(pair)
            values = (str(rec.event), rec.partial, rec.source, REFORM_DATE)
            row = edges.get(pair)
            if row is None:
                new_edges.append(UnitLineage(predecessor_id=pair[0], successor_id=pair[1],
                                             **dict(zip(edge_fields, values, strict=True))))
            elif row[3:] != values:
                changed_edges.append(UnitLineage(pk=row[0], predecessor_id=pair[0], successor_id=pair[1],
                                                 **dict(zip(edge_fields, values, strict=True))))
            else:
                report.lineage_unchanged += 1
        UnitLineage.objects.bulk_create(new_edges, batch_size=2000)
        if changed_edges:
            UnitLineage.objects.bulk_update(changed_edges, list(edge_fields), batch_size=1000)
        report.lineage_created = len(new_edges)
        report.lineage_updated = len(changed_edges)
        ours = set(ids.values())
        report.lineage_kept = sum(
            1 for pair in edges if pair not in wanted_edges and pair[0] in ours and pair[1] in ours
        )

        if report.changed and connection.vendor == "postgresql":
            # Fresh statistics: without them the planner takes the freshly filled tables for
            # empty and joins 10,000 edges with nested loops (30 s instead of 50 ms for
            # crosswalk_to_current), until autovacuum gets to them — if it runs at all.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"ANALYZE {AdministrativeUnit._meta.db_table}, {UnitLineage._meta.db_table}"
                )
        report.seconds = time.perf_counter() - started
        if report.changed:
            record(
                actor, "territory.load_units", target_type="territory.AdministrativeUnit",
                target_id="*",
                data={
                    "created": sum(report.created.values()), "updated": sum(report.updated.values()),
                    "lineage_created": report.lineage_created, "lineage_updated": report.lineage_updated,
                    "versions": report.versions,
                },
            )
    return report


# --- boundaries ----------------------------------------------------------------------------


class BoundaryImportError(ValidationError):
    """A boundary file was refused; nothing was written.

    ``problems`` lists one :class:`RuleViolation` per problem, ``field`` naming the feature as
    ``features[i] (code)``. ``str()`` gives one line per problem.
    """

    def __init__(self, problems: list[RuleViolation]) -> None:
        self.problems = problems
        super().__init__(problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


@dataclass
class BoundaryReport:
    """What :func:`import_boundaries` did: ``updated`` codes in file order, ``repaired`` and
    ``warnings`` as ``(feature field, vi, en)``."""

    updated: list[str] = field(default_factory=list)
    repaired: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        n = len(self.updated)
        out = [f"Đã nhập ranh giới của {n} xã — Imported boundaries of {n} communes"]
        out.extend(f"{where}: {vi} — {en}" for where, vi, en in self.repaired + self.warnings)
        out.append(f"Thời gian {self.seconds:.2f} s — Time {self.seconds:.2f} s")
        return out


def _feature_code(feature: dict[str, Any]) -> str | None:
    """The commune code of a feature: ``id``, else ``properties.code``; digits zero-padded to 5.

    Returns ``None`` when neither is given; raises ``ValueError`` when both are given and differ.
    """
    props = feature.get("properties") or {}
    candidates = []
    for raw in (feature.get("id"), props.get("code") if isinstance(props, dict) else None):
        if raw is None or isinstance(raw, bool):
            continue
        text = nfc(str(raw))
        if text.isdigit() and len(text) <= 5:
            text = text.zfill(5)
        if text:
            candidates.append(text)
    if not candidates:
        return None
    if len(set(candidates)) > 1:
        raise ValueError(candidates)
    return candidates[0]


def _read_collection(source: str | Path | bytes | dict[str, Any]) -> dict[str, Any]:
    """Load a FeatureCollection from a path, raw bytes or an already-parsed dict."""

    def fail(rule: str, vi: str, en: str) -> BoundaryImportError:
        return BoundaryImportError([RuleViolation("file", rule, vi, en, "RFC 7946")])

    if isinstance(source, dict):
        data = source
    else:
        try:
            raw = Path(source).read_bytes() if not isinstance(source, bytes) else source
        except OSError as exc:
            raise fail("file.read", f"Không đọc được tệp ({exc})", f"Cannot read the file ({exc})") from exc
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise fail("file.encoding", "Tệp không phải UTF-8 (RFC 7946 §11 yêu cầu UTF-8)",
                       "The file is not UTF-8 (RFC 7946 §11 requires UTF-8)") from exc
        except json.JSONDecodeError as exc:
            raise fail("file.json", f"Tệp không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})",
                       f"The file is not valid JSON (line {exc.lineno}, column {exc.colno})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
        data.get("features"), list
    ):
        raise fail("file.type", "Tệp phải là một GeoJSON FeatureCollection",
                   "The file must be a GeoJSON FeatureCollection")
    if not data["features"]:
        raise fail("file.empty", "FeatureCollection không có đối tượng nào",
                   "The FeatureCollection has no features")
    return data


def import_boundaries(
    source: str | Path | bytes | dict[str, Any],
    *,
    province: str | None = None,
    boundary_source: str,
    actor: Any = None,
) -> BoundaryReport:
    """Set the boundary of current communes from a GeoJSON FeatureCollection, all or nothing.

    Each feature is keyed by its commune code (``id`` or ``properties.code``, 5 digits) and must
    name a current commune — of ``province`` (2-digit code) when given — at most once in the file.
    Its geometry must be a Polygon or MultiPolygon in WGS84 degrees; an invalid one is repaired
    with ``shapely.make_valid`` and the repair is reported. For each commune it sets ``boundary``
    (compact GeoJSON geometry text), ``boundary_source`` (``boundary_source``, NFC), ``area_km2``
    (ellipsoidal area of the polygon) and the centroid (inside the polygon; see
    :func:`geometry.inner_centroid`). A feature whose ``properties.name`` does not match the
    commune's name (accents ignored) is imported with a warning.

    Every problem of every feature is collected first; if there is any, raises
    :class:`BoundaryImportError` and writes nothing. Otherwise writes in one transaction and one
    audit entry. Returns a :class:`BoundaryReport`.
    """
    started = time.perf_counter()
    data = _read_collection(source)
    boundary_source = nfc(boundary_source)[:255]
    if not boundary_source:
        # A boundary without provenance cannot be trusted or re-derived later.
        raise BoundaryImportError([RuleViolation(
            "boundary_source", "boundary.source_missing", "Thiếu nguồn của ranh giới",
            "The source of the boundaries is missing",
        )])
    problems: list[RuleViolation] = []
    report = BoundaryReport()

    province_unit = None
    if province is not None:
        province = nfc(str(province)).zfill(2)
        province_unit = AdministrativeUnit.objects.current().provinces().filter(code=province).first()
        if province_unit is None:
            raise BoundaryImportError([RuleViolation(
                "province", "boundary.province",
                f"Mã tỉnh {province} không phải tỉnh hiện hành",
                f"Province code {province} is not a current province",
                "Quyết định 19/2025/QĐ-TTg",
            )])
    communes = {
        u.code: u
        for u in AdministrativeUnit.objects.current().communes().select_related("province").defer("boundary")
    }

    seen: dict[str, int] = {}
    updates: list[AdministrativeUnit] = []

    def problem(where: str, rule: str, vi: str, en: str, src: str = "") -> None:
        problems.append(RuleViolation(where, rule, vi, en, src))

    for index, feature in enumerate(data["features"]):
        where = f"features[{index}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problem(where, "feature.type", "Không phải một Feature GeoJSON", "Not a GeoJSON Feature", "RFC 7946 §3.2")
            continue
        try:
            code = _feature_code(feature)
        except ValueError as exc:
            problem(where, "feature.code_conflict", f"id và properties.code khác nhau: {exc.args[0]}",
                    f"id and properties.code differ: {exc.args[0]}")
            continue
        if code is None:
            problem(where, "feature.code_missing", "Thiếu mã xã (id hoặc properties.code)",
                    "Commune code missing (id or properties.code)")
            continue
        where = f"features[{index}] ({code})"
        unit = communes.get(code)
        if unit is None:
            problem(where, "feature.code_unknown", f"Mã {code} không phải đơn vị cấp xã hiện hành",
                    f"Code {code} is not a current commune-level unit", "Quyết định 19/2025/QĐ-TTg")
        elif province_unit is not None and unit.province_id != province_unit.pk:
            problem(where, "feature.code_province",
                    f"Xã {code} ({unit.full_name}) thuộc {unit.province.full_name}, không thuộc tỉnh {province}",
                    f"Commune {code} ({unit.full_name}) belongs to {unit.province.full_name}, not to province {province}")
        if code in seen:
            problem(where, "feature.code_duplicate", f"Mã {code} đã xuất hiện ở features[{seen[code]}]",
                    f"Code {code} already appears at features[{seen[code]}]")
        else:
            seen[code] = index
        try:
            geom = geometry.parse_polygonal(feature.get("geometry"))
            geom, repaired = geometry.repair(geom)
        except geometry.GeometryProblem as exc:
            problem(where, exc.rule, exc.vi, exc.en, "RFC 7946 §3.1")
            continue
        if repaired:
            report.repaired.append((where, "hình học không hợp lệ, đã sửa bằng make_valid",
                                    "invalid geometry repaired with make_valid"))
        if unit is None or problems:
            continue  # keep validating the rest, but build no update once anything failed
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        given = props.get("name")
        if isinstance(given, str) and given.strip() and fold(given) not in (fold(unit.name), fold(unit.full_name)):
            report.warnings.append((where, f"tên trong tệp {nfc(given)!r} khác tên {unit.full_name!r}",
                                    f"name in the file {nfc(given)!r} differs from {unit.full_name!r}"))
        lat, lon = geometry.inner_centroid(geom)
        unit.boundary = geometry.geojson_text(geom)
        unit.boundary_source = boundary_source
        unit.area_km2 = round(geometry.area_km2(geom), 3)
        unit.centroid_lat, unit.centroid_lon = round(lat, 6), round(lon, 6)
        updates.append(unit)

    if problems:
        raise BoundaryImportError(problems)
    with transaction.atomic():
        AdministrativeUnit.objects.bulk_update(
            updates, ["boundary", "boundary_source", "area_km2", "centroid_lat", "centroid_lon"], batch_size=200
        )
        report.updated = [u.code for u in updates]
        record(
            actor, "territory.import_boundaries", target_type="territory.AdministrativeUnit",
            target_id=province or "*", unit=province_unit,
            data={"communes": len(updates), "source": boundary_source,
                  "repaired": [w for w, _, _ in report.repaired]},
        )
    report.seconds = time.perf_counter() - started
    return report


def import_shipped_boundaries(*, actor: Any = None) -> BoundaryReport:
    """Import the Phú Thọ commune boundaries shipped with the package (148 communes, province 25).

    Requires :func:`load_units` first. Raises :class:`BoundaryImportError` otherwise.
    """
    return import_boundaries(
        SHIPPED_BOUNDARIES, province=SHIPPED_PROVINCE, boundary_source=SHIPPED_SOURCE, actor=actor
    )
