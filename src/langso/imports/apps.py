from django.apps import AppConfig


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "langso.imports"
    verbose_name = "Nhập sổ hộ từ Excel / Household list import"

    def ready(self) -> None:
        # django-tasks-db registers its task-result table in the admin. The table holds the tasks of
        # every commune with no commune column to scope it by, and every admin model here must be
        # scoped (docs/access.md), so it is left out of the admin; operators read it in the database.
        # (The admin's own ready() has run autodiscover by now: django.contrib.admin comes first.)
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
