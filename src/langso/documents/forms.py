"""Forms of the documents pages. They parse input; the rules live in :mod:`langso.documents.actions`."""

from __future__ import annotations

from django import forms

from .models import DocumentType

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class DraftForm(forms.Form):
    doc_type = forms.ChoiceField(label="Loại văn bản / Type", choices=DocumentType.choices)
    subject = forms.CharField(label="Trích yếu / Subject", max_length=300,
                              widget=forms.TextInput(attrs={"placeholder": "Về việc …"}))
    body = forms.CharField(label="Nội dung / Body", widget=forms.Textarea(attrs={"rows": 12}),
                           help_text="Mỗi dòng là một đoạn. / One paragraph per line.")
    recipients = forms.CharField(label="Nơi nhận / Recipients", required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text="Mỗi dòng một nơi nhận, ví dụ “Như Điều 3;” và “Lưu: VT.”")
    authority = forms.CharField(label="Thẩm quyền ký / Authority", initial="TM. ỦY BAN NHÂN DÂN", max_length=100)
    signer_title = forms.CharField(label="Chức vụ người ký / Signer's title", initial="CHỦ TỊCH", max_length=100)
    signer_name = forms.CharField(label="Họ tên người ký / Signer", max_length=150)


class PinForm(forms.Form):
    pin = forms.CharField(label="Mã PIN ký số / Signing PIN", widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                          max_length=64)


class ApproveForm(PinForm):
    signer_name = forms.CharField(label="Họ tên người ký / Signer", max_length=150)
    signer_title = forms.CharField(label="Chức vụ / Title", initial="CHỦ TỊCH", max_length=100)


class RefuseForm(forms.Form):
    reason = forms.CharField(label="Lý do từ chối / Reason", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp PDF cần kiểm tra / PDF file to check")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp quá lớn (tối đa 20 MB). — The file is too large (20 MB at most).")
        return upload


class ResidenceRequestForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên / Full name", max_length=150)
    date_of_birth = forms.DateField(label="Ngày sinh / Date of birth", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                    widget=forms.DateInput(attrs={"type": "date"}))
    cccd = forms.CharField(label="Số CCCD / định danh cá nhân (12 số)", max_length=20)
    address = forms.CharField(label="Nơi đang cư trú / Address", max_length=255)
    purpose = forms.CharField(label="Mục đích xin xác nhận / Purpose", max_length=255)
    phone = forms.CharField(label="Số điện thoại (không bắt buộc) / Phone", max_length=15, required=False)


class TrackForm(forms.Form):
    code = forms.CharField(label="Mã hồ sơ / Reference code", max_length=20)
