from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "langso.maps"
    verbose_name = "Bản đồ / Maps"
