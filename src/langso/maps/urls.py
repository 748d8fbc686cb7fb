"""URLs of langso.maps."""

app_name = "maps"
urlpatterns: list = []
