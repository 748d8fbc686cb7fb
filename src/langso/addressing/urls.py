"""URLs of langso.addressing."""

app_name = "addressing"
urlpatterns: list = []
