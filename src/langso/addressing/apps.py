from django.apps import AppConfig


class AddressingConfig(AppConfig):
    name = "langso.addressing"
    verbose_name = "Địa chỉ số / Digital addresses"
