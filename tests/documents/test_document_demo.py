"""The demo commands: a DEMO CA, a credential per commune, signed documents and requests at every step."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from langso.documents import trust, verification
from langso.documents.demo import DEMO_PIN
from langso.documents.models import Authority, Document, RequestStatus, ResidenceRequest, SigningCredential, Status
from langso.registry.actions import add_resident, create_household

from .conftest import make_cccd

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(territory, users):
    """Five residents with a CCCD in commune A (enough for one request per step)."""
    for i in range(5):
        household = create_household(None, territory["a"], village=territory["va"], address=f"Số {i + 1}")
        add_resident(None, household, full_name=f"Trần Văn Số{i}", date_of_birth=dt.date(1980 + i, 1, 2), sex="M",
                     relation_to_head="head", cccd=make_cccd("025", "M", 1980 + i, 100 + i))


def test_demo_pki_then_documents(population, territory, settings, tmp_path):
    settings.LANGSO_PUBLIC_URL = "http://testserver"
    out = io.StringIO()
    root_file = tmp_path / "root.pem"
    call_command("demo_pki", communes=territory["a"].code, export_root=root_file, stdout=out)
    assert DEMO_PIN in out.getvalue() and "BEGIN CERTIFICATE" in root_file.read_text()
    assert Authority.objects.filter(is_demo=True).count() == 2
    credential = SigningCredential.objects.get(commune=territory["a"], active=True)
    assert credential.is_demo and "DEMO" in credential.label

    call_command("sign_demo_documents", communes=territory["a"].code, stdout=io.StringIO())
    documents = Document.objects.filter(commune=territory["a"])
    assert documents.filter(status=Status.ISSUED).count() == 4  # decision, notice, report, one certificate
    assert documents.filter(status=Status.DRAFT).count() == 1
    statuses = set(ResidenceRequest.objects.values_list("status", flat=True))
    assert statuses == {RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW, RequestStatus.ISSUED, RequestStatus.REJECTED}
    sample = documents.filter(status=Status.ISSUED).first().signed_file
    assert sample.pades_level == "B-LT"
    assert verification.verify_pdf(bytes(sample.content), trust.validation_context).verdict == verification.VALID

    # Running again changes nothing (idempotent).
    call_command("demo_pki", communes=territory["a"].code, stdout=io.StringIO())
    call_command("sign_demo_documents", communes=territory["a"].code, stdout=io.StringIO())
    assert Document.objects.filter(commune=territory["a"]).count() == documents.count()
    assert SigningCredential.objects.filter(commune=territory["a"]).count() == 1


def test_trust_anchors_dir_adds_national_roots(territory, settings, tmp_path, test_pki):
    from langso.documents import pki

    (tmp_path / "neac.pem").write_text(pki.pem(test_pki.foreign_root.certificate))
    (tmp_path / "vgca.der").write_bytes(pki.der(test_pki.root.certificate))
    (tmp_path / "README.txt").write_text("not a certificate")
    settings.LANGSO_TRUST_ANCHORS_DIR = str(tmp_path)
    names = {c.subject.native["common_name"] for c in trust.trust_anchors()}
    assert names == {"Mallory Root", "Làng số TEST Root CA"}
