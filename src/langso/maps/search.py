"""Finding a household for the officials' map: by address code, household number or the head's name.

Reads only through the reader's scope (``visible_to``); returns plain dicts for JSON. The head's
name is shown because only officials who may read the household's commune reach this search.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from langso.addressing import codes

from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold
from langso.registry.models import Household, Resident

MAX_RESULTS = 20


def households(scope: Any, text: str, *, commune: Any = None, province: Any = None) -> list[dict[str, Any]]:
    """Up to :data:`MAX_RESULTS` households matching ``text`` in the scope (and focus).

    An address code (any spelling :func:`langso.addressing.codes.normalise` accepts) matches exactly;
    digits match the household number; other text matches the folded head's name (words in order).
    """
    text = (text or "").strip()
    if not text:
        return []
    qs = Household.objects.visible_to(scope).filter(dissolved_on__isnull=True)
    if commune is not None:
        qs = qs.filter(commune=commune)
    elif province is not None:
        qs = qs.filter(commune__province=province)
    try:
        code = codes.normalise(text)
    except RuleViolation:
        code = None
    if code is not None:
        qs = qs.filter(address_code__code=code)
    elif text.isdigit():
        qs = qs.filter(pk=int(text))
    else:
        folded = fold(text)
        if len(folded) < 2:
            return []
        qs = qs.filter(head_search_name__contains=folded)
    rows = list(qs.order_by("pk").values(
        "pk", "commune__code", "commune__full_name", "village__name", "latitude", "longitude", "address_code__code",
    )[:MAX_RESULTS])
    heads = dict(
        Resident.objects.filter(household_id__in=[r["pk"] for r in rows], relation_to_head="head",
                                died_on__isnull=True, moved_out_on__isnull=True).values_list("household_id", "full_name")
    )
    out = []
    for r in rows:
        code_text = r["address_code__code"] or ""
        out.append({
            "id": r["pk"], "head": heads.get(r["pk"], ""), "village": r["village__name"] or "",
            "commune": r["commune__full_name"], "code": codes.display(code_text) if len(code_text) == codes.CODE_CHARS
            else code_text, "lat": r["latitude"], "lon": r["longitude"],
            "url": reverse("addressing:household", args=[r["commune__code"], r["pk"]]),
        })
    return out



