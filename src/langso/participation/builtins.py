"""Built-in online services: Làng số pages that a commune can list in its catalogue.

Any installed app may declare, in ``<app>/online_services.py``, a module-level list
``ONLINE_SERVICES`` of plain dicts (no import of this app needed)::

    {"key": "documents.residence_confirmation",      # "<app>.<name>", unique
     "field": "security_order",                      # a ServiceField value
     "name_vi": "…", "name_en": "…", "description_vi": "…", "description_en": "…",
     "url_name": "documents:residence-form",         # reversed with the kwargs below
     "url_kwargs": {"commune_code": "{commune_code}"},  # "{commune_code}" is replaced
     "available": callable(commune) -> bool}         # optional: can this commune offer it now?

:func:`registered` discovers them like the indicator engine discovers ``metrics.py``; a bad entry
raises ``ValueError`` naming the module and key at start-up of the first use.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import Any, Callable

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .models import ServiceField

REQUIRED = ("key", "field", "name_vi", "name_en", "url_name")


@dataclass(frozen=True)
class BuiltinService:
    key: str
    field: str
    name_vi: str
    name_en: str
    description_vi: str
    description_en: str
    url_name: str
    url_kwargs: tuple[tuple[str, str], ...]
    available: Callable[[Any], bool] | None

    def url_for(self, commune: Any) -> str:
        """The page's path for ``commune``; ``""`` when the route does not exist."""
        kwargs = {k: v.format(commune_code=commune.code) for k, v in self.url_kwargs}
        try:
            return reverse(self.url_name, kwargs=kwargs)
        except NoReverseMatch:
            return ""

    def is_available(self, commune: Any) -> bool:
        if not self.url_for(commune):
            return False
        return True if self.available is None else bool(self.available(commune))

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_vi

    def description(self, language: str) -> str:
        return self.description_en if language.startswith("en") else self.description_vi


def _parse(entry: dict[str, Any], where: str) -> BuiltinService:
    for key in REQUIRED:
        if not entry.get(key):
            raise ValueError(f"{where}: '{key}' is missing")
    if entry["field"] not in ServiceField.values:
        raise ValueError(f"{where}: field '{entry['field']}' is not one of {ServiceField.values}")
    available = entry.get("available")
    if available is not None and not callable(available):
        raise ValueError(f"{where}: 'available' must be callable")
    return BuiltinService(
        key=entry["key"], field=entry["field"], name_vi=entry["name_vi"], name_en=entry["name_en"],
        description_vi=entry.get("description_vi", ""), description_en=entry.get("description_en", ""),
        url_name=entry["url_name"], url_kwargs=tuple(sorted((entry.get("url_kwargs") or {}).items())),
        available=available,
    )


@functools.cache
def registered() -> dict[str, BuiltinService]:
    """Every declared built-in service by key, in app order. ``ValueError`` on a bad or repeated key."""
    found: dict[str, BuiltinService] = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.online_services"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        for i, entry in enumerate(getattr(module, "ONLINE_SERVICES", [])):
            service = _parse(entry, f"{name}.ONLINE_SERVICES[{i}]")
            if service.key in found:
                raise ValueError(f"{name}: online service '{service.key}' declared twice")
            found[service.key] = service
    return found
