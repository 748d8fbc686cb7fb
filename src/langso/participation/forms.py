"""Forms of the officer pages and the public feedback page (survey answers are read straight from
the POST against the run's definition: :func:`langso.participation.actions.clean_answers`)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from . import definitions
from .models import FeedbackCategory, ServiceField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceForm(forms.Form):
    field = forms.ChoiceField(label="Lĩnh vực / Field", choices=ServiceField.choices)
    name = forms.CharField(label="Tên dịch vụ / Name", max_length=200)
    description = forms.CharField(label="Mô tả / Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    url = forms.URLField(label="Đường dẫn / Link", max_length=500, assume_scheme="https")
    available_since = forms.DateField(label="Cung cấp từ ngày / Available since", widget=DATE,
                                      initial=timezone.localdate)


class BuiltinForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    available_since = forms.DateField(label="Từ ngày / Since", widget=DATE, initial=timezone.localdate)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label="Ngừng từ ngày / Withdrawn on", widget=DATE, initial=timezone.localdate)


class RunForm(forms.Form):
    survey_code = forms.ChoiceField(label="Khảo sát / Survey")
    opens_on = forms.DateField(label="Mở từ ngày / Opens on", widget=DATE, initial=timezone.localdate)
    closes_on = forms.DateField(label="Đóng sau ngày / Closes after", widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey_code"].choices = [(code, d["title"]["vi"]) for code, d in definitions.shipped().items()]


class CloseDateForm(forms.Form):
    closes_on = forms.DateField(label="Đóng sau ngày / Closes after", widget=DATE)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="Cán bộ xử lý / Officer", queryset=None)

    def __init__(self, *args, officers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Trả lời công khai / Public answer", max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class FeedbackForm(forms.Form):
    category = forms.ChoiceField(label="Chủ đề / Topic", choices=FeedbackCategory.choices)
    description = forms.CharField(label="Nội dung / What happened, where", max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    photo = forms.FileField(label="Ảnh (không bắt buộc, tối đa 5 MB) / Photo (optional, up to 5 MB)", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    latitude = forms.FloatField(label="Vĩ độ / Latitude", required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label="Kinh độ / Longitude", required=False, min_value=-180, max_value=180)
    contact_name = forms.CharField(label="Họ tên (không bắt buộc, không công khai) / Name (optional, never public)",
                                   max_length=100, required=False)
    contact_phone = forms.CharField(label="Điện thoại (không bắt buộc, không công khai) / Phone (optional, never public)",
                                    max_length=15, required=False)
