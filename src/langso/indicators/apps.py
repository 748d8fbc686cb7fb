from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "langso.indicators"
    verbose_name = "Chỉ tiêu / Indicators"
