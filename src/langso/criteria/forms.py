"""Forms of the criteria pages. They only parse input; rules live in :mod:`langso.criteria.actions`."""

from __future__ import annotations

from django import forms

from .models import Level, Scheme

YES_NO = [("", "—"), ("yes", "Đạt / Met"), ("no", "Không đạt / Not met")]
DECISIONS = [("comment", "Góp ý / Comment"), ("return", "Trả lại xã / Return"), ("approve", "Phê duyệt / Approve")]


class NewAssessmentForm(forms.Form):
    criteria_set = forms.ChoiceField(label="Bộ tiêu chí / Criteria set")
    year = forms.IntegerField(label="Năm / Year", min_value=2021, max_value=2100)
    village = forms.ChoiceField(label="Thôn (bộ tiêu chí theo thôn) / Village (village sets)", required=False)

    def __init__(self, *args, sets=(), villages=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].choices = [(str(s.pk), f"{s.name_vi} ({s.period_start}–{s.period_end})") for s in sets]
        if villages:
            self.fields["village"].choices = [("", "Toàn xã / Whole commune")] + [(str(v.pk), str(v)) for v in villages]
        else:
            del self.fields["village"]


class ResultForm(forms.Form):
    result = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.FloatField(label="Giá trị / Value", required=False)
    met = forms.ChoiceField(label="Kết quả / Result", choices=YES_NO, required=False)
    note = forms.CharField(label="Ghi chú / Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label="Minh chứng / Evidence", required=False)
    description = forms.CharField(label="Mô tả minh chứng / Evidence description", required=False, max_length=255)


class SubmitForm(forms.Form):
    comment = forms.CharField(label="Ghi chú gửi tỉnh / Note to the province", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=DECISIONS)
    comment = forms.CharField(label="Ý kiến / Comment", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    indicator = forms.ChoiceField(label="Chỉ tiêu / Indicator")
    reason = forms.CharField(label="Lý do / Reason", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, codes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(c, c) for c in codes]


class ClassificationForm(forms.Form):
    commune = forms.ChoiceField(label="Xã / Commune")
    scheme = forms.ChoiceField(label="Phân loại / Scheme", choices=Scheme.choices)
    value = forms.ChoiceField(label="Vùng hoặc nhóm / Region or group")
    valid_from = forms.DateField(label="Từ ngày / From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label="Căn cứ (số quyết định) / Source (decision)", max_length=500)

    def __init__(self, *args, communes=(), classes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(str(c.pk), f"{c.code} {c.full_name}") for c in communes]
        self.fields["value"].choices = list(classes)


class CertificationForm(forms.Form):
    unit = forms.ChoiceField(label="Xã (hiện hành hoặc xã cũ) / Commune (current or legacy)")
    level = forms.ChoiceField(label="Mức công nhận / Level", choices=Level.choices)
    year = forms.IntegerField(label="Năm công nhận / Year", min_value=2010, max_value=2100)
    decision_number = forms.CharField(label="Số quyết định / Decision number", max_length=64)
    decided_on = forms.DateField(label="Ngày quyết định / Decision date", widget=forms.DateInput(attrs={"type": "date"}))
    issuing_body = forms.CharField(label="Cơ quan ban hành / Issuing body", max_length=255)
    note = forms.CharField(label="Ghi chú / Note", required=False, max_length=2000)

    def __init__(self, *args, units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            (str(u.pk), f"{u.code} {u.full_name}" + (f" (đến {u.valid_to:%d/%m/%Y})" if u.valid_to else ""))
            for u in units
        ]
