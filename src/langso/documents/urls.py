"""Commune documents, signing and public verification."""

app_name = "documents"
urlpatterns: list = []
