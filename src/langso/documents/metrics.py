"""What the indicator engine may count about commune documents (see :mod:`langso.lib.metrics`).

Both metrics count the documents a commune issued in the calendar year of the as-of date, up to
that date (a signed-then-superseded document still went out and counts). The share signed
digitally is the programme's measure of paperless administration (reference commune: 100%;
Decision 924/QĐ-TTg of 2 Aug 2022; Decree 30/2020/NĐ-CP on electronic documents).
"""

from __future__ import annotations

from django.db.models import Q

from langso.lib.metrics import Metric, MetricContext

from .models import Document, SignatureKind, Status

_WENT_OUT = [Status.ISSUED, Status.SUPERSEDED]


def _issued(context: MetricContext) -> Q:
    return Q(status__in=_WENT_OUT, issued_on__year=context.as_of.year, issued_on__lte=context.as_of)


def _issued_signed(context: MetricContext) -> Q:
    return _issued(context) & Q(signature_kind=SignatureKind.DIGITAL)


METRICS = [
    Metric("documents.issued", "Số văn bản đã ban hành trong năm", "Documents issued this year", Document, _issued),
    Metric("documents.issued_signed", "Số văn bản ban hành có chữ ký số trong năm",
           "Documents issued this year with a digital signature", Document, _issued_signed),
]
