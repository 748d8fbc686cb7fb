"""The demo's data files (``registry/data/*.yaml``, each carrying its sources), parsed once."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import numpy as np
import yaml


@functools.cache
def tables() -> dict[str, Any]:
    """The data files ``population_vn2019``, ``names_vi`` and ``demo_places`` (parsed, cached)."""
    root = resources.files("langso.registry").joinpath("data")
    return {name: yaml.safe_load(root.joinpath(f"{name}.yaml").read_text("utf-8"))
            for name in ("population_vn2019", "names_vi", "demo_places")}


def weights(mapping: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """``{name: weight}`` → (object array of names, probabilities summing to 1)."""
    names = np.array(list(mapping), dtype=object)
    p = np.array(list(mapping.values()), dtype=float)
    return names, p / p.sum()
