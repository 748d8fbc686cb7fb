"""Deployment choices of the documents app, read from Django settings with an environment fallback.

The lead keeps one settings file; until it names these, the environment variable of the same name
is read here so a deployment can already set them. Every value is validated where it is used.

``LANGSO_PUBLIC_URL``          absolute base URL printed in the QR of every issued document, e.g.
                               ``https://langso.phutho.gov.vn`` (default ``http://127.0.0.1:8000``).
``LANGSO_TRUST_ANCHORS_DIR``   folder of PEM/DER root certificates trusted for verification
                               (production: the national roots NEAC and VGCA, Decree 23/2025/NĐ-CP,
                               Decree 68/2024/NĐ-CP). Empty: only the demo CA stored in the database.
``LANGSO_TSA_URL``             RFC 3161 timestamp authority; when set, signatures are PAdES B-T (or
                               B-LT). Empty: the demo TSA if ``demo_pki`` made one, otherwise B-B.
``LANGSO_REVOCATION_FETCH``    "1" lets signing and verification fetch CRL/OCSP over the network;
                               default "0" (a commune LAN may have no internet).
``LANGSO_SIGNING_KEK``         secret that wraps stored PKCS#12 files (AES-256-GCM); defaults to
                               ``SECRET_KEY``. Changing it makes stored credentials unreadable.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _raw(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def public_url() -> str:
    """Base URL without a trailing slash. Raises ``ImproperlyConfigured`` unless http(s)."""
    url = _raw("LANGSO_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"LANGSO_PUBLIC_URL must start with http:// or https://, not {url!r}")
    return url


def trust_anchors_dir() -> Path | None:
    """The configured folder of trust anchors, or ``None``. Raises if it is set but missing."""
    raw = _raw("LANGSO_TRUST_ANCHORS_DIR")
    if not raw:
        return None
    path = Path(raw)
    if not path.is_dir():
        raise ImproperlyConfigured(f"LANGSO_TRUST_ANCHORS_DIR is not a folder: {raw}")
    return path


def tsa_url() -> str:
    return _raw("LANGSO_TSA_URL")


def revocation_fetch() -> bool:
    value = _raw("LANGSO_REVOCATION_FETCH", "0").lower()
    if value not in {"0", "1", "true", "false", "yes", "no", ""}:
        raise ImproperlyConfigured(f"LANGSO_REVOCATION_FETCH must be 1 or 0, not {value!r}")
    return value in {"1", "true", "yes"}


def signing_kek() -> bytes:
    secret = _raw("LANGSO_SIGNING_KEK") or settings.SECRET_KEY
    return secret.encode("utf-8")
