"""Officer forms: type checks only; every rule lives in :mod:`langso.economy.actions`."""

from __future__ import annotations

from django import forms

from . import rules
from .models import CooperativeKind, CooperativeStatus, EventKind, ProducerKind, Sector, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Field labels, Vietnamese then English (the forms are few; no msgids needed).
LABELS = {
    "kind": "Loại / Kind", "name": "Tên / Name", "registration_number": "Số đăng ký / Registration number",
    "registered_on": "Ngày đăng ký / Registered on", "sector": "Lĩnh vực / Sector",
    "members": "Hộ thành viên / Member households", "trade_name": "Tên giao dịch / Trade name",
    "household": "Hộ gia đình / Household", "business": "Hộ kinh doanh / Business household",
    "cooperative": "Hợp tác xã / Cooperative", "tax_code": "Mã số thuế / Tax code", "village": "Thôn / Village",
    "declares_ecommerce": "Tự khai có bán hàng trực tuyến / Declares selling online", "crop": "Cây trồng, vật nuôi / Crop",
    "growing_area_code": "Mã số vùng trồng / Growing-area code", "geometry": "Ranh giới (GeoJSON) / Boundary (GeoJSON)",
    "geojson_file": "Tệp GeoJSON / GeoJSON file", "uses_traceability": "Truy xuất nguồn gốc / Traceability",
    "uses_farming_diary": "Nhật ký canh tác điện tử / Electronic farming diary", "uses_sensors": "Cảm biến, IoT / Sensors",
    "created_on": "Ngày tạo / Created on", "producer": "Chủ thể sản xuất / Producer", "group": "Nhóm OCOP / OCOP group",
    "gtin": "Mã GTIN (mã vạch) / GTIN (barcode)", "is_key_product": "Sản phẩm chủ lực / Key product",
    "vietgap": "VietGAP", "organic": "Hữu cơ / Organic", "lead": "Chủ trì liên kết / Lead",
    "product": "Sản phẩm / Product", "raw_material_area": "Vùng nguyên liệu / Raw-material area",
    "contract_signed_on": "Ngày ký hợp đồng / Contract signed on", "contract_ends_on": "Ngày hết hạn / Contract ends on",
    "volume_tonnes_per_year": "Sản lượng (tấn/năm) / Volume (tonnes per year)",
    "households": "Hộ tham gia / Participating households", "platform": "Sàn / Platform", "url": "Đường dẫn / URL",
    "opened_on": "Ngày mở / Opened on", "score": "Điểm OCOP (0–100) / OCOP score", "certificate_number":
    "Số giấy chứng nhận / Certificate number", "certified_on": "Ngày cấp / Certified on", "store": "Gian hàng / Store",
    "price_vnd": "Giá (đồng) / Price (VND)", "listed_on": "Ngày đăng bán / Listed on", "code": "Số lô / Lot number",
    "produced_on": "Ngày sản xuất / Produced on", "harvested_on": "Ngày thu hoạch / Harvested on",
    "best_before": "Hạn sử dụng / Best before", "quantity": "Số lượng / Quantity", "unit": "Đơn vị / Unit",
    "occurred_on": "Ngày / Date", "party": "Đối tác (tên cơ sở) / Party (business name)", "place": "Nơi / Place",
    "document": "Số chứng từ / Document number", "status": "Trạng thái / Status", "on": "Ngày / Date",
}


class Form(forms.Form):
    """A form whose fields take their bilingual labels from :data:`LABELS`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = LABELS.get(name, field.label)


class CooperativeForm(Form):
    kind = forms.ChoiceField(choices=CooperativeKind.choices)
    name = forms.CharField(max_length=200)
    registration_number = forms.CharField(max_length=30, required=False)
    registered_on = forms.DateField(widget=DATE)
    sector = forms.ChoiceField(choices=Sector.choices)
    members = forms.CharField(required=False, help_text="Mã hộ, cách nhau bởi dấu phẩy / household ids, comma-separated")


class ProducerForm(Form):
    kind = forms.ChoiceField(choices=ProducerKind.choices)
    trade_name = forms.CharField(max_length=200)
    household = forms.IntegerField(required=False, help_text="Mã hộ / household id")
    business = forms.ModelChoiceField(queryset=None, required=False)
    cooperative = forms.ModelChoiceField(queryset=None, required=False)
    tax_code = forms.CharField(max_length=14, required=False)
    village = forms.ModelChoiceField(queryset=None, required=False)
    declares_ecommerce = forms.BooleanField(required=False)
    registered_on = forms.DateField(widget=DATE)


class AreaForm(Form):
    name = forms.CharField(max_length=200)
    crop = forms.CharField(max_length=100)
    village = forms.ModelChoiceField(queryset=None, required=False)
    growing_area_code = forms.CharField(max_length=40, required=False)
    geometry = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                               help_text="GeoJSON Polygon/MultiPolygon (WGS84)")
    geojson_file = forms.FileField(required=False)
    uses_traceability = forms.BooleanField(required=False)
    uses_farming_diary = forms.BooleanField(required=False)
    uses_sensors = forms.BooleanField(required=False)
    created_on = forms.DateField(widget=DATE)

    def clean(self):
        data = super().clean()
        upload = data.get("geojson_file")
        if upload:
            if upload.size > 2_000_000:
                raise forms.ValidationError("Tệp quá 2 MB — File larger than 2 MB.")
            data["geometry"] = upload.read().decode("utf-8", errors="replace")
        if not data.get("geometry"):
            raise forms.ValidationError("Vẽ vùng hoặc nhập GeoJSON — Draw the area or give GeoJSON.")
        return data


class ProductForm(Form):
    producer = forms.ModelChoiceField(queryset=None)
    name = forms.CharField(max_length=200)
    group = forms.ChoiceField(choices=())
    gtin = forms.CharField(max_length=20, required=False)
    is_key_product = forms.BooleanField(required=False)
    vietgap = forms.BooleanField(required=False)
    organic = forms.BooleanField(required=False)
    created_on = forms.DateField(widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = rules.group_choices()


class LinkageForm(Form):
    name = forms.CharField(max_length=200)
    lead = forms.ModelChoiceField(queryset=None)
    product = forms.ModelChoiceField(queryset=None, required=False)
    raw_material_area = forms.ModelChoiceField(queryset=None, required=False)
    contract_signed_on = forms.DateField(widget=DATE)
    contract_ends_on = forms.DateField(widget=DATE, required=False)
    volume_tonnes_per_year = forms.CharField(required=False)
    households = forms.CharField(required=False, help_text="Mã hộ, cách nhau bởi dấu phẩy / household ids")


class StoreForm(Form):
    producer = forms.ModelChoiceField(queryset=None)
    platform = forms.ChoiceField(choices=())
    name = forms.CharField(max_length=200)
    url = forms.CharField(max_length=500)
    opened_on = forms.DateField(widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = rules.platform_choices()


class OcopForm(Form):
    score = forms.IntegerField(min_value=0, max_value=100)
    certificate_number = forms.CharField(max_length=50)
    certified_on = forms.DateField(widget=DATE)


class ListingForm(Form):
    store = forms.ModelChoiceField(queryset=None)
    price_vnd = forms.CharField(max_length=20)
    url = forms.CharField(max_length=500, required=False)
    listed_on = forms.DateField(widget=DATE)


class LotForm(Form):
    code = forms.CharField(max_length=20)
    produced_on = forms.DateField(widget=DATE)
    harvested_on = forms.DateField(widget=DATE, required=False)
    best_before = forms.DateField(widget=DATE, required=False)
    raw_material_area = forms.ModelChoiceField(queryset=None, required=False)
    quantity = forms.CharField(max_length=20)
    unit = forms.ChoiceField(choices=Unit.choices)


class EventForm(Form):
    kind = forms.ChoiceField(choices=[(EventKind.RECEIVED, EventKind.RECEIVED.label),
                                      (EventKind.SHIPPED, EventKind.SHIPPED.label)])
    occurred_on = forms.DateField(widget=DATE)
    party = forms.CharField(max_length=200)
    place = forms.CharField(max_length=200, required=False)
    quantity = forms.CharField(max_length=20, required=False)
    document = forms.CharField(max_length=100, required=False)


class StatusForm(Form):
    status = forms.ChoiceField(choices=CooperativeStatus.choices)
    on = forms.DateField(widget=DATE)


def id_list(text: str) -> list[int]:
    """"12, 15 18" → [12, 15, 18]; raises ``forms.ValidationError`` on anything but digits."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if not all(p.isdigit() for p in parts):
        raise forms.ValidationError("Chỉ nhập mã hộ bằng số — household ids are numbers.")
    return [int(p) for p in parts]
