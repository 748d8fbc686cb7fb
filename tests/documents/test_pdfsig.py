"""An independent verifier: poppler's ``pdfsig`` (Debian ``poppler-utils``) must accept our signatures
and reject a tampered file. With ``certutil`` (Debian ``libnss3-tools``) the test root is put in a
throw-away NSS database so pdfsig also reports the chain as trusted.

Skipped when pdfsig is missing, unless ``LANGSO_REQUIRE_PDFSIG=1`` (CI sets it) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from langso.documents import pki, signing

from .conftest import PIN
from .test_signing import appearance, context_factory, tsa_of

PDFSIG = shutil.which("pdfsig")
CERTUTIL = shutil.which("certutil")


@pytest.fixture(scope="module", autouse=True)
def need_pdfsig():
    if PDFSIG is None:
        if os.environ.get("LANGSO_REQUIRE_PDFSIG") == "1":
            pytest.fail("pdfsig is required (LANGSO_REQUIRE_PDFSIG=1): apt-get install -y poppler-utils")
        pytest.skip("pdfsig not installed (apt-get install -y poppler-utils); set LANGSO_REQUIRE_PDFSIG=1 to fail")


def pdfsig(path, nssdir=None) -> str:
    # No -no-ocsp: poppler 22.x then reports a generic certificate error even for a good chain.
    args = [PDFSIG] + (["-nssdir", f"sql:{nssdir}"] if nssdir else []) + [str(path)]
    return subprocess.run(args, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def nssdir(tmp_path_factory, test_pki):
    if CERTUTIL is None:
        return None
    folder = tmp_path_factory.mktemp("nss")
    subprocess.run([CERTUTIL, "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True)
    root = folder / "root.pem"
    root.write_text(pki.pem(test_pki.root.certificate))
    subprocess.run([CERTUTIL, "-A", "-d", f"sql:{folder}", "-n", "langso-test-root", "-t", "CT,C,C", "-a", "-i",
                    str(root)], check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def signed(test_pki, pkcs12_a):
    from langso.documents import rendering

    from .test_signing import sheet

    rendered = rendering.render(sheet())
    return signing.sign_pdf(rendered.pdf, signing.Pkcs12KeySource(pkcs12_a, PIN), appearance(rendered.signature_box),
                            validation_context=context_factory(test_pki)({}, for_signing=True),
                            timestamper=tsa_of(test_pki))


def test_pdfsig_accepts_b_lt_signature(signed, tmp_path, nssdir):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed.data)
    out = pdfsig(path, nssdir)
    assert "Signature is Valid." in out, out
    assert "UBND Xã Vĩnh Phú (TEST)" in out
    assert "ETSI.CAdES.detached" in out  # PAdES subfilter
    assert "Total document signed" in out
    if nssdir is not None:
        assert "Certificate is Trusted." in out, out


def test_pdfsig_rejects_one_byte_change(signed, tmp_path, nssdir):
    data = bytearray(signed.data)
    at = data.index(b"/Title")
    data[at + 8] ^= 0x01
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(data))
    out = pdfsig(path, nssdir)
    assert "Signature is Valid." not in out
    assert "Digest Mismatch" in out or "Invalid" in out, out
