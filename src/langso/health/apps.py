from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "langso.health"
    label = "health"
    verbose_name = "Y tế / Health"
