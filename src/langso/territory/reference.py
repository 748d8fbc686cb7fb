"""The national list of administrative units, read from the installed data packages.

Nothing here touches the database: :func:`read_reference` returns plain records that
``actions.load_units`` writes. Sources, and what is taken from each:

- ``vietnam-provinces`` (PyPI, GPL-3.0-or-later; ``__version__``/``__data_version__`` are
  recorded in every lineage row): the 34 provinces and 3,321 commune-level units in force since
  2025-07-01 (Decision 19/2025/QĐ-TTg codes); the legacy module's 63 provinces, 696 districts
  and communes; the ward conversion table ``_ward_conversion_2025`` (old commune → new
  commune(s), with ``is_partly_merged``), itself generated from the government's table
  "BangChuyendoiĐVHCmoi_cu".
- ``vietnamadminunits`` (PyPI, MIT): centroids and official areas of the current units,
  centroids of the legacy ones, and the five island districts that had no communes and became
  special zones (đặc khu). Its SQLite file and JSON are read directly: the package's own
  ``__init__`` imports an address converter that calls an online geocoder, and that code must
  never run, so the package is located with ``importlib.util.find_spec`` (which does not
  import it) and never imported.

Decisions, each counted in :attr:`ReferenceData.notes`:

- The legacy communes loaded are exactly the old codes of the conversion table (10,033): those
  are the units in force on 2025-06-30. ``vietnam-provinces``' legacy list also holds 28 communes
  merged away by the 2023–2025 rearrangement (effective 2025-01-01); they are reported as skipped
  rather than given a false ``valid_to``. Ten communes created by that rearrangement are missing
  from the legacy list; their names come from ``vietnamadminunits``.
- Where ``vietnamadminunits`` (which reflects that rearrangement) names a legacy unit with a
  different type (Huyện Mộc Châu → Thị xã Mộc Châu, Xã Mường Sang → Phường Mường Sang …), its full
  name and type win. Differences of accent placement only ("Hoà"/"Hòa") keep the
  ``vietnam-provinces`` spelling.
- The province lineage is derived from the commune table through each legacy commune's district,
  not taken from ``_province_conversion_2025``: that table inherits a wrong province code of
  legacy commune 27691 and so claims part of Tiền Giang (82) went to Tây Ninh (80).
- ``partial`` is the old commune's ``is_partly_merged`` from the old → new side of the table, or
  true when the old commune has several successors (the new → old side disagrees on 63 flags;
  the old → new side is the one consistent with the successor counts).
- ``vietnamadminunits`` gives 194 legacy communes exactly their district's centroid (its
  geocoder fell back to the district); when such a commune went wholly into one new commune,
  the new commune's centroid is the better estimate and is used instead.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .models import LEGACY_VALID_TO, REFORM_DATE, LineageEvent, Level, UnitType

CURRENT = "current"
LEGACY = "legacy"

CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


class UnitKey(NamedTuple):
    """Identifies a unit across the reform: ``era`` is ``"current"`` or ``"legacy"``, ``code`` the
    zero-padded statistics code (2 digits province, 3 district, 5 commune)."""

    era: str
    level: str
    code: str

    @property
    def valid_from(self) -> dt.date | None:
        return REFORM_DATE if self.era == CURRENT else None

    @property
    def valid_to(self) -> dt.date | None:
        return None if self.era == CURRENT else LEGACY_VALID_TO


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """One unit as the packages describe it. ``centroid`` is ``(lat, lon)`` in WGS84 degrees."""

    key: UnitKey
    name: str
    full_name: str
    unit_type: str
    parent: UnitKey | None
    province: UnitKey
    centroid: tuple[float, float] | None
    area_km2: float | None


@dataclass(frozen=True, slots=True)
class LineageRecord:
    """One edge old unit → new unit effective 2025-07-01."""

    predecessor: UnitKey
    successor: UnitKey
    event: str
    partial: bool
    source: str


@dataclass
class ReferenceData:
    """Everything :func:`read_reference` found: units ordered parents first, lineage edges,
    package records not loaded (``skipped``: ``(code, name, reason_vi, reason_en)``) and counted
    decisions (``notes``: ``(vi, en)``)."""

    units: list[UnitRecord]
    lineage: list[LineageRecord]
    skipped: list[tuple[str, str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)


# Division type (as the packages spell it) → our unit type and the canonical name prefix.
_CURRENT_TYPES = {
    "tỉnh": (UnitType.PROVINCE, "Tỉnh"),
    "thành phố trung ương": (UnitType.CENTRAL_CITY, "Thành phố"),
    "xã": (UnitType.COMMUNE, "Xã"),
    "phường": (UnitType.WARD, "Phường"),
    "đặc khu": (UnitType.SPECIAL_ZONE, "Đặc khu"),
}
_LEGACY_TYPES = {
    "tỉnh": (UnitType.PROVINCE, "Tỉnh"),
    "thành phố trung ương": (UnitType.CENTRAL_CITY, "Thành phố"),
    "huyện": (UnitType.RURAL_DISTRICT, "Huyện"),
    "quận": (UnitType.URBAN_DISTRICT, "Quận"),
    "thị xã": (UnitType.DISTRICT_TOWN, "Thị xã"),
    "thành phố": (UnitType.PROVINCIAL_CITY, "Thành phố"),
    "xã": (UnitType.COMMUNE, "Xã"),
    "thị trấn": (UnitType.TOWNSHIP, "Thị trấn"),
    "phường": (UnitType.WARD, "Phường"),
}
_LEGACY_LEVEL_TYPES = {
    Level.DISTRICT: ("huyện", "quận", "thị xã", "thành phố"),
    Level.COMMUNE: ("xã", "thị trấn", "phường"),
}


def split_full_name(full_name: str, prefix: str) -> tuple[str, str]:
    """Return ``(canonical full name, name)`` for a full name that starts with ``prefix``.

    The prefix is matched without regard to case (the packages write "xã Bắc Sơn" and
    "Thị Xã Mường Lay") and rewritten canonically. Numbered wards keep the prefix in their
    name ("Phường 14", not "14"), because a bare number is not a name.

    >>> split_full_name("xã Bắc Sơn", "Xã")
    ('Xã Bắc Sơn', 'Bắc Sơn')
    >>> split_full_name("Phường 14", "Phường")
    ('Phường 14', 'Phường 14')
    """
    from langso.lib.vietnamese import nfc

    text = nfc(full_name)
    if text.lower().startswith(prefix.lower() + " "):
        rest = text[len(prefix) + 1 :].strip()
    else:
        rest = text
    canonical = f"{prefix} {rest}"
    return canonical, canonical if rest[:1].isdigit() else rest


def _prefix_type(full_name: str, candidates: tuple[str, ...]) -> str | None:
    """Which of the division types ``candidates`` the full name starts with, if any."""
    lowered = full_name.lower()
    for kind in sorted(candidates, key=len, reverse=True):
        if lowered.startswith(kind + " "):
            return kind
    return None


def vietnamadminunits_dir() -> Path:
    """Folder of the installed ``vietnamadminunits`` package, found without importing it."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "Thiếu gói vietnamadminunits — the vietnamadminunits package is not installed"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _vau_rows(table: str) -> list[sqlite3.Row]:
    db = vietnamadminunits_dir() / "data" / "dataset.db"
    # Read-only URI: never write into site-packages.
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(f"SELECT * FROM [{table}]").fetchall()  # noqa: S608 — fixed names


def _commune_source(province_name: str, versions: dict[str, str], table: str) -> str:
    return (
        f"Nghị quyết của UBTVQH về sắp xếp ĐVHC cấp xã của {province_name[:1].lower()}{province_name[1:]} năm 2025 "
        f"(hiệu lực 01/07/2025); vietnam-provinces {versions['vietnam-provinces']} "
        f"(dữ liệu {versions['vietnam-provinces-data']}), bảng {table}"
    )


def _province_source(versions: dict[str, str], table: str) -> str:
    return (
        "Nghị quyết 202/2025/QH15 của Quốc hội về sắp xếp ĐVHC cấp tỉnh (hiệu lực 01/07/2025); "
        f"suy từ bảng {table} của vietnam-provinces {versions['vietnam-provinces']} "
        f"(dữ liệu {versions['vietnam-provinces-data']})"
    )


def _classify(partial: bool, n_predecessors: int, same_name: bool) -> str:
    if n_predecessors > 1:
        return LineageEvent.MERGE
    if partial:
        return LineageEvent.SPLIT
    return LineageEvent.CONTINUE if same_name else LineageEvent.RENAME


def read_reference() -> ReferenceData:
    """Read both packages and return every unit and lineage edge to load.

    Shapes: 34 + 3,321 current units, 63 + 696 + 10,033 legacy units (package version 2026.9.0);
    one lineage edge per (old commune, new commune) pair of the conversion table, one per island
    district → special zone, one per (old province, new province). Takes about half a second.
    Raises ``RuntimeError`` if ``vietnamadminunits`` is missing; ``ImportError`` if
    ``vietnam-provinces`` is.
    """
    import vietnam_provinces as vp
    from vietnam_provinces import Province, Ward
    from vietnam_provinces import _ward_conversion_2025 as conversion
    from vietnam_provinces.legacy import District as LegacyDistrict
    from vietnam_provinces.legacy import Province as LegacyProvince
    from vietnam_provinces.legacy import Ward as LegacyWard

    versions = {
        "vietnam-provinces": vp.__version__,
        "vietnam-provinces-data": vp.__data_version__,
        "vietnamadminunits": importlib.metadata.version("vietnamadminunits"),
    }
    units: list[UnitRecord] = []
    notes: list[tuple[str, str]] = []
    skipped: list[tuple[str, str, str, str]] = []

    # --- centroids and areas (vietnamadminunits) ---------------------------------------------
    cur_rows = _vau_rows("admin_units")
    cur_ward_geo = {r["wardCode"]: r for r in cur_rows}
    cur_prov_geo = {r["provinceCode"]: (r["provinceLat"], r["provinceLon"]) for r in cur_rows}
    leg_rows = _vau_rows("admin_units_legacy")
    leg_ward = {r["wardCode"]: r for r in leg_rows if r["wardCode"]}
    leg_district = {r["districtCode"]: r for r in leg_rows}
    leg_prov_geo = {r["provinceCode"]: (r["provinceLat"], r["provinceLon"]) for r in leg_rows}

    def point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
        return (float(lat), float(lon)) if lat is not None and lon is not None else None

    # --- current units ------------------------------------------------------------------------
    province_area: dict[str, float | None] = defaultdict(float)
    current_wards = sorted(Ward.iter_all(), key=lambda w: int(w.code))
    for ward in current_wards:
        pcode = f"{int(ward.province_code):02d}"
        area = cur_ward_geo.get(f"{int(ward.code):05d}", {"wardAreaKm2": None})["wardAreaKm2"]
        # A province's area is the sum of its communes' official areas, only if all are known.
        if area is None or province_area[pcode] is None:
            province_area[pcode] = None
        else:
            province_area[pcode] += area

    province_names: dict[str, str] = {}
    for province in sorted(Province.iter_all(), key=lambda p: int(p.code)):
        code = f"{int(province.code):02d}"
        unit_type, prefix = _CURRENT_TYPES[province.division_type.value]
        full, name = split_full_name(province.name, prefix)
        province_names[code] = full
        key = UnitKey(CURRENT, Level.PROVINCE, code)
        area = province_area.get(code)
        units.append(
            UnitRecord(
                key, name, full, unit_type, None, key,
                point(*cur_prov_geo.get(code, (None, None))),
                round(area, 2) if area else None,
            )
        )

    current_centroid: dict[str, tuple[float, float] | None] = {}
    current_full: dict[str, str] = {}
    for ward in current_wards:
        code = f"{int(ward.code):05d}"
        pkey = UnitKey(CURRENT, Level.PROVINCE, f"{int(ward.province_code):02d}")
        unit_type, prefix = _CURRENT_TYPES[ward.division_type.value]
        full, name = split_full_name(ward.name, prefix)
        geo = cur_ward_geo.get(code)
        centroid = point(geo["wardLat"], geo["wardLon"]) if geo else None
        current_centroid[code] = centroid
        current_full[code] = full
        units.append(
            UnitRecord(
                UnitKey(CURRENT, Level.COMMUNE, code), name, full, unit_type, pkey, pkey,
                centroid, geo["wardAreaKm2"] if geo else None,
            )
        )

    # --- legacy provinces and districts -------------------------------------------------------
    legacy_central: set[str] = set()
    legacy_province_full: dict[str, str] = {}
    for province in sorted(LegacyProvince.iter_all(), key=lambda p: int(p.code)):
        code = f"{int(province.code):02d}"
        unit_type, prefix = _LEGACY_TYPES[province.division_type.value]
        if unit_type == UnitType.CENTRAL_CITY:
            legacy_central.add(code)
        full, name = split_full_name(province.name, prefix)
        legacy_province_full[code] = full
        key = UnitKey(LEGACY, Level.PROVINCE, code)
        units.append(
            UnitRecord(
                key, name, full, unit_type, None, key,
                point(*leg_prov_geo.get(code, (None, None))), None,
            )
        )

    overridden = 0
    district_province: dict[str, str] = {}
    district_centroid: dict[str, tuple[float, float] | None] = {}
    district_full: dict[str, str] = {}
    for district in sorted(LegacyDistrict.iter_all(), key=lambda d: int(d.code)):
        code = f"{int(district.code):03d}"
        pcode = f"{int(district.province_code):02d}"
        kind = district.division_type.value
        full_name = district.name
        geo = leg_district.get(code)
        if geo is not None:
            vau_kind = _prefix_type(geo["district"], _LEGACY_LEVEL_TYPES[Level.DISTRICT])
            if vau_kind and vau_kind != kind:
                kind, full_name = vau_kind, geo["district"]
                overridden += 1
        unit_type, prefix = _LEGACY_TYPES[kind]
        if unit_type == UnitType.PROVINCIAL_CITY and pcode in legacy_central:
            unit_type = UnitType.MUNICIPAL_CITY  # Thủ Đức, Thủy Nguyên: cities of a central city
        full, name = split_full_name(full_name, prefix)
        pkey = UnitKey(LEGACY, Level.PROVINCE, pcode)
        centroid = point(geo["districtLat"], geo["districtLon"]) if geo else None
        district_province[code] = pcode
        district_centroid[code] = centroid
        district_full[code] = full
        units.append(
            UnitRecord(UnitKey(LEGACY, Level.DISTRICT, code), name, full, unit_type, pkey, pkey, centroid, None)
        )

    # --- legacy communes: the old side of the conversion table -------------------------------
    package_legacy = {f"{int(w.code):05d}": w for w in LegacyWard.iter_all()}
    old_to_new = conversion.OLD_TO_NEW
    new_to_old_count: dict[int, int] = defaultdict(int)
    for entry in old_to_new.values():
        for new in entry.new_wards:
            new_to_old_count[new.code] += 1

    from_vau = 0
    fallback_centroids = 0
    legacy_full: dict[str, str] = {}
    legacy_loaded: set[int] = set()
    for old_code in sorted(old_to_new):
        entry = old_to_new[old_code]
        code = f"{old_code:05d}"
        dcode = f"{entry.old_ward.district_code:03d}"
        if dcode not in district_province:
            skipped.append((code, "", f"huyện {dcode} không có trong danh sách cũ",
                            f"district {dcode} not in the legacy list"))
            continue
        geo = leg_ward.get(code)
        ward = package_legacy.get(code)
        if ward is not None:
            kind, full_name = ward.division_type.value, ward.name
            if geo is not None:
                vau_kind = _prefix_type(geo["ward"], _LEGACY_LEVEL_TYPES[Level.COMMUNE])
                if vau_kind and vau_kind != kind:
                    kind, full_name = vau_kind, geo["ward"]
                    overridden += 1
        elif geo is not None:
            kind = _prefix_type(geo["ward"], _LEGACY_LEVEL_TYPES[Level.COMMUNE]) or "xã"
            full_name = geo["ward"]
            from_vau += 1
        else:
            skipped.append((code, "", "không có tên trong cả hai gói", "named by neither package"))
            continue
        unit_type, prefix = _LEGACY_TYPES[kind]
        full, name = split_full_name(full_name, prefix)
        centroid = point(geo["wardLat"], geo["wardLon"]) if geo else None
        single = entry.new_wards[0].code if len(entry.new_wards) == 1 else None
        if (
            centroid is not None
            and centroid == district_centroid.get(dcode)
            and single is not None
            and not entry.old_ward.is_partly_merged
            and current_centroid.get(f"{single:05d}")
        ):
            centroid = current_centroid[f"{single:05d}"]
            fallback_centroids += 1
        dkey = UnitKey(LEGACY, Level.DISTRICT, dcode)
        pkey = UnitKey(LEGACY, Level.PROVINCE, district_province[dcode])
        legacy_full[code] = full
        legacy_loaded.add(old_code)
        units.append(
            UnitRecord(UnitKey(LEGACY, Level.COMMUNE, code), name, full, unit_type, dkey, pkey, centroid, None)
        )

    for code, ward in sorted(package_legacy.items()):
        if int(code) not in old_to_new:
            skipped.append(
                (code, ward.name,
                 "không có trong bảng chuyển đổi 2025: đã sáp nhập trước 30/06/2025",
                 "not in the 2025 conversion table: merged away before 2025-06-30")
            )

    # --- lineage: communes --------------------------------------------------------------------
    lineage: list[LineageRecord] = []
    province_edges: dict[str, set[str]] = defaultdict(set)
    current_province_of = {f"{int(w.code):05d}": f"{int(w.province_code):02d}" for w in current_wards}
    for old_code in sorted(legacy_loaded):
        entry = old_to_new[old_code]
        code = f"{old_code:05d}"
        partial = entry.old_ward.is_partly_merged or len(entry.new_wards) > 1
        for new in entry.new_wards:
            new_code = f"{new.code:05d}"
            if new_code not in current_full:
                skipped.append((code, legacy_full[code], f"xã mới {new_code} không tồn tại",
                                f"new commune {new_code} does not exist"))
                continue
            new_province = current_province_of[new_code]
            province_edges[district_province[f"{entry.old_ward.district_code:03d}"]].add(new_province)
            lineage.append(
                LineageRecord(
                    UnitKey(LEGACY, Level.COMMUNE, code),
                    UnitKey(CURRENT, Level.COMMUNE, new_code),
                    _classify(partial, new_to_old_count[new.code], legacy_full[code] == current_full[new_code]),
                    partial,
                    _commune_source(province_names[new_province], versions, conversion.SOURCE),
                )
            )

    # --- lineage: island districts without communes → special zones (vietnamadminunits) -------
    converter = json.loads(
        (vietnamadminunits_dir() / "data" / "converter_2025.json").read_text(encoding="utf-8")
    )
    district_by_key = {(r["provinceKey"], r["districtKey"]): r["districtCode"] for r in leg_rows}
    ward_by_key = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in cur_rows}
    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, olds in wards.items():
            for old in olds:
                old_pkey, old_dkey, old_wkey = old.split("_")
                if old_wkey:
                    continue  # commune-level: the conversion table above is the authority
                dcode = district_by_key.get((old_pkey, old_dkey))
                new_code = ward_by_key.get((new_pkey, new_wkey))
                if dcode not in district_province or new_code not in current_full:
                    continue
                if new_to_old_count.get(int(new_code)):
                    continue  # the special zone has commune predecessors: no district edge
                province_edges[district_province[dcode]].add(current_province_of[new_code])
                lineage.append(
                    LineageRecord(
                        UnitKey(LEGACY, Level.DISTRICT, dcode),
                        UnitKey(CURRENT, Level.COMMUNE, new_code),
                        _classify(False, 1, district_full[dcode] == current_full[new_code]),
                        False,
                        f"vietnamadminunits {versions['vietnamadminunits']} converter_2025.json: "
                        "huyện không có ĐVHC cấp xã thành đặc khu (hiệu lực 01/07/2025)",
                    )
                )

    # --- lineage: provinces, derived from the communes ---------------------------------------
    new_province_preds: dict[str, int] = defaultdict(int)
    for news in province_edges.values():
        for new in news:
            new_province_preds[new] += 1
    for old in sorted(province_edges):
        news = province_edges[old]
        for new in sorted(news):
            partial = len(news) > 1
            lineage.append(
                LineageRecord(
                    UnitKey(LEGACY, Level.PROVINCE, old),
                    UnitKey(CURRENT, Level.PROVINCE, new),
                    _classify(partial, new_province_preds[new], legacy_province_full[old] == province_names[new]),
                    partial,
                    _province_source(versions, conversion.SOURCE),
                )
            )

    notes.append((f"{overridden} đơn vị cũ lấy tên/loại theo vietnamadminunits (sắp xếp 2023–2025)",
                  f"{overridden} legacy units take name/type from vietnamadminunits (2023–2025 rearrangement)"))
    notes.append((f"{from_vau} xã cũ chỉ có tên trong vietnamadminunits",
                  f"{from_vau} legacy communes named by vietnamadminunits only"))
    notes.append((f"{fallback_centroids} xã cũ dùng tâm của xã mới (tâm gốc trùng tâm huyện)",
                  f"{fallback_centroids} legacy communes use their new commune's centroid "
                  "(geocoded centroid was the district's)"))
    return ReferenceData(units, lineage, skipped, notes, versions)
