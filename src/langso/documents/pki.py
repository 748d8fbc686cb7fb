"""A small certification authority made with ``cryptography``: the demo PKI and the tests' PKI.

It issues what a commune needs to sign documents offline: a root, an organisation certificate per
commune, a timestamping certificate and CRLs. Every name it writes says DEMO; production keys come
from a licensed provider (public: NEAC root, Decree 23/2025/NĐ-CP; official duty: VGCA, Decree
68/2024/NĐ-CP) and are imported, never made here.

Key sizes follow Circular 15/2025/TT-BKHCN (RSA ≥ 2048 bits or ECDSA ≥ 256 bits): RSA-2048 with
SHA-256 everywhere, which every PDF reader (pdfsig/NSS, Adobe, Foxit) accepts.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

RSA_BITS = 2048
_WRAP_INFO = b"langso.documents.credential.v1"


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key and the chain above it (issuer first, root last)."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    chain: tuple[x509.Certificate, ...] = field(default_factory=tuple)


def new_key(bits: int = RSA_BITS) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def fit64(text: str) -> str:
    """``text`` cut at a character boundary to the 64 UTF-8 bytes X.520 allows for CN, O and L (RFC 5280 A.1)."""
    while len(text.encode("utf-8")) > 64:
        text = text[:-1]
    return text.rstrip()


def _name(common_name: str, organisation: str, locality: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if locality:
        attrs.append(x509.NameAttribute(NameOID.LOCALITY_NAME, fit64(locality)))
    attrs += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, fit64(organisation)),
        x509.NameAttribute(NameOID.COMMON_NAME, fit64(common_name)),
    ]
    return x509.Name(attrs)


def make_root(common_name: str, organisation: str, *, now: dt.datetime | None = None, years: int = 10,
              key: rsa.RSAPrivateKey | None = None) -> Issued:
    """A self-signed root CA certificate valid ``years`` years from ``now`` (UTC)."""
    now = now or dt.datetime.now(dt.UTC)
    key = key or new_key()
    name = _name(common_name, organisation)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def issue(ca: Issued, common_name: str, organisation: str, *, locality: str = "", purpose: str = "signing",
          crl_url: str = "", now: dt.datetime | None = None, years: int = 3,
          key: rsa.RSAPrivateKey | None = None) -> Issued:
    """Issue an end-entity certificate under ``ca``.

    ``purpose`` is ``"signing"`` (digitalSignature + nonRepudiation, for documents) or
    ``"timestamping"`` (critical EKU id-kp-timeStamping, RFC 3161 §2.3). ``crl_url`` becomes the
    CRL distribution point when given. Raises ``ValueError`` for another purpose.
    """
    if purpose not in {"signing", "timestamping"}:
        raise ValueError(f"unknown purpose {purpose!r}")
    now = now or dt.datetime.now(dt.UTC)
    key = key or new_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation, locality))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(min(now + dt.timedelta(days=365 * years), ca.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    if purpose == "signing":
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False), critical=True)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([
            x509.DistributionPoint(full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
                                   reasons=None, crl_issuer=None)]), critical=False)
    cert = builder.sign(ca.key, hashes.SHA256())
    return Issued(cert, key, (ca.certificate, *ca.chain))


def make_crl(ca: Issued, revoked_serials: list[int] | tuple[int, ...] = (), *, now: dt.datetime | None = None,
             days: int = 30) -> x509.CertificateRevocationList:
    """A CRL of ``ca`` valid ``days`` days, revoking ``revoked_serials`` as of ``now``."""
    now = now or dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(days=days))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    for serial in revoked_serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now - dt.timedelta(minutes=1))
            .build())
    return builder.sign(ca.key, hashes.SHA256())


def to_pkcs12(issued: Issued, passphrase: str, friendly_name: str = "langso") -> bytes:
    """The key, certificate and chain as a PKCS#12 file (PBES2, PBKDF2-SHA256, AES-256-CBC, HMAC-SHA256).

    Raises ``ValueError`` for an empty passphrase: a stored key is never unprotected.
    """
    if not passphrase:
        raise ValueError("a PKCS#12 passphrase is required")
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase.encode("utf-8"))
    )
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode("utf-8"), issued.key, issued.certificate, list(issued.chain), encryption)


def from_pkcs12(data: bytes, passphrase: str) -> Issued:
    """Load a PKCS#12 file. Raises ``ValueError`` on a wrong passphrase or a file without a key."""
    key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
    if key is None or cert is None:
        raise ValueError("the PKCS#12 file holds no key or no certificate")
    return Issued(cert, key, tuple(extra))  # type: ignore[arg-type]


def _wrap_key(kek: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_WRAP_INFO).derive(kek)


def wrap(secret: bytes, kek: bytes) -> bytes:
    """Encrypt ``secret`` at rest: 12-byte nonce ‖ AES-256-GCM ciphertext, key = HKDF-SHA256(kek)."""
    nonce = os.urandom(12)
    return nonce + AESGCM(_wrap_key(kek)).encrypt(nonce, secret, _WRAP_INFO)


def unwrap(blob: bytes, kek: bytes) -> bytes:
    """Decrypt what :func:`wrap` made. Raises ``cryptography.exceptions.InvalidTag`` on a wrong key."""
    return AESGCM(_wrap_key(kek)).decrypt(bytes(blob[:12]), bytes(blob[12:]), _WRAP_INFO)


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def crl_der(crl: x509.CertificateRevocationList) -> bytes:
    return crl.public_bytes(serialization.Encoding.DER)
