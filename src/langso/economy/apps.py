from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "langso.economy"
    verbose_name = "Kinh tế nông thôn / Rural economy"
