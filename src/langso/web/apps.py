from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "langso.web"
    verbose_name = "Giao diện / Web"
