from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "langso.documents"
    verbose_name = "Văn bản / Documents"
