"""Demo payment profiles: every demo business household gets a plausible, deterministic account.

Called by ``langso demo`` after the demo population exists. Bank shares below are illustrative
weights for a rural commune (Agribank and the state-owned banks ahead, LPBank through post
offices), not statistics; account lengths are typical of each bank, not its real numbering.
The numbers are synthetic — never a real person's account.
"""

from __future__ import annotations

import base64
import random

from django.db import transaction

from langso.audit.log import record
from langso.registry.models import BusinessHousehold

from .actions import holder_name, validate_profile
from .models import AccountKind, PaymentProfile

# bin: (weight, account length)
DEMO_BANKS: dict[str, tuple[float, int]] = {
    "970405": (30, 13),  # Agribank
    "970415": (12, 12),  # VietinBank
    "970418": (12, 14),  # BIDV
    "970436": (12, 13),  # Vietcombank
    "970422": (10, 12),  # MB
    "970407": (7, 14),   # Techcombank
    "970449": (5, 12),   # LPBank
    "970432": (5, 9),    # VPBank
    "970416": (4, 9),    # ACB
    "970403": (3, 12),   # Sacombank
}
CARD_SHARE = 0.05
BATCH = 1000


def _draw(rng: random.Random, business: BusinessHousehold) -> tuple[str, str, str]:
    bins = list(DEMO_BANKS)
    bank_bin = rng.choices(bins, weights=[DEMO_BANKS[b][0] for b in bins])[0]
    if rng.random() < CARD_SHARE:
        return bank_bin, AccountKind.CARD, bank_bin + "".join(rng.choice("0123456789") for _ in range(10))
    length = DEMO_BANKS[bank_bin][1]
    return bank_bin, AccountKind.ACCOUNT, str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(length - 1))


def issue_demo_payment_profiles(seed: int, commune_codes: list[str]) -> int:
    """Give every open business household of the current communes ``commune_codes`` that has no
    payment profile an active one; return how many were created.

    Deterministic: a business's bank, kind, number and public id depend only on ``seed``, its
    commune code and registration number, so the same seed gives the same profiles in any
    order. Values pass :func:`.actions.validate_profile` like any officer's input; rows are
    written in batches with one audit entry per commune. Idempotent: a second call creates none.
    """
    businesses = (
        BusinessHousehold.objects.filter(commune__code__in=commune_codes, commune__valid_to__isnull=True,
                                         closed_on__isnull=True, payment_profile__isnull=True)
        .select_related("owner", "commune")
        .order_by("commune__code", "registration_number")
    )
    created = 0
    per_commune: dict[int, tuple[object, int]] = {}
    batch: list[PaymentProfile] = []

    def flush() -> None:
        nonlocal created
        PaymentProfile.objects.bulk_create(batch)
        created += len(batch)
        batch.clear()

    with transaction.atomic():
        for business in businesses.iterator(chunk_size=BATCH):
            rng = random.Random(f"langso-demo-payments:{seed}:{business.commune.code}:{business.registration_number}")
            bank_bin, kind, number = _draw(rng, business)
            values = validate_profile(bank_bin, kind, number, holder_name(business.owner.full_name))
            public_id = base64.urlsafe_b64encode(rng.getrandbits(72).to_bytes(9, "big")).decode()
            batch.append(PaymentProfile(
                business=business, commune_id=business.commune_id, bank_bin=values.bank_bin,
                account_kind=values.account_kind, account_number=values.account_number,
                account_holder=values.account_holder, payload=values.payload, public_id=public_id, active=True,
            ))
            unit, count = per_commune.get(business.commune_id, (business.commune, 0))
            per_commune[business.commune_id] = (unit, count + 1)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
        for unit, count in per_commune.values():
            record(None, "payment_profile.demo_issue", unit=unit, target_type="payments.PaymentProfile",
                   data={"created": count, "seed": seed})
    return created
