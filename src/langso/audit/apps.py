from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "langso.audit"
    verbose_name = "Nhật ký / Audit"
