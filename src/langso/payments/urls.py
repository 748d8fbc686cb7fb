"""Payment QR pages and the VietQR API (filled in by the VietQR work)."""

app_name = "payments"
urlpatterns: list = []
