"""The layer catalogue: every map layer of the platform, contributed by the apps.

Like ``metrics.py`` for the indicator engine, any installed app may declare a module
``<app>/layers.py`` with a module-level ``LAYERS`` list of :class:`Layer`. The catalogue imports
those modules once and serves them to the map pages, the GeoJSON endpoint and the OGC API –
Features endpoint. A later issue (disease cases, outbreaks, safe zones, raw-material areas) adds a
``layers.py`` to its app; nothing here changes.

A layer's ``fetch`` receives a :class:`LayerQuery` (the reader's scope, a bbox, a zoom, paging)
and returns a :class:`LayerResult` of GeoJSON features (RFC 7946: WGS84 longitude/latitude).
``public`` layers are served to anyone (public maps, OGC API); the others only to signed-in
officials, and their ``fetch`` must restrict rows with the scope (:mod:`langso.accounts.access`).
Public layers must never carry a household's point or a person's name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.translation import get_language

# Map themes: the officials' map shows every layer; the public maps one theme each.
THEMES = ("officials", "education", "health", "tourism")


@dataclass(frozen=True)
class LayerQuery:
    """What a map asks a layer for.

    ``bbox``: (west, south, east, north) in degrees or ``None`` (everything); ``zoom``: the web
    map's zoom or ``None`` (no clustering: an API client); ``limit``/``offset``: paging of the
    features; ``province``/``commune``: an optional focus (AdministrativeUnit rows); ``scope``:
    the reader's :class:`~langso.accounts.access.Scope`; ``params``: extra query parameters
    (e.g. ``category``).
    """

    scope: Any
    bbox: tuple[float, float, float, float] | None = None
    zoom: int | None = None
    limit: int = 1000
    offset: int = 0
    province: Any = None
    commune: Any = None
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class LayerResult:
    """Features (GeoJSON dicts), how many match in all (``None`` if unknown), and whether they
    are clusters (aggregates) or were cut at the limit."""

    features: list[dict[str, Any]]
    number_matched: int | None = None
    clustered: bool = False
    truncated: bool = False


@dataclass(frozen=True)
class Layer:
    """One map layer. ``geometry``: ``point`` or ``polygon``; ``colour``: CSS hex; ``themes``:
    which maps list it; ``feature``: fetch one feature by id (OGC ``items/{featureId}``);
    ``extent``: its (west, south, east, north) or ``None``; ``source``: where the data comes from."""

    key: str
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    geometry: str
    public: bool
    themes: tuple[str, ...]
    fetch: Callable[[LayerQuery], LayerResult]
    colour: str = "#005ea0"
    order: int = 50
    default_on: bool = True
    feature: Callable[[str], dict[str, Any] | None] | None = None
    extent: Callable[[], tuple[float, float, float, float] | None] | None = None
    source: str = ""
    legend: Callable[[], list[dict[str, str]]] | None = None

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "vi").startswith("en") else self.title_vi

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "vi").startswith("en") else self.description_vi


_LAYERS: dict[str, Layer] | None = None


def all_layers() -> dict[str, Layer]:
    """Every layer of every installed app, by key, in display order (imported once)."""
    global _LAYERS
    if _LAYERS is None:
        found: dict[str, Layer] = {}
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.layers")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.layers":
                    raise
                continue
            for layer in getattr(module, "LAYERS", []):
                if layer.key in found:
                    raise ValueError(f"two layers named {layer.key!r}")
                found[layer.key] = layer
        _LAYERS = dict(sorted(found.items(), key=lambda kv: (kv[1].order, kv[0])))
    return _LAYERS


def get_layer(key: str) -> Layer | None:
    return all_layers().get(key)


def public_layers() -> list[Layer]:
    return [layer for layer in all_layers().values() if layer.public]


def layers_for_theme(theme: str) -> list[Layer]:
    """The layers a map of ``theme`` lists; the officials' map lists every layer."""
    if theme == "officials":
        return list(all_layers().values())
    return [layer for layer in all_layers().values() if layer.public and theme in layer.themes]
