"""Demo population: villages, households, residents and business households that look real.

:func:`generate_population` fills communes with a synthetic register whose shape follows
published facts, each kept with its source in ``registry/data/``:

- age and sex structure of Vietnam's 2019 Population and Housing Census and household sizes
  averaging 3.5 persons (``population_vn2019.yaml``); households are built from compositions
  (single, couple, nuclear, three generations, skipped generation, stem family) so that
  relations, ages and sexes are coherent: one head, a spouse of the other sex and similar age,
  children 18–40 years younger than their mother, grandparents sometimes;
- Vietnamese names in Vietnamese order (family, middle, given) with national family-name
  frequencies, middle and given names by sex and birth cohort (``names_vi.yaml``); children take
  their father's family name, wives keep theirs;
- homes inside the commune's real boundary (``AdministrativeUnit.boundary``), clustered around
  village centres that are inside it too (around the centroid when no boundary is known);
- CCCD numbers valid for each holder's birth year and sex (Circular 07/2016/TT-BCA art. 7),
  unique, mostly under the province code of the commune's former province; phones, online payment
  accounts and GPS shares per commune; 3–5 % business households (``demo_places.yaml``).

Everything is drawn from numpy generators seeded by ``seed``: the same seed, communes, household
count, chunk size and ``as_of`` date give identical rows in an empty database. Writing goes
through :mod:`langso.registry.bulk` in chunks (one transaction and one audit entry per chunk),
so memory stays bounded at any size.

Modules: :mod:`.data` (the data files), :mod:`.places` (plans, boundaries, villages),
:mod:`.people` (compositions, ages, names), :mod:`.rows` (chunks of rows), :mod:`.run` (the run).
"""

from .data import tables
from .people import draw_names, draw_people
from .places import CommunePlan, parse_boundary, plan_communes, prepare_villages, sample_in_polygon
from .rows import PopulationGenerator
from .run import (
    CommunesNotEmpty,
    GenerationReport,
    existing_cccd_counters,
    generate_population,
    tune_connection_for_bulk,
)

__all__ = [
    "CommunePlan", "CommunesNotEmpty", "GenerationReport", "PopulationGenerator", "draw_names", "draw_people",
    "existing_cccd_counters", "generate_population", "parse_boundary", "plan_communes", "prepare_villages",
    "sample_in_polygon", "tables", "tune_connection_for_bulk",
]
