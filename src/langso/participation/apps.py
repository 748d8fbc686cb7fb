from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "langso.participation"
    verbose_name = "Tham gia của người dân / Participation"
