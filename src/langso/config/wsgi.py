"""WSGI entry point (gunicorn langso.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langso.config.settings")
application = get_wsgi_application()
