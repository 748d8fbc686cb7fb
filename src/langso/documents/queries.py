"""Reads of the documents app. Officer reads take a scope; public reads expose only what went out."""

from __future__ import annotations

from django.db.models import QuerySet

from langso.accounts.access import Scope
from langso.territory.models import AdministrativeUnit

from .models import Document, RequestStatus, ResidenceRequest, SignedFile, Status

PUBLIC_STATUSES = [Status.ISSUED, Status.SUPERSEDED]


def register(scope: Scope, commune: AdministrativeUnit) -> QuerySet[Document]:
    """The commune's register, newest first, as far as ``scope`` may read it."""
    return (Document.objects.visible_to(scope).filter(commune=commune)
            .select_related("supersedes").order_by("-created_at", "-id"))


def requests(scope: Scope, commune: AdministrativeUnit) -> QuerySet[ResidenceRequest]:
    return (ResidenceRequest.objects.visible_to(scope).filter(commune=commune)
            .select_related("document").order_by("-submitted_at"))


def open_request_count(scope: Scope, commune: AdministrativeUnit) -> int:
    return requests(scope, commune).filter(status__in=[RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW]).count()


def public_record(code: str) -> Document | None:
    """The issued (or superseded) document whose QR carries ``code``; ``None`` otherwise."""
    return (Document.objects.filter(verification_code=code.strip().upper(), status__in=PUBLIC_STATUSES)
            .select_related("commune", "commune__province", "signed_file").first())


def registered_copy(sha256: str) -> SignedFile | None:
    """The stored signed file with exactly this SHA-256, if its document went out."""
    return (SignedFile.objects.filter(sha256=sha256, document__status__in=PUBLIC_STATUSES)
            .select_related("document", "document__commune").defer("content").first())


def request_by_reference(code: str) -> ResidenceRequest | None:
    return (ResidenceRequest.objects.filter(reference_code=code.strip().upper().replace("-", "").replace(" ", ""))
            .select_related("commune", "document").first())
