"""Officer forms: type checks only; every rule lives in :mod:`langso.economy.actions`."""

from __future__ import annotations

from django import forms

from . import rules
from .models import CooperativeKind, CooperativeStatus, EventKind, ProducerKind, Sector, Unit

DATE = forms.DateInput(attrs={"type": "date"})


class CooperativeForm(forms.Form):
    kind = forms.ChoiceField(choices=CooperativeKind.choices)
    name = forms.CharField(max_length=200)
    registration_number = forms.CharField(max_length=30, required=False)
    registered_on = forms.DateField(widget=DATE)
    sector = forms.ChoiceField(choices=Sector.choices)
    members = forms.CharField(required=False, help_text="Mã hộ, cách nhau bởi dấu phẩy / household ids, comma-separated")


class ProducerForm(forms.Form):
    kind = forms.ChoiceField(choices=ProducerKind.choices)
    trade_name = forms.CharField(max_length=200)
    household = forms.IntegerField(required=False, help_text="Mã hộ / household id")
    business = forms.ModelChoiceField(queryset=None, required=False)
    cooperative = forms.ModelChoiceField(queryset=None, required=False)
    tax_code = forms.CharField(max_length=14, required=False)
    village = forms.ModelChoiceField(queryset=None, required=False)
    declares_ecommerce = forms.BooleanField(required=False)
    registered_on = forms.DateField(widget=DATE)


class AreaForm(forms.Form):
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


class ProductForm(forms.Form):
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


class LinkageForm(forms.Form):
    name = forms.CharField(max_length=200)
    lead = forms.ModelChoiceField(queryset=None)
    product = forms.ModelChoiceField(queryset=None, required=False)
    raw_material_area = forms.ModelChoiceField(queryset=None, required=False)
    contract_signed_on = forms.DateField(widget=DATE)
    contract_ends_on = forms.DateField(widget=DATE, required=False)
    volume_tonnes_per_year = forms.CharField(required=False)
    households = forms.CharField(required=False, help_text="Mã hộ, cách nhau bởi dấu phẩy / household ids")


class StoreForm(forms.Form):
    producer = forms.ModelChoiceField(queryset=None)
    platform = forms.ChoiceField(choices=())
    name = forms.CharField(max_length=200)
    url = forms.CharField(max_length=500)
    opened_on = forms.DateField(widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = rules.platform_choices()


class OcopForm(forms.Form):
    score = forms.IntegerField(min_value=0, max_value=100)
    certificate_number = forms.CharField(max_length=50)
    certified_on = forms.DateField(widget=DATE)


class ListingForm(forms.Form):
    store = forms.ModelChoiceField(queryset=None)
    price_vnd = forms.CharField(max_length=20)
    url = forms.CharField(max_length=500, required=False)
    listed_on = forms.DateField(widget=DATE)


class LotForm(forms.Form):
    code = forms.CharField(max_length=20)
    produced_on = forms.DateField(widget=DATE)
    harvested_on = forms.DateField(widget=DATE, required=False)
    best_before = forms.DateField(widget=DATE, required=False)
    raw_material_area = forms.ModelChoiceField(queryset=None, required=False)
    quantity = forms.CharField(max_length=20)
    unit = forms.ChoiceField(choices=Unit.choices)


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=[(EventKind.RECEIVED, EventKind.RECEIVED.label),
                                      (EventKind.SHIPPED, EventKind.SHIPPED.label)])
    occurred_on = forms.DateField(widget=DATE)
    party = forms.CharField(max_length=200)
    place = forms.CharField(max_length=200, required=False)
    quantity = forms.CharField(max_length=20, required=False)
    document = forms.CharField(max_length=100, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CooperativeStatus.choices)
    on = forms.DateField(widget=DATE)


def id_list(text: str) -> list[int]:
    """"12, 15 18" → [12, 15, 18]; raises ``forms.ValidationError`` on anything but digits."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if not all(p.isdigit() for p in parts):
        raise forms.ValidationError("Chỉ nhập mã hộ bằng số — household ids are numbers.")
    return [int(p) for p in parts]
