"""Fixtures of the documents tests: ONE test PKI per session (key generation is the slow part),
installed into each test's database as the demo authority and commune A's credential."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from langso.documents import pki

PIN = "123456"


@dataclass(frozen=True)
class Pki:
    root: pki.Issued
    signer: pki.Issued  # commune A's organisation certificate
    tsa: pki.Issued
    foreign_root: pki.Issued
    foreign_signer: pki.Issued  # chains to a root nobody trusts
    revoked_signer: pki.Issued  # issued by root, listed on the CRL
    crl_url: str = "http://127.0.0.1:8000/pki/demo/ca.crl"


@pytest.fixture(scope="session")
def test_pki() -> Pki:
    root = pki.make_root("Làng số TEST Root CA", "Làng số (TEST)")
    url = "http://127.0.0.1:8000/pki/demo/ca.crl"
    signer = pki.issue(root, "UBND Xã Vĩnh Phú (TEST)", "Ủy ban nhân dân Xã Vĩnh Phú", locality="Tỉnh Phú Thọ",
                       crl_url=url)
    tsa = pki.issue(root, "Làng số TEST TSA", "Làng số (TEST)", purpose="timestamping", crl_url=url)
    foreign_root = pki.make_root("Mallory Root", "Mallory")
    foreign_signer = pki.issue(foreign_root, "UBND Xã Vĩnh Phú", "Ủy ban nhân dân Xã Vĩnh Phú")
    revoked = pki.issue(root, "Revoked signer (TEST)", "Ủy ban nhân dân Xã Vĩnh Phú", crl_url=url)
    return Pki(root, signer, tsa, foreign_root, foreign_signer, revoked)


@pytest.fixture(scope="session")
def pkcs12_a(test_pki) -> bytes:
    return pki.to_pkcs12(test_pki.signer, PIN)


@pytest.fixture
def installed_pki(territory, test_pki, pkcs12_a, settings):
    """The test PKI as the platform's demo authority (trusted root, CRL, TSA) and commune A's credential."""
    from langso.documents import conf
    from langso.documents.models import Authority, SigningCredential

    settings.LANGSO_PUBLIC_URL = "http://testserver"
    kek = conf.signing_kek()
    root = Authority.objects.create(
        kind=Authority.Kind.ROOT, name="TEST root", certificate_der=pki.der(test_pki.root.certificate),
        wrapped_key=pki.wrap(pki.key_pem(test_pki.root.key), kek), is_demo=True, trusted=True,
        crl_der=pki.crl_der(pki.make_crl(test_pki.root, [test_pki.revoked_signer.certificate.serial_number])))
    tsa = Authority.objects.create(
        kind=Authority.Kind.TSA, name="TEST TSA", certificate_der=pki.der(test_pki.tsa.certificate),
        wrapped_key=pki.wrap(pki.key_pem(test_pki.tsa.key), kek), is_demo=True, trusted=False)
    cert = test_pki.signer.certificate
    credential = SigningCredential.objects.create(
        commune=territory["a"], label="TEST — UBND Xã Vĩnh Phú", certificate_der=pki.der(cert),
        wrapped_key=pki.wrap(pkcs12_a, kek), subject=cert.subject.rfc4514_string(),
        serial=format(cert.serial_number, "X"), not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc, is_demo=True)
    return {"root": root, "tsa": tsa, "credential": credential}


def make_cccd(province: str, sex: str, year: int, serial: int) -> str:
    century = {(1900, "M"): "0", (1900, "F"): "1", (2000, "M"): "2", (2000, "F"): "3"}[(year // 100 * 100, sex)]
    return f"{province}{century}{year % 100:02d}{serial:06d}"


@pytest.fixture
def resident_a(territory):
    """A living resident of commune A with a CCCD, head of a household in village Ngũ Kiên."""
    from langso.registry.actions import add_resident, create_household

    household = create_household(None, territory["a"], village=territory["va"], address="Số 12, đường Đình")
    return add_resident(None, household, full_name="Nguyễn Thị Mai", date_of_birth=dt.date(1985, 3, 14), sex="F",
                        relation_to_head="head", cccd=make_cccd("025", "F", 1985, 4321))
