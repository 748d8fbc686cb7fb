from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "langso.territory"
    verbose_name = "Địa giới hành chính / Administrative geography"
