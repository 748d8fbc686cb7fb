"""This app's own built-in online services (see :mod:`langso.participation.builtins`)."""

ONLINE_SERVICES = [
    {
        "key": "participation.feedback",
        "field": "community_monitoring",
        "name_vi": "Phản ánh, kiến nghị của người dân",
        "name_en": "Residents' reports and petitions",
        "description_vi": "Gửi phản ánh (kèm ảnh, vị trí) không cần tài khoản; theo dõi bằng mã; câu trả lời của xã công khai.",
        "description_en": "Report an issue (with a photo and location) without an account; follow it with a code; "
                          "the commune's answer is public.",
        "url_name": "participation:feedback-new",
        "url_kwargs": {"commune_code": "{commune_code}"},
    },
    {
        "key": "participation.surveys",
        "field": "community_monitoring",
        "name_vi": "Khảo sát sự hài lòng của người dân",
        "name_en": "Residents' satisfaction surveys",
        "description_vi": "Mỗi hộ trả lời một lần bằng mã một lần; kết quả ẩn danh.",
        "description_en": "Each household answers once with a one-time code; results are anonymous.",
        "url_name": "participation:survey-start",
        "url_kwargs": {},
    },
]
