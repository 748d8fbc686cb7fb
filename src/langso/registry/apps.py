from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "langso.registry"
    verbose_name = "Sổ hộ / Registry"
