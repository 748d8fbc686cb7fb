"""URLs of langso.criteria."""

app_name = "criteria"
urlpatterns: list = []
