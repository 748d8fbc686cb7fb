"""What the health pages show: labels, never the keys of rules, diseases, vaccines or consent
purposes; and the monthly-above-the-mean finding as an alert (cảnh báo), listed apart from the
outbreaks (ổ dịch) and not counted by the outbreaks indicator."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from health.factories import case_at

from langso.health import actions, catalogue
from langso.health.metrics import METRICS
from langso.health.models import Outbreak
from langso.lib.metrics import MetricContext

pytestmark = pytest.mark.django_db

RAW_KEYS = ("monthly_above_mean", "dengue_focus", "group_a_case", "primary_care")


def client_for(user, language: str = "vi") -> Client:
    c = Client()
    c.force_login(user)
    if language != "vi":
        c.post("/i18n/setlang/", {"language": language, "next": "/"})
    return c


def section(html: str, element_id: str) -> str:
    """The text of the <section id=...> of a page."""
    match = re.search(rf'<section[^>]*id="{element_id}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section #{element_id}"
    return match.group(1)


@pytest.fixture
def focus_and_alert(health):
    """Two dengue cases 10 m apart today: a dengue focus (an outbreak) and, dengue being group B
    with no history, the month's count above the 3-year mean (an alert)."""
    today = dt.date.today()
    case_at(health, 0, today)
    case_at(health, 10, today)
    actions.evaluate_outbreaks(health["a"], today)
    assert sorted(Outbreak.objects.filter(closed_on__isnull=True).values_list("rule", flat=True)) == [
        "dengue_focus", "monthly_above_mean"]
    return today


def test_rules_say_whether_they_find_outbreaks_or_alerts() -> None:
    kinds = {key: rule.get("kind") for key, rule in catalogue.outbreak_rules().items()}
    assert kinds == {"monthly_above_mean": "alert", "group_a_case": "outbreak", "dengue_focus": "outbreak"}
    assert catalogue.alert_rules() == ("monthly_above_mean",)


def test_outbreaks_indicator_counts_outbreaks_not_alerts(health, focus_and_alert) -> None:
    metric = {m.code: m for m in METRICS}["health.outbreaks_active"]
    active = metric.model.objects.filter(metric.condition(MetricContext(focus_and_alert)))
    assert list(active.values_list("rule", flat=True)) == ["dengue_focus"]


def test_home_lists_the_alert_apart_from_the_outbreaks(health, focus_and_alert) -> None:
    html = client_for(health["worker"]).get(reverse("health:home", args=[health["a"].code])).content.decode()
    assert re.search(r"Ổ dịch đang hoạt động</dt><dd>1</dd>", html)
    assert re.search(r"Cảnh báo số ca tăng</dt><dd>1</dd>", html)
    outbreaks = section(html, "active-outbreaks")
    assert "Sốt Dengue, sốt xuất huyết Dengue" in outbreaks
    assert "Ổ dịch sốt xuất huyết: ≥2 ca trong bán kính 200 m trong 14 ngày" in outbreaks
    assert "vượt trung bình" not in outbreaks
    alerts = section(html, "open-alerts")
    assert "Cảnh báo: số ca trong tháng tăng" in alerts and "Chưa phải ổ dịch" in alerts
    assert f"tháng {focus_and_alert:%m/%Y} · 2 ca (trung bình 0)" in alerts
    assert not any(key in html for key in RAW_KEYS)


def test_outbreaks_page_has_an_outbreaks_table_and_an_alerts_table(health, focus_and_alert) -> None:
    c = client_for(health["worker"])
    html = c.get(reverse("health:outbreaks", args=[health["a"].code])).content.decode()
    assert "<h1>Ổ dịch và cảnh báo</h1>" in html
    outbreaks, alerts = section(html, "outbreaks"), section(html, "alerts")
    assert outbreaks.count("<tr><td>") == 1 and "Ổ dịch sốt xuất huyết" in outbreaks
    assert alerts.count("<tr><td>") == 1
    assert f'<td class="nowrap">{focus_and_alert:%m/%Y}</td><td class="num">2</td><td class="num">0</td>' in alerts
    assert "Số ca trong tháng vượt trung bình cùng kỳ 3 năm trước" in alerts
    assert not any(key in html for key in RAW_KEYS)
    # An alert can still be confirmed by the health worker (the lifecycle is unchanged).
    alert = Outbreak.objects.get(rule="monthly_above_mean")
    c.post(reverse("health:outbreak-confirm", args=[health["a"].code, alert.pk]))
    alert.refresh_from_db()
    assert alert.status == "confirmed"


def test_outbreaks_page_in_english(health, focus_and_alert) -> None:
    html = client_for(health["worker"], "en").get(reverse("health:outbreaks", args=[health["a"].code])).content.decode()
    assert "<h1>Outbreaks and alerts</h1>" in html
    assert "Dengue focus: at least 2 cases within 200 m within 14 days" in section(html, "outbreaks")
    assert "Alerts: monthly cases above the usual level" in section(html, "alerts")
    assert not any(key in html for key in RAW_KEYS)


def test_record_page_names_consent_purpose_disease_and_vaccine(health) -> None:
    w, head = health["worker"], health["head"]
    rec = actions.open_record(w, head, opened_on=dt.date(2026, 1, 5))
    actions.record_consent(w, head, given_on=dt.date(2026, 1, 5))
    actions.add_immunization(w, rec, vaccine="measles", dose=1, given_on=dt.date(2026, 2, 1))
    actions.add_encounter(w, rec, date=dt.date.today(), diagnoses=["A97.0"])  # dengue: a reported case
    url = reverse("health:record", args=[health["a"].code, head.pk])
    html = client_for(w).get(url).content.decode()
    assert "Chăm sóc sức khỏe ban đầu 05/01/2026" in html
    assert re.search(r"<li>Sởi[^<]*· mũi 1 · 01/02/2026</li>", html)
    assert re.search(r"<li>Sốt Dengue, sốt xuất huyết Dengue · \d\d/\d\d/\d{4} · ", html)
    assert "primary_care" not in html and "measles #1" not in html and "<li>dengue" not in html
    english = client_for(w, "en").get(url).content.decode()
    assert "Primary care 5 Jan 2026" in english and "<li>Dengue · " in english
    assert re.search(r"<li>Measles[^<]*· dose 1 · ", english)


def test_refusals_name_the_vital_sign_not_its_key(health) -> None:
    actions.open_record(health["worker"], health["head"], opened_on=dt.date(2026, 1, 5))
    url = reverse("health:visit-new", args=[health["a"].code, health["head"].pk])
    html = client_for(health["worker"]).post(url, {"date": "2026-11-20", "temperature": "55"}).content.decode()
    assert "Nhiệt độ: giá trị phải từ 30 đến 45 °C. — Temperature: the value must be between 30 and 45 °C." in html
    assert "temperature:" not in html
