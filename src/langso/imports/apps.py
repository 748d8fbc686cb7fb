from django.apps import AppConfig


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "langso.imports"
    verbose_name = "Nhập sổ hộ từ Excel / Household list import"
