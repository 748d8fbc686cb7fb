"""A lot's trace events as an EPCIS 2.0 JSON-LD document (GS1 EPCIS 2.0, 2022; CBV 2.0).

Each event is an ``ObjectEvent`` on the lot as a *class* (``quantityList``: the product's lot,
identified by its GS1 Digital Link URI on ``id.gs1.org`` when the product has a GTIN — the
canonical LGTIN form — or by the platform's own lot URI otherwise). Business steps: received →
``receiving``, produced → ``commissioning`` (action ``ADD``), shipped → ``shipping``. Units of
measure are UN/ECE Recommendation 20 codes (KGM, TNE, LTR); packs, bottles and pieces are counts
(no ``uom``). Party and place names have no GLN here, so they travel in the ``langso:`` extension
namespace instead of ``sourceList``/``destinationList`` (which require identifiers).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.conf import settings

from . import trace
from .models import Lot

CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
UOM = {"kg": "KGM", "t": "TNE", "l": "LTR"}
ACTION = {"received": "OBSERVE", "produced": "ADD", "shipped": "OBSERVE"}
BIZ_STEP = {"received": "receiving", "produced": "commissioning", "shipped": "shipping"}
DISPOSITION = {"received": "in_progress", "produced": "active", "shipped": "in_transit"}
OFFSET = "+07:00"  # Vietnam, no daylight saving


def epc_class(lot: Lot) -> str:
    """The lot as an EPC class URI: ``https://id.gs1.org/01/{gtin}/10/{lot}`` or the lot's own URI."""
    if lot.product.gtin:
        return f"https://id.gs1.org/01/{lot.product.gtin}/10/{quote(lot.code, safe='')}"
    return trace.lot_uri(lot)


def document(lot: Lot, created: dt.datetime) -> dict[str, Any]:
    """The EPCIS 2.0 ``EPCISDocument`` of ``lot``'s events (dates at 00:00 Vietnam time)."""
    namespace = settings.LANGSO_PUBLIC_URL.rstrip("/") + "/ns/epcis#"
    events = []
    for e in lot.events.all():
        quantity: dict[str, Any] = {"epcClass": epc_class(lot)}
        amount = e.quantity if e.quantity is not None else (lot.quantity if e.kind == "produced" else None)
        if amount is not None:
            quantity["quantity"] = float(amount)
            if lot.unit in UOM:
                quantity["uom"] = UOM[lot.unit]
        event: dict[str, Any] = {
            "type": "ObjectEvent", "eventTime": f"{e.occurred_on.isoformat()}T00:00:00{OFFSET}",
            "eventTimeZoneOffset": OFFSET, "action": ACTION[e.kind], "bizStep": BIZ_STEP[e.kind],
            "disposition": DISPOSITION[e.kind], "epcList": [], "quantityList": [quantity],
        }
        if e.party:
            event["langso:party"] = e.party
        if e.place:
            event["langso:place"] = e.place
        if e.document:
            event["bizTransactionList"] = [{"type": "desadv" if e.kind == "shipped" else "recadv",
                                            "bizTransaction": f"urn:langso:doc:{quote(e.document, safe='')}"}]
        events.append(event)
    return {
        "@context": [CONTEXT, {"langso": namespace}], "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": created.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "epcisBody": {"eventList": events},
    }
