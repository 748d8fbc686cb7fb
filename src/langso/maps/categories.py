"""The default place categories (also seeded by migration 0002, which keeps its own copy as
migrations must not import app code). Sources of the kinds: see that migration."""

from __future__ import annotations

from .models import PlaceCategory

DEFAULT_CATEGORIES = [
    ("kindergarten", "education", "Trường mầm non", "Kindergarten", "#f59e0b", 1),
    ("school", "education", "Trường phổ thông", "School", "#2563eb", 2),
    ("health_station", "health", "Trạm y tế", "Health station", "#dc2626", 1),
    ("sight", "tourism", "Điểm tham quan", "Sight", "#7c3aed", 1),
    ("homestay", "tourism", "Homestay", "Homestay", "#059669", 2),
    ("craft_village", "tourism", "Làng nghề", "Craft village", "#b45309", 3),
    ("ocop_shop", "tourism", "Điểm bán sản phẩm OCOP", "OCOP shop", "#db2777", 4),
]


def ensure_default_categories() -> int:
    """Create the default categories that are missing (existing rows are left as edited);
    returns how many were created."""
    created = 0
    for key, theme, vi, en, colour, order in DEFAULT_CATEGORIES:
        _, made = PlaceCategory.objects.get_or_create(
            key=key, defaults={"theme": theme, "name_vi": vi, "name_en": en, "colour": colour, "order": order})
        created += made
    return created
