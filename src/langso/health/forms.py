"""HTML forms of the health pages (validation of shapes only; rules live in actions)."""

from __future__ import annotations

from django import forms

from . import catalogue


class VisitForm(forms.Form):
    """Decimal vitals are text: a comma or a point both work (actions parse and range-check them)."""

    date = forms.DateField(label="Ngày khám / Date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Lý do khám / Reason", required=False, max_length=255)
    systolic = forms.CharField(label="Huyết áp tâm thu (mmHg) / Systolic", required=False, max_length=8)
    diastolic = forms.CharField(label="Huyết áp tâm trương (mmHg) / Diastolic", required=False, max_length=8)
    pulse = forms.CharField(label="Mạch (lần/phút) / Pulse (/min)", required=False, max_length=8)
    temperature = forms.CharField(label="Nhiệt độ (°C) / Temperature", required=False, max_length=8)
    weight_kg = forms.CharField(label="Cân nặng (kg) / Weight", required=False, max_length=8)
    height_cm = forms.CharField(label="Chiều cao (cm) / Height", required=False, max_length=8)
    glucose_mmol = forms.CharField(label="Đường huyết (mmol/L) / Glucose", required=False, max_length=8)
    diagnoses = forms.CharField(label="Chẩn đoán ICD-10 (cách nhau bởi dấu phẩy) / ICD-10 diagnoses (comma separated)",
                                required=False, max_length=200)
    note = forms.CharField(label="Ghi chú / Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImmunizationForm(forms.Form):
    vaccine = forms.ChoiceField(label="Vắc xin / Vaccine")
    dose = forms.TypedChoiceField(label="Mũi / Dose", coerce=int, choices=[(n, n) for n in range(1, 4)])
    given_on = forms.DateField(label="Ngày tiêm / Date given", widget=forms.DateInput(attrs={"type": "date"}))
    lot_number = forms.CharField(label="Số lô / Lot", required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vaccine"].choices = [(k, f"{v['name_vi']} / {v['name_en']}") for k, v in catalogue.vaccines().items()]


class OpenRecordForm(forms.Form):
    insurance_number = forms.CharField(label="Số thẻ BHYT / Health-insurance number", required=False, max_length=20)
    consent = forms.BooleanField(label="Người dân đồng ý xử lý dữ liệu sức khỏe / The resident consents to the processing "
                                       "of their health data", required=False)


class RecordForm(forms.Form):
    """Administrative data and history (Decision 831/QĐ-BYT blocks I–II)."""

    insurance_number = forms.CharField(label="Số thẻ BHYT / Health-insurance number", required=False, max_length=20)
    insurance_valid_to = forms.DateField(label="Hạn thẻ BHYT / Valid to", required=False,
                                         widget=forms.DateInput(attrs={"type": "date"}))
    blood_group = forms.ChoiceField(label="Nhóm máu / Blood group", required=False,
                                    choices=[("", "—")] + [(g, g) for g in ("O", "A", "B", "AB")])
    birth_history = forms.CharField(label="Tình trạng lúc sinh / Birth", required=False)
    personal_history = forms.CharField(label="Bệnh đã mắc / Past illnesses", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    surgery_history = forms.CharField(label="Phẫu thuật / Surgery", required=False)
    smoking = forms.BooleanField(label="Hút thuốc / Smoking", required=False)
    alcohol = forms.BooleanField(label="Rượu bia / Alcohol", required=False)
    physical_inactivity = forms.BooleanField(label="Ít vận động / Physical inactivity", required=False)
    other_risk_factors = forms.CharField(label="Yếu tố nguy cơ khác / Other risk factors", required=False)
    disabilities = forms.CharField(label="Khuyết tật / Disabilities", required=False)
    family_history = forms.CharField(label="Tiền sử gia đình / Family history", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    allergy_substance = forms.CharField(label="Thêm dị ứng: chất / Add an allergy: substance", required=False)
    allergy_reaction = forms.CharField(label="Phản ứng / Reaction", required=False)
