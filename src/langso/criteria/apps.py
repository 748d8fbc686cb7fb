from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "langso.criteria"
    verbose_name = "Tiêu chí và công nhận / Criteria and certification"
