from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "langso.payments"
    verbose_name = "Thanh toán / Payments"
