"""Who lives there: household compositions, ages and sexes, names, payment propensity (numpy)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from langso.registry.models import Relation

from .data import tables, weights

# Role codes of the compositions in population_vn2019.yaml, and their index in the arrays.
ROLES = {"H": Relation.HEAD, "S": Relation.SPOUSE, "C": Relation.CHILD, "P": Relation.PARENT,
         "L": Relation.CHILD_IN_LAW, "G": Relation.GRANDCHILD}
R_HEAD, R_SPOUSE, R_CHILD, R_PARENT, R_IN_LAW, R_GRANDCHILD = range(6)
_ROLE_INDEX = {"H": R_HEAD, "S": R_SPOUSE, "C": R_CHILD, "P": R_PARENT, "L": R_IN_LAW, "G": R_GRANDCHILD}
ROLE_VALUES = np.array([ROLES[k].value for k in "HSCPLG"], dtype=object)
MALE_AT_BIRTH = 111.5 / 211.5  # sex ratio at birth, 2019 census
_MAX_SLOTS = 8  # members of the largest composition


@dataclass
class _Compositions:
    roles: np.ndarray  # (K, 8) role codes, -1 padding
    ordinal: np.ndarray  # (K, 8) k-th occurrence of the role in the composition
    size: np.ndarray
    p: np.ndarray
    head_age: np.ndarray  # (K, 4) mean, sd, min, max
    head_male: np.ndarray
    stem: np.ndarray  # bool: the first child is married and lives here with spouse and children
    skipped: np.ndarray


@functools.cache
def _compositions() -> _Compositions:
    pop = tables()["population_vn2019"]
    sizes = {int(k): v for k, v in pop["household_sizes"].items()}
    total = sum(sizes.values())
    rows = []
    for size, comps in pop["compositions"].items():
        weight_sum = sum(c["weight"] for c in comps)
        for comp in comps:
            rows.append((int(size), comp, sizes[int(size)] / total * comp["weight"] / weight_sum))
    k = len(rows)
    roles = np.full((k, _MAX_SLOTS), -1)
    ordinal = np.zeros((k, _MAX_SLOTS), dtype=int)
    for i, (size, comp, _) in enumerate(rows):
        assert len(comp["roles"]) == size and comp["roles"][0] == "H", comp
        seen: dict[str, int] = {}
        for j, role in enumerate(comp["roles"]):
            roles[i, j] = _ROLE_INDEX[role]
            ordinal[i, j] = seen.get(role, 0)
            seen[role] = ordinal[i, j] + 1
    p = np.array([r[2] for r in rows])
    return _Compositions(
        roles=roles, ordinal=ordinal, size=np.array([r[0] for r in rows]), p=p / p.sum(),
        head_age=np.array([r[1]["head_age"] for r in rows], dtype=float),
        head_male=np.array([r[1]["head_male"] for r in rows]),
        stem=np.array([r[1]["kind"] == "stem" for r in rows]),
        skipped=np.array([r[1]["kind"] == "skipped" for r in rows]),
    )


def _truncated_normal(rng: np.random.Generator, mean: np.ndarray, sd: np.ndarray, low: np.ndarray,
                      high: np.ndarray) -> np.ndarray:
    x = rng.normal(mean, sd)
    for _ in range(8):
        bad = (x < low) | (x > high)
        if not bad.any():
            break
        x[bad] = rng.normal(mean[bad], sd[bad])
    return np.clip(np.rint(x), low, high).astype(int)


def _born_to(rng: np.random.Generator, mother_age: np.ndarray) -> np.ndarray:
    """Age of the eldest child at home of mothers aged ``mother_age``: the mother was 18–40 at the
    birth, most often in her twenties (demo choice); a mother too young for the drawn gap has a
    child of any age up to her age minus 18."""
    gap = np.clip(18 + np.rint(rng.gamma(2.0, 2.4, len(mother_age))), 18, 40).astype(int)
    age = mother_age - gap
    short = age < 0
    age[short] = np.floor(rng.random(int(short.sum())) * np.maximum(mother_age[short] - 17, 1)).astype(int)
    return age


def draw_people(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Draw ``n`` households' members: per-household and per-person arrays (ages in whole years).

    Returns ``comp``, ``size``, ``offset`` (index of the head in the person arrays), and per person
    ``hh`` (household index), ``role`` (0..5 = H S C P L G), ``age``, ``male``. Pure numpy.
    """
    c = _compositions()
    comp = rng.choice(len(c.p), size=n, p=c.p)
    size = c.size[comp]
    ha = c.head_age[comp]
    head_age = _truncated_normal(rng, ha[:, 0], ha[:, 1], ha[:, 2], ha[:, 3])
    head_male = rng.random(n) < c.head_male[comp]
    has_spouse = (c.roles[comp] == R_SPOUSE).any(axis=1)
    age_diff = np.clip(np.rint(rng.normal(3, 3, n)), -4, 12).astype(int)
    spouse_age = np.maximum(np.where(head_male, head_age - age_diff, head_age + age_diff), 18)
    mother_age = np.where(has_spouse & head_male, spouse_age, head_age)
    spacing = np.clip(np.rint(2 + rng.gamma(2.0, 1.2, n)), 1, 9).astype(int)
    first_child = _born_to(rng, mother_age)
    # a married child living with the parents (stem family) is an adult
    first_child = np.where(c.stem[comp], np.maximum(first_child, 20), first_child)
    child_male = np.where(c.stem[comp], rng.random(n) < 0.85, rng.random(n) < MALE_AT_BIRTH)
    in_law_age = np.maximum(first_child + np.where(child_male, -1, 1) * np.clip(
        np.rint(rng.normal(2.5, 2.5, n)), -3, 9).astype(int), 18)
    grand_mother = np.where(child_male, in_law_age, first_child)
    first_grandchild = _born_to(rng, grand_mother)
    parent_age = np.minimum(head_age + np.clip(np.rint(rng.normal(27, 4, n)), 18, 40).astype(int), 99)

    offset = np.cumsum(size) - size
    hh = np.repeat(np.arange(n), size)
    slot = np.arange(len(hh)) - offset[hh]
    role = c.roles[comp[hh], slot]
    k = c.ordinal[comp[hh], slot]
    m = len(hh)
    u = rng.random(m)
    # a younger sibling who would be "unborn" at the usual spacing is younger than the elder one instead
    child = first_child[hh] - k * spacing[hh]
    child = np.where(child < 0, np.floor(u * first_child[hh]).astype(int), child)
    grandchild = first_grandchild[hh] - k * spacing[hh]
    grandchild = np.where(grandchild < 0, np.floor(u * first_grandchild[hh]).astype(int), grandchild)
    grandchild = np.where(c.skipped[comp[hh]], rng.integers(1, 16, m), grandchild)
    age = np.select(
        [role == R_HEAD, role == R_SPOUSE, role == R_CHILD, role == R_IN_LAW, role == R_GRANDCHILD, role == R_PARENT],
        [head_age[hh], spouse_age[hh], child, in_law_age[hh], grandchild,
         parent_age[hh] + 3 * (k == 0) * (role == R_PARENT)],
    )
    two_parents = (c.roles[comp[hh]] == R_PARENT).sum(axis=1) == 2
    male = np.select(
        [role == R_HEAD, role == R_SPOUSE, (role == R_CHILD) & (k == 0), role == R_IN_LAW, role == R_PARENT],
        [head_male[hh], ~head_male[hh], child_male[hh], ~child_male[hh],
         np.where(two_parents, k == 0, rng.random(m) < 0.3)],
        default=rng.random(m) < MALE_AT_BIRTH,
    )
    return {"comp": comp, "size": size, "offset": offset, "hh": hh, "role": role, "age": np.minimum(age, 99),
            "male": male.astype(bool), "head_male": head_male, "child_male": child_male}


def _choice(rng: np.random.Generator, mapping: dict[str, float], n: int) -> np.ndarray:
    names, p = weights(mapping)
    return names[rng.choice(len(names), size=n, p=p)]


def draw_names(rng: np.random.Generator, people: dict[str, np.ndarray], birth_year: np.ndarray,
               local_names: np.ndarray) -> np.ndarray:
    """Full names "Family Middle Given" for the people of :func:`draw_people` (object array).

    ``local_names`` (bool per household) marks households drawing family names partly from the
    Mường/Thái table. Children and the head's father carry the father's line; wives keep theirs.
    """
    names = tables()["names_vi"]
    n = len(people["size"])
    hh, role, male = people["hh"], people["role"], people["male"]

    def family(count: int) -> np.ndarray:
        out = _choice(rng, names["surnames"], count)
        local = local_names & (rng.random(count) < 0.7)
        out[local] = _choice(rng, names["surnames_muong_thai"], int(local.sum()))
        return out

    line, wife, in_law, mother = family(n), family(n), family(n), family(n)
    head_male = people["head_male"]
    head_family = np.where(head_male, line, wife)
    grand_line = np.where(people["child_male"], line, in_law)
    surname = np.select(
        [role == R_HEAD, (role == R_SPOUSE) & male, role == R_SPOUSE, role == R_CHILD, role == R_IN_LAW,
         role == R_GRANDCHILD, (role == R_PARENT) & male],
        [head_family[hh], line[hh], wife[hh], line[hh], in_law[hh], grand_line[hh], head_family[hh]],
        default=mother[hh],
    )
    younger = birth_year >= names["younger_from_year"]
    middle = np.empty(len(hh), dtype=object)
    given = np.empty(len(hh), dtype=object)
    for sex_code, sex_mask in (("M", male), ("F", ~male)):
        for cohort, cohort_mask in (("older", ~younger), ("younger", younger)):
            mask = sex_mask & cohort_mask
            count = int(mask.sum())
            middle[mask] = _choice(rng, names["middle_names"][sex_code][cohort], count)
            clash = mask & (middle == surname)  # "Hoàng Hoàng Phúc": a middle name repeating the family name
            while clash.any():
                middle[clash] = _choice(rng, names["middle_names"][sex_code][cohort], int(clash.sum()))
                clash = mask & (middle == surname)
            given[mask] = _choice(rng, names["given_names"][sex_code][cohort], count)
            clash = mask & ((middle == given) | (given == surname))  # "Minh Minh" is not a name
            while clash.any():
                given[clash] = _choice(rng, names["given_names"][sex_code][cohort], int(clash.sum()))
                clash = mask & ((middle == given) | (given == surname))
    return surname + " " + middle + " " + given


def payment_scale(share: float, pyramid: list[list[float]]) -> float:
    """Scale k with mean(min(0.995, k × w(age))) = ``share`` over people aged 15+ of the pyramid."""
    ages, q = [], []
    for low, high, pct, _ in pyramid:
        for a in range(int(low), int(high) + 1):
            if a >= 15:
                ages.append(a)
                q.append(pct / (high - low + 1))
    w = payment_weight(np.array(ages))
    q_arr = np.array(q) / sum(q)
    lo, hi = 0.0, 3.0
    for _ in range(50):
        mid = (lo + hi) / 2
        if (q_arr * np.minimum(0.995, mid * w)).sum() < share:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def payment_weight(age: np.ndarray) -> np.ndarray:
    """Relative propensity to hold an online payment account by age (demo choice: lower at 15–17 and 65+)."""
    return np.select([age < 15, age < 18, age < 60, age < 70], [0.0, 0.6, 1.0, 0.8], default=0.45)
