"""Trust anchors, revocation data and the timestamp authority, as the platform is configured.

Anchors = every PEM/DER certificate in ``LANGSO_TRUST_ANCHORS_DIR`` (production: the national
roots — NEAC for public digital signatures, Decree 23/2025/NĐ-CP; VGCA for official duty,
Decree 68/2024/NĐ-CP) plus the ``trusted`` root authorities stored in the database (the demo CA).
"""

from __future__ import annotations

import logging
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.sign import timestamps
from pyhanko_certvalidator import ValidationContext

from . import conf, pki
from .models import Authority

log = logging.getLogger(__name__)
ANCHOR_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """All certificates of a PEM bundle or a single DER certificate. Raises ``ValueError`` if none."""
    if asn1_pem.detect(data):
        certs = [asn1_x509.Certificate.load(der) for kind, _, der in asn1_pem.unarmor(data, multiple=True)
                 if kind == "CERTIFICATE"]
    else:
        certs = [asn1_x509.Certificate.load(data)]
        _ = certs[0].native  # parse now: a broken file fails here, not during validation
    if not certs:
        raise ValueError("no certificate found")
    return certs


def anchors_from_dir(folder: Path | None) -> list[asn1_x509.Certificate]:
    """Certificates of every ``*.pem|crt|cer|der`` file in ``folder`` (unreadable files are logged)."""
    if folder is None:
        return []
    found: list[asn1_x509.Certificate] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in ANCHOR_SUFFIXES or not path.is_file():
            continue
        try:
            found.extend(load_certificates(path.read_bytes()))
        except Exception as exc:
            log.warning("trust anchor %s skipped: %s", path, exc)
    return found


def trust_anchors() -> list[asn1_x509.Certificate]:
    """The configured anchors: the folder's and the database's trusted roots."""
    stored = [asn1_x509.Certificate.load(bytes(der)) for der in
              Authority.objects.filter(kind=Authority.Kind.ROOT, trusted=True).values_list("certificate_der",
                                                                                          flat=True)]
    return anchors_from_dir(conf.trust_anchors_dir()) + stored


def known_crls() -> list[asn1_crl.CertificateList]:
    return [asn1_crl.CertificateList.load(bytes(der)) for der in
            Authority.objects.exclude(crl_der=None).values_list("crl_der", flat=True)]


def validation_context(extra: dict | None = None, *, for_signing: bool = False) -> ValidationContext:
    """A pyHanko validation context on the configured anchors and known CRLs.

    ``extra`` may add ``other_certs``, ``crls`` and ``ocsps`` (from a document's DSS). For signing
    (B-LT) revocation data is required ("hard-fail"); for verification missing data is tolerated.
    """
    extra = dict(extra or {})
    crls = list(extra.pop("crls", [])) + known_crls()
    return ValidationContext(
        trust_roots=trust_anchors(), crls=crls, ocsps=list(extra.pop("ocsps", [])),
        other_certs=list(extra.pop("other_certs", [])), allow_fetching=conf.revocation_fetch(),
        revocation_mode="hard-fail" if for_signing else "soft-fail",
    )


def timestamper() -> timestamps.TimeStamper | None:
    """The RFC 3161 timestamp authority: ``LANGSO_TSA_URL``, else the demo TSA, else ``None``."""
    url = conf.tsa_url()
    if url:
        return timestamps.HTTPTimeStamper(url)
    tsa = Authority.objects.filter(kind=Authority.Kind.TSA, is_demo=True).exclude(wrapped_key=None).last()
    if tsa is None:
        return None
    key_pem = pki.unwrap(bytes(tsa.wrapped_key), conf.signing_kek())
    key_der = asn1_pem.unarmor(key_pem)[2]
    return timestamps.DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(bytes(tsa.certificate_der)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
    )
