"""The documents app's built-in online service, listed in communes' catalogues by
:mod:`langso.participation.builtins` (plain data: this app imports nothing from participation)."""

from __future__ import annotations

from typing import Any


def _signs_digitally(commune: Any) -> bool:
    """The residence procedure is open only where the commune has an active signing credential."""
    from .models import SigningCredential

    return SigningCredential.objects.filter(commune=commune, active=True).exists()


ONLINE_SERVICES = [
    {
        "key": "documents.residence_confirmation",
        # Residence management belongs to public security (Law on Residence 68/2020/QH14).
        "field": "security_order",
        "name_vi": "Xin giấy xác nhận thông tin về cư trú",
        "name_en": "Residence confirmation request",
        "description_vi": "Gửi hồ sơ trực tuyến; xã xem xét, ký số; tải giấy xác nhận bằng mã hồ sơ.",
        "description_en": "Apply online; the commune reviews and signs digitally; download it with the reference code.",
        "url_name": "documents:residence-form",
        "url_kwargs": {"commune_code": "{commune_code}"},
        "available": _signs_digitally,
    },
]
