"""Demo payment profiles (deterministic, every demo business gets one, PAY-QR reads 100 %) and
the survey import of online payment accounts (all or nothing, per-row errors)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from langso.audit.models import AuditEntry
from langso.indicators.engine import count_metrics
from langso.payments.demo import issue_demo_payment_profiles
from langso.payments.models import PaymentProfile
from langso.payments.survey import SurveyImportError, import_payment_survey
from langso.payments.vietqr import decode
from langso.registry import actions as registry
from langso.registry.identifiers import make_cccd
from langso.registry.models import BusinessHousehold, Resident

METRICS = ["payments.business_households_with_qr", "registry.business_households"]


@pytest.fixture
def demo_population(territory):
    """Business households of communes A (12) and C (4), one of them closed. Built with the
    registry actions rather than the demo generator, so these tests do not hang on its data."""
    from langso.territory.models import Village

    from conftest import make_business
    vc = Village.objects.create(commune=territory["c"], name="Xóm Đình", village_type="thon", search_name="xom dinh")
    names = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Phượng"]
    for n in range(16):
        commune, village = (territory["a"], territory["va"]) if n < 12 else (territory["c"], vc)
        make_business(commune, village, n=n + 10, trade_name=f"Cửa hàng số {n}", owner_name=names[n % len(names)])
    closed = BusinessHousehold.objects.filter(commune=territory["a"]).order_by("pk").first()
    closed.closed_on = dt.date(2025, 1, 1)
    closed.save(update_fields=["closed_on"])
    return territory


def test_every_demo_business_gets_a_valid_profile_and_pay_qr_reads_100(demo_population):
    territory = demo_population
    before = count_metrics(METRICS, timezone.localdate())
    assert before["payments.business_households_with_qr"].get(territory["a"].pk, 0) == 0
    created = issue_demo_payment_profiles(7, ["09154", "09157"])
    businesses = BusinessHousehold.objects.filter(commune__in=[territory["a"], territory["c"]], closed_on__isnull=True)
    assert created == businesses.count() > 0
    counts = count_metrics(METRICS, timezone.localdate())
    for commune in (territory["a"], territory["c"]):
        assert counts["payments.business_households_with_qr"][commune.pk] == counts["registry.business_households"][commune.pk]
    for profile in PaymentProfile.objects.select_related("business__owner"):
        qr = decode(profile.payload)
        assert (qr.bin, qr.account, qr.service) == (profile.bank_bin, profile.account_number, profile.account_kind)
        assert profile.account_holder == profile.account_holder.upper() and profile.account_holder.isascii()
    assert issue_demo_payment_profiles(7, ["09154", "09157"]) == 0  # idempotent
    assert AuditEntry.objects.filter(action="payment_profile.demo_issue").count() == 2


def test_demo_profiles_are_deterministic(demo_population):
    issue_demo_payment_profiles(3, ["09154"])
    first = sorted(PaymentProfile.objects.values_list("business__registration_number", "bank_bin", "account_number",
                                                      "public_id", "payload"))
    PaymentProfile.objects.all().delete()
    issue_demo_payment_profiles(3, ["09154"])
    again = sorted(PaymentProfile.objects.values_list("business__registration_number", "bank_bin", "account_number",
                                                      "public_id", "payload"))
    assert first == again and first
    assert len({row[1] for row in first}) > 1  # several banks


# --- survey import ---------------------------------------------------------------------------

@pytest.fixture
def residents(territory):
    household = registry.create_household(None, territory["a"], village=territory["va"])
    people = []
    for n, (name, sex, year) in enumerate([("Nguyễn Văn An", "M", 1980), ("Lê Thị Bình", "F", 1982),
                                           ("Trần Văn Cường", "M", 2000)]):
        people.append(registry.add_resident(
            None, household, full_name=name, date_of_birth=dt.date(year, 1, 1), sex=sex,
            relation_to_head="head" if n == 0 else "other_relative", cccd=make_cccd("026", sex, year, 500 + n),
        ))
    return people


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def test_survey_updates_residents_through_the_registry_action(territory, residents):
    a, b, c = residents
    data = csv_bytes("cccd;co_tai_khoan_thanh_toan", f"{a.cccd};có", f"{b.cccd};không", "", f"{c.cccd};x")
    result = import_payment_survey(None, territory["a"], data, source="khao-sat.csv")
    assert (result.rows, result.updated, result.unchanged) == (3, 2, 1)
    flags = dict(Resident.objects.values_list("cccd", "has_online_payment_account"))
    assert flags == {a.cccd: True, b.cccd: False, c.cccd: True}
    assert AuditEntry.objects.filter(action="resident.update").count() == 2
    assert AuditEntry.objects.get(action="payment_survey.import").data["updated"] == 2


def test_survey_is_all_or_nothing_and_reports_every_row(territory, residents):
    a, b, _ = residents
    outsider = make_cccd("001", "F", 1970, 1)
    data = csv_bytes("cccd,has_online_payment_account", f"{a.cccd},1", "12345,1", f"{b.cccd},maybe",
                     f"{a.cccd},0", f"{outsider},1")
    with pytest.raises(SurveyImportError) as err:
        import_payment_survey(None, territory["a"], data)
    found = [(e.field, e.rule) for e in err.value.errors]
    assert found == [
        ("row 3, field cccd", "cccd.length"),
        ("row 4, field has_online_payment_account", "import.answer"),
        ("row 5, field cccd", "import.duplicate"),
        ("row 6, field cccd", "import.unknown_resident"),
    ]
    assert not Resident.objects.filter(has_online_payment_account=True).exists()
    assert not AuditEntry.objects.filter(action__in=["resident.update", "payment_survey.import"]).exists()


def test_survey_refuses_legacy_encoding_and_bad_header(territory, residents):
    with pytest.raises(SurveyImportError) as err:
        import_payment_survey(None, territory["a"], unicodedata.normalize("NFD", "cccd,có tài khoản\n").encode("cp1258"))
    assert err.value.errors[0].rule == "import.encoding"
    with pytest.raises(SurveyImportError) as err:
        import_payment_survey(None, territory["a"], csv_bytes("so,answer", "1,1"))
    assert err.value.errors[0].rule == "import.header"


def test_survey_command(territory, residents, tmp_path):
    good = tmp_path / "ok.csv"
    good.write_bytes(b"\xef\xbb\xbf" + csv_bytes("cccd,has_online_payment_account", f"{residents[0].cccd},1"))
    out = StringIO()
    call_command("import_payment_survey", "09154", str(good), stdout=out)
    assert "1 cập nhật / updated" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("cccd,has_online_payment_account", "x,1"))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_payment_survey", "09154", str(bad), stderr=err)
    assert "row 2, field cccd" in err.getvalue()
