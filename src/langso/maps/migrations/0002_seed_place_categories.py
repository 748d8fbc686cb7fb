"""The place categories of the first thematic maps (education, health, tourism).

Sources of the kinds: Law on Education 43/2019/QH14 art. 28 (kindergartens, primary and lower
secondary schools), Decision 4667/QĐ-BYT (2014) on commune health stations, Law on Tourism
09/2017/QH14 art. 48 (homestays: "nhà ở có phòng cho khách du lịch thuê"), Decision 801/QĐ-TTg
(2022) on craft villages, Decision 919/QĐ-TTg (2022) on OCOP products and their sales points.
Re-runnable: rows are matched by ``key``.
"""

from django.db import migrations

CATEGORIES = [
    ("kindergarten", "education", "Trường mầm non", "Kindergarten", "#f59e0b", 1),
    ("school", "education", "Trường phổ thông", "School", "#2563eb", 2),
    ("health_station", "health", "Trạm y tế", "Health station", "#dc2626", 1),
    ("sight", "tourism", "Điểm tham quan", "Sight", "#7c3aed", 1),
    ("homestay", "tourism", "Homestay", "Homestay", "#059669", 2),
    ("craft_village", "tourism", "Làng nghề", "Craft village", "#b45309", 3),
    ("ocop_shop", "tourism", "Điểm bán sản phẩm OCOP", "OCOP shop", "#db2777", 4),
]


def seed(apps, schema_editor):
    PlaceCategory = apps.get_model("maps", "PlaceCategory")
    for key, theme, vi, en, colour, order in CATEGORIES:
        PlaceCategory.objects.update_or_create(
            key=key, defaults={"theme": theme, "name_vi": vi, "name_en": en, "colour": colour, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("maps", "0001_places")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
