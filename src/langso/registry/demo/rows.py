"""Chunks of rows for :mod:`langso.registry.bulk`: households, residents and businesses drawn
with numpy from the plans (:mod:`.places`) and the people model (:mod:`.people`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import shapely

from langso.registry import bulk
from langso.registry.identifiers import rules as cccd_rules

from .data import tables
from .people import R_CHILD, R_SPOUSE, ROLE_VALUES, draw_names, draw_people, payment_scale, payment_weight
from .places import CommunePlan

# Bijective scramble of a per-prefix counter into the 6 random digits of a CCCD (odd, not a
# multiple of 5, so invertible modulo 10**6): numbers stay unique across chunks and runs.
_SERIAL_A, _SERIAL_B = 387_371, 104_729


class PopulationGenerator:
    """Rows for :func:`langso.registry.bulk.register_population`, chunk by chunk.

    ``plans`` must have their villages (:func:`prepare_villages`). ``cccd_counters`` maps a
    6-digit CCCD prefix (province, sex-century digit, 2-digit year) to how many numbers with it
    exist already; ``business_counters`` a commune id to its count of businesses. Both advance as
    chunks are drawn, so numbers stay unique.
    """

    def __init__(self, plans: list[CommunePlan], seed: int, as_of: dt.date, *,
                 cccd_counters: dict[int, int] | None = None, business_counters: dict[int, int] | None = None):
        self.plans = plans
        self.seed = seed
        self.as_of = as_of
        self.cccd_counters = dict(cccd_counters or {})
        self.business_counters = dict(business_counters or {})
        places = tables()["demo_places"]
        pyramid = tables()["population_vn2019"]["age_groups"]
        self.places = places
        self.payment_scale = np.array([payment_scale(p.payment_share, pyramid) for p in plans])
        self.gps_share = np.array([p.gps_share for p in plans])
        self.cccd_province = np.array([p.cccd_province for p in plans])
        self.local_names = np.array([p.names == "muong_thai" for p in plans])
        low, high = places["business_share"]
        self.business_share = float(np.random.default_rng([seed, 2]).uniform(low, high))
        self.elsewhere = np.array([int(code) for code in places["born_elsewhere_provinces"]])
        self.phones = np.array(places["phone_prefixes"], dtype=object)
        sectors = places["business_sectors"]
        self.sectors = np.array(list(sectors), dtype=object)
        weights = np.array([s["weight"] for s in sectors.values()], dtype=float)
        self.sector_p = weights / weights.sum()
        self.prefixes = [np.array(s["prefixes"], dtype=object) for s in sectors.values()]
        self.full_names = [p.unit.full_name for p in plans]
        self.century = {(start, sex): int(digit) for digit, (start, sex) in cccd_rules().century_sex.items()}

    def chunks(self, chunk_size: int) -> Iterator[tuple[list, list, list]]:
        """Yield ``(households, residents, businesses)`` row lists of at most ``chunk_size`` households."""
        commune_of = np.repeat(np.arange(len(self.plans)), [p.households for p in self.plans])
        for number, start in enumerate(range(0, len(commune_of), chunk_size)):
            rng = np.random.default_rng([self.seed, 3, number])
            yield self._chunk(rng, commune_of[start:start + chunk_size])

    def _chunk(self, rng: np.random.Generator, ci: np.ndarray) -> tuple[list, list, list]:
        n = len(ci)
        people = draw_people(rng, n)
        hh, age, male, role = people["hh"], people["age"], people["male"], people["role"]
        m = len(hh)
        pci = ci[hh]  # commune index per person
        as_of = np.datetime64(self.as_of, "D")
        dob = as_of - (age * 365.2425 + rng.uniform(0, 365, m)).astype("timedelta64[D]")
        years = dob.astype("datetime64[Y]").astype(int) + 1970
        names = draw_names(rng, people, years, self.local_names[ci])

        # CCCD: due at 14 (Law 26/2023/QH15); province of birth mostly the commune's former province.
        has_cccd = (age >= 14) & (rng.random(m) < self.places["cccd_share_14_plus"])
        province = np.where(rng.random(m) < self.places["born_elsewhere_share"],
                            self.elsewhere[rng.integers(0, len(self.elsewhere), m)], self.cccd_province[pci])
        century_digit = (years // 100 - 19) * 2 + (~male)
        key = province * 1000 + century_digit * 100 + years % 100
        cccd = self._cccd_numbers(key, has_cccd)

        # phones and payment accounts depend on age
        share = self.places["phone_share"]
        phone_p = np.select([age < 15, age < 18, age < 70], [share["under_15"], share["age_15_17"], share["age_18_69"]],
                            default=share["age_70_plus"])
        has_phone = rng.random(m) < phone_p
        phone = self.phones[rng.integers(0, len(self.phones), m)] + np.char.zfill(
            rng.integers(0, 10_000_000, m).astype(str), 7).astype(object)
        paying = rng.random(m) < np.minimum(0.995, self.payment_scale[pci] * payment_weight(age))

        lat, lon, village = self._locations(rng, ci)
        head_dob = dob[people["offset"]]
        earliest = head_dob + np.timedelta64(18 * 365, "D")
        registered = np.maximum(as_of - rng.integers(0, 30 * 365, n).astype("timedelta64[D]"), earliest)
        registered = np.minimum(registered, as_of)

        households = self._household_rows(ci, village, lat, lon, registered)
        residents = list(map(
            bulk.ResidentRow, hh.tolist(), names.tolist(), dob.astype(object).tolist(),
            np.where(male, "M", "F").astype(object).tolist(), ROLE_VALUES[role].tolist(), cccd.tolist(),
            np.where(has_phone, phone, "").tolist(), paying.tolist(),
        ))
        businesses = self._businesses(rng, people, ci, names, dob, lat, lon, households)
        return households, residents, businesses

    def _cccd_numbers(self, key: np.ndarray, has: np.ndarray) -> np.ndarray:
        """Unique CCCDs ``{prefix:06d}{serial:06d}`` where ``has``, else ``None`` (object array)."""
        out = np.full(len(key), None, dtype=object)
        idx = np.flatnonzero(has)
        if not len(idx):
            return out
        keys = key[idx]
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        uniq, first, counts = np.unique(sorted_keys, return_index=True, return_counts=True)
        base = np.array([self.cccd_counters.get(int(u), 0) for u in uniq])
        if (base + counts > 1_000_000).any():
            raise ValueError("more than a million CCCDs for one province, sex and birth year")
        rank = np.arange(len(keys)) - np.repeat(first, counts) + np.repeat(base, counts)
        # the offset varies with the prefix so that serials do not repeat across prefixes
        serial = (_SERIAL_A * rank + _SERIAL_B * np.repeat(uniq, counts)) % 1_000_000
        for u, b, c in zip(uniq.tolist(), base.tolist(), counts.tolist()):
            self.cccd_counters[u] = b + c
        numbers = np.char.add(np.char.zfill(sorted_keys.astype(str), 6), np.char.zfill(serial.astype(str), 6))
        out[idx[order]] = numbers.astype(object)
        return out

    def _locations(self, rng: np.random.Generator, ci: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per household: latitude and longitude (NaN without GPS) and the village index in its plan."""
        n = len(ci)
        lat = np.full(n, np.nan)
        lon = np.full(n, np.nan)
        village = np.zeros(n, dtype=int)
        gps = rng.random(n) < self.gps_share[ci]
        for c in np.unique(ci).tolist():
            plan = self.plans[c]
            rows = np.flatnonzero(ci == c)
            v = rng.choice(len(plan.village_weights), size=len(rows), p=plan.village_weights)
            village[rows] = v
            rows_gps = rows[gps[rows]]
            if plan.village_centres is None or not len(rows_gps):
                continue
            centre = plan.village_centres[village[rows_gps]]
            sx, sy = plan.spread_deg
            x = centre[:, 0] + rng.normal(0, sx, len(rows_gps))
            y = centre[:, 1] + rng.normal(0, sy, len(rows_gps))
            if plan.geometry is not None:
                outside = ~shapely.contains_xy(plan.geometry, x, y)
                for _ in range(30):
                    if not outside.any():
                        break
                    k = int(outside.sum())
                    x[outside] = centre[outside, 0] + rng.normal(0, sx, k)
                    y[outside] = centre[outside, 1] + rng.normal(0, sy, k)
                    outside[outside] = ~shapely.contains_xy(plan.geometry, x[outside], y[outside])
                x[outside], y[outside] = centre[outside, 0], centre[outside, 1]  # the centre is inside
            lon[rows_gps] = np.round(x, 6)
            lat[rows_gps] = np.round(y, 6)
        return lat, lon, village

    def _household_rows(self, ci: np.ndarray, village: np.ndarray, lat: np.ndarray, lon: np.ndarray,
                        registered: np.ndarray) -> list[bulk.HouseholdRow]:
        n = len(ci)
        commune = np.array([p.unit.pk for p in self.plans])[ci]
        village_id = np.full(n, None, dtype=object)
        address = np.empty(n, dtype=object)
        for c in np.unique(ci).tolist():
            plan, rows = self.plans[c], np.flatnonzero(ci == c)
            if plan.village_ids:
                village_id[rows] = np.array(plan.village_ids, dtype=object)[village[rows]]
                labels = np.array([f"{label}, {self.full_names[c]}" for label in plan.village_labels], dtype=object)
                address[rows] = labels[village[rows]]
            else:
                address[rows] = self.full_names[c]
        located = ~np.isnan(lat)  # NaN marks a home without GPS
        lat_obj = np.where(located, lat, None).tolist()
        lon_obj = np.where(located, lon, None).tolist()
        return list(map(bulk.HouseholdRow, commune.tolist(), village_id.tolist(), address.tolist(), lat_obj, lon_obj,
                        registered.astype(object).tolist()))

    def _businesses(self, rng: np.random.Generator, people: dict[str, np.ndarray], ci: np.ndarray,
                    names: np.ndarray, dob: np.ndarray, lat: np.ndarray, lon: np.ndarray,
                    households: list[bulk.HouseholdRow]) -> list[bulk.BusinessRow]:
        """3–5 % of households run a business, owned by the head or the spouse (adults)."""
        n = len(ci)
        chosen = np.flatnonzero(rng.random(n) < self.business_share)
        if not len(chosen):
            return []
        offset, role, age = people["offset"], people["role"], people["age"]
        owner = offset[chosen].copy()
        spouse = owner + 1
        use_spouse = (people["size"][chosen] > 1) & (rng.random(len(chosen)) < 0.35)
        use_spouse &= role[np.minimum(spouse, len(role) - 1)] == R_SPOUSE
        use_spouse &= (age[np.minimum(spouse, len(age) - 1)] >= 18)
        owner[use_spouse] = spouse[use_spouse]
        sector = rng.choice(len(self.sectors), size=len(chosen), p=self.sector_p)
        as_of = np.datetime64(self.as_of, "D")
        adult = dob[owner] + np.timedelta64(19 * 365, "D")
        opened = np.minimum(np.maximum(as_of - rng.integers(0, 15 * 365, len(chosen)).astype("timedelta64[D]"),
                                       adult), as_of)
        rows = []
        for h, o, s, day, pick in zip(chosen.tolist(), owner.tolist(), sector.tolist(), opened.astype(object).tolist(),
                                      rng.random(len(chosen)).tolist()):
            parts = names[o].split(" ")
            # "Tạp hóa Minh Anh": the owner's given name, or middle and given names of the first child
            suffix = parts[-1]
            child = offset[h] + 2
            if pick < 0.35 and child < offset[h] + people["size"][h] and role[child] == R_CHILD:
                child_parts = names[child].split(" ")
                if child_parts[-2] not in ("Văn", "Thị"):
                    suffix = " ".join(child_parts[-2:])
            prefixes = self.prefixes[s]
            prefix = prefixes[int(pick * 7919) % len(prefixes)]
            plan = self.plans[ci[h]]
            number = self.business_counters.get(plan.unit.pk, 0) + 1
            self.business_counters[plan.unit.pk] = number
            home = households[h]
            rows.append(bulk.BusinessRow(
                int(o), f"HKD-{plan.unit.code}-{number:05d}", f"{prefix} {suffix}", self.sectors[s], home.address,
                home.latitude, home.longitude, day,
            ))
        return rows
