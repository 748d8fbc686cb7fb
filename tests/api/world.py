"""A small populated world for access tests: commune A (the editor's, in the reader's province),
commune C (same province, not the editor's) and commune B (the outsider's, another province).

Rows are made through ``registry.actions`` (so the audit log is filled as in production) and,
where no action exists yet (address codes, payment profiles, indicator values), with the ORM.
``SECRETS_A`` lists strings that only someone who may read commune A may ever receive.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from langso.lib.vietnamese import fold

NAME_HEAD_A = "Nguyễn Thị Bí Mật"
NAME_SPOUSE_A = "Trần Văn Kín Đáo"
ADDRESS_A = "Số 7 ngõ Khuất Nẻo"
TRADE_NAME_A = "Tạp hóa Cửa Sau"
SHOP_ADDRESS_A = "Ki-ốt 3 chợ Vĩnh Phú"
DOCUMENT_SUBJECT_A = "Thông báo lịch họp tổ hòa giải nội bộ"
PHONE_A = "0912345678"
ACCOUNT_A = "9704000011112222"
ADDRESS_CODE_A = "PT09154X0001"


@dataclass
class World:
    territory: dict[str, Any]
    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)
    # Residents' personal data of commune A: never shown outside A, not even on public pages.
    private_a: list[str] = field(default_factory=list)
    # Everything of commune A that only its readers may see (public pages aside: a business's
    # payment page shows its trade name and account by design).
    secrets_a: list[str] = field(default_factory=list)
    # What someone who may read commune A is shown somewhere (the leak checks' positive control).
    shown_a: list[str] = field(default_factory=list)
    # Commune C: in the reader's province but not the editor's commune.
    secrets_c: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


def _values(indicator: Any, units: dict[str, Any], period: str, as_of: dt.date) -> dict[str, Any]:
    from langso.indicators.models import IndicatorValue

    now = timezone.now()
    out = {}
    for key, (num, den) in {"a": (3, 4), "c": (1, 2), "b": (5, 5), "p25": (4, 6), "p01": (5, 5)}.items():
        out[key] = IndicatorValue.objects.create(
            indicator=indicator, unit=units[key], period=period, as_of=as_of, numerator=num,
            denominator=den, value=100.0 * num / den, computed_at=now,
        )
    return out


def build_world(territory: dict[str, Any], users: dict[str, Any]) -> World:
    """Populate the conftest territory: households, residents, businesses, codes, values, audit."""
    from django.contrib.auth.models import Group

    from langso.addressing.models import AddressCode
    from langso.indicators.models import ComputationRun, Indicator, Target
    from langso.payments.models import PaymentProfile
    from langso.registry import actions
    from langso.registry.identifiers import make_cccd
    from langso.territory.models import LineageEvent, Level, UnitLineage, UnitType

    a, b, c = territory["a"], territory["b"], territory["c"]
    editor = users["editor"]
    today = dt.date(2026, 11, 29)

    hh_a = actions.create_household(editor, a, village=territory["va"], address=ADDRESS_A,
                                    latitude=21.3, longitude=105.4, registered_on=dt.date(2020, 1, 1))
    cccd_head_a = make_cccd("025", "F", 1985, 424242)
    cccd_spouse_a = make_cccd("025", "M", 1983, 737373)
    head_a = actions.add_resident(editor, hh_a, full_name=NAME_HEAD_A, date_of_birth=dt.date(1985, 3, 4), sex="F",
                                  relation_to_head="head", cccd=cccd_head_a, phone=PHONE_A, today=today)
    spouse_a = actions.add_resident(editor, hh_a, full_name=NAME_SPOUSE_A, date_of_birth=dt.date(1983, 5, 6),
                                    sex="M", relation_to_head="spouse", cccd=cccd_spouse_a, today=today)
    business_a = actions.create_business_household(
        editor, a, owner=head_a, registration_number="25A8009999", trade_name=TRADE_NAME_A, sector="retail",
        address=SHOP_ADDRESS_A,
    )
    code_a = AddressCode.objects.create(household=hh_a, commune=a, code=ADDRESS_CODE_A)
    payment_a = PaymentProfile.objects.create(business=business_a, commune=a, bank_bin="970436",
                                              account_number=ACCOUNT_A, account_holder="NGUYEN THI BI MAT")

    hh_c = actions.create_household(None, c, address="Xóm Giữa")
    resident_c = actions.add_resident(None, hh_c, full_name="Phạm Văn Cê", date_of_birth=dt.date(1990, 1, 1),
                                      sex="M", relation_to_head="head", today=today)
    hh_b = actions.create_household(users["outsider"], b, village=territory["vb"], address="Phố Bê")
    resident_b = actions.add_resident(users["outsider"], hh_b, full_name="Lê Thị Bê", date_of_birth=dt.date(1970, 1, 1),
                                      sex="F", relation_to_head="head", cccd=make_cccd("001", "F", 1970, 1), today=today)

    indicator = Indicator.objects.create(
        code="HH_ADDR", name_vi="Tỷ lệ hộ có mã địa chỉ số", name_en="Households with a digital address code",
        numerator="households_with_address_code", denominator="households", unit="percent",
        source="Quyết định 51/2025/QĐ-TTg",
    )
    target = Target.objects.create(indicator=indicator, comparison=">=", value=80, year=2025, source="QĐ 411/QĐ-TTg")
    values = _values(indicator, territory, "202611", today)
    run = ComputationRun.objects.create(period="202611", as_of=today, started_at=timezone.now(),
                                        finished_at=timezone.now(), communes=3, values_written=5, seconds=0.1)

    legacy = type(a).objects.create(
        code="09154", name="Vĩnh Phú (cũ)", full_name="Xã Vĩnh Phú (cũ)", unit_type=UnitType.COMMUNE,
        level=Level.COMMUNE, valid_from=dt.date(2008, 8, 1), valid_to=dt.date(2025, 6, 30),
    )
    lineage = UnitLineage.objects.create(predecessor=legacy, successor=a, event=LineageEvent.MERGE,
                                         source="Nghị quyết 1676/NQ-UBTVQH15")
    group = Group.objects.create(name="officials")

    from langso.accounts.models import Membership
    from langso.audit.models import AuditEntry

    world = World(territory=territory, users=users)
    world.objects.update({
        "household_a": hh_a, "head_a": head_a, "spouse_a": spouse_a, "business_a": business_a,
        "address_code_a": code_a, "payment_a": payment_a, "village_a": territory["va"],
        "household_b": hh_b, "resident_b": resident_b, "household_c": hh_c, "resident_c": resident_c,
        "indicator": indicator, "target": target, "values": values, "value_a": values["a"],
        "legacy_a": legacy, "lineage_a": lineage, "group": group, "run": run,
        "membership_editor": Membership.objects.get(user=editor),
        "audit_a": AuditEntry.objects.filter(unit=a).order_by("id").first(),
    })
    world.private_a = sorted({
        NAME_HEAD_A, NAME_SPOUSE_A, fold(NAME_HEAD_A), fold(NAME_SPOUSE_A), cccd_head_a, cccd_spouse_a, PHONE_A,
        ADDRESS_A,
    })
    world.secrets_a = sorted({
        *world.private_a, TRADE_NAME_A, fold(TRADE_NAME_A), SHOP_ADDRESS_A, ACCOUNT_A, ADDRESS_CODE_A,
        territory["va"].name,
    })
    world.shown_a = sorted({
        NAME_HEAD_A, NAME_SPOUSE_A, cccd_head_a, cccd_spouse_a, ADDRESS_A, TRADE_NAME_A, PHONE_A, ACCOUNT_A,
        ADDRESS_CODE_A, territory["va"].name,
    })
    world.secrets_c = sorted({resident_c.full_name, resident_c.search_name, "Xóm Giữa"})
    return world


def add_documents(world: World) -> None:
    """A draft document and a residence request of commune A (documents app), for the walk."""
    from langso.documents import actions as documents
    from langso.registry.identifiers import make_cccd

    a = world.territory["a"]
    world.objects["document_a"] = documents.create_draft(
        world.users["editor"], a, doc_type="notice", subject=DOCUMENT_SUBJECT_A,
        body="Kính gửi các tổ hòa giải.", signer_name="Hoàng Văn Chủ",
    )
    world.objects["request_a"] = documents.submit_residence_request(
        a, full_name="Đỗ Thị Yêu Cầu", date_of_birth=dt.date(1990, 1, 1), cccd=make_cccd("025", "F", 1990, 99),
        address="Xã Vĩnh Phú", purpose="Nhập học", today=dt.date(2026, 11, 29),
    )
    world.secrets_a = sorted({*world.secrets_a, DOCUMENT_SUBJECT_A})
    world.shown_a = sorted({*world.shown_a, DOCUMENT_SUBJECT_A})


def leaked(body: str, secrets: list[str]) -> list[str]:
    """The secrets found in ``body``, in plain text or as JSON ``\\u`` escapes."""
    found = []
    for secret in secrets:
        escaped = json.dumps(secret)[1:-1]
        if secret in body or escaped in body:
            found.append(secret)
    return found
