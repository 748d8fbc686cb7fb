"""URLs of langso.participation."""

app_name = "participation"
urlpatterns: list = []
