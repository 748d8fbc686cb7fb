"""Demo participation data for ``langso demo``: built-in services listed, a closed satisfaction
survey answered by demo households through their one-time codes, an open survey in the first
commune, and feedback in every state (answered on time, late, overdue, closed).

Everything goes through :mod:`langso.participation.actions` (the same code path as the public
pages), inside one transaction so SQLite commits once. Deterministic for a seed; a commune that
already has a survey run is left alone (re-running the demo adds nothing).
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from langso.territory.models import AdministrativeUnit

from . import actions, builtins, definitions
from .models import SurveyCode, SurveyRun

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_RESPONSES = 600  # per commune: enough for charts, quick to generate

IMPROVEMENTS = [
    "Làm thêm đèn chiếu sáng đường liên thôn.",
    "Thu gom rác đều hơn, nhất là sau phiên chợ.",
    "Nạo vét mương thoát nước trước mùa mưa.",
    "Mở thêm lớp dạy nghề cho thanh niên.",
    "Sửa sân bóng và nhà văn hóa thôn.",
    "Trạm y tế nên có thêm giờ khám buổi tối.",
    "Hướng dẫn người cao tuổi dùng dịch vụ công trực tuyến.",
    "Có chỗ tiêu thụ nông sản ổn định cho bà con.",
    "Cần thêm camera an ninh ở các ngã ba.",
    "Mở rộng đường vào khu sản xuất.",
    "Trồng thêm cây xanh dọc kênh.",
    "Wifi miễn phí ở nhà văn hóa.",
]
FEEDBACK = [
    ("infrastructure", "Ổ gà lớn trên đường trục thôn gần cổng trường, xe máy dễ ngã khi trời tối."),
    ("environment", "Bãi rác tự phát ở bờ kênh cuối xóm, bốc mùi mấy ngày nay."),
    ("infrastructure", "Đèn đường đoạn từ chợ về cầu bị hỏng ba bóng."),
    ("security_order", "Nhóm thanh niên đua xe vào buổi tối trên đường đê."),
    ("administration", "Xin hướng dẫn cách làm thủ tục xác nhận cư trú trực tuyến cho người cao tuổi."),
    ("environment", "Nước thải từ cơ sở chế biến chảy ra ruộng lúa."),
    ("culture", "Loa truyền thanh của thôn phát quá to vào sáng sớm."),
    ("health", "Đề nghị trạm y tế thông báo lịch tiêm chủng sớm hơn."),
    ("education", "Đường vào điểm trường mầm non lầy lội khi mưa."),
    ("infrastructure", "Cống thoát nước bị tắc, nước tràn vào sân nhà dân."),
    ("other", "Đề nghị niêm yết công khai các khoản đóng góp xây dựng nông thôn mới."),
    ("environment", "Đốt rơm rạ gây khói mù cả khu dân cư."),
]
ANSWERS = [
    "UBND xã đã giao cán bộ địa chính – xây dựng kiểm tra hiện trường và cho sửa chữa trong tuần.",
    "Xã đã phối hợp với thôn xử lý; cảm ơn ông/bà đã phản ánh.",
    "Công an xã đã tăng cường tuần tra vào buổi tối tại khu vực được phản ánh.",
    "Nội dung đã được chuyển bộ phận một cửa; cán bộ sẽ hướng dẫn trực tiếp tại nhà văn hóa thôn.",
]


def _level(rng: random.Random, base: float) -> str:
    """One scale answer around ``base`` (probability of a satisfied point)."""
    roll = rng.random()
    if roll < 0.05:
        return actions.DONT_KNOW
    if roll < 0.08:
        return ""
    if rng.random() < base:
        return rng.choice(["4", "4", "5"])
    return rng.choice(["1", "2", "3", "3"])


def _answers(rng: random.Random, definition: dict, base: dict[str, float]) -> dict[str, str]:
    out = {}
    for question in definition["questions"]:
        if question["type"] == "scale":
            out[question["code"]] = _level(rng, base[question["code"]])
        elif rng.random() < 0.18:
            out[question["code"]] = rng.choice(IMPROVEMENTS)
    if not any(out.values()):
        out[definition["questions"][0]["code"]] = "4"
    return out


def _respond(run: SurveyRun, rng: random.Random, share: float, level: float, days: list[dt.date]) -> int:
    # Each question its own level around the commune's (roads better than jobs, say).
    base = {q["code"]: min(0.95, max(0.2, level + rng.uniform(-0.25, 0.12))) for q in run.definition["questions"]}
    codes = list(SurveyCode.objects.filter(run=run, used=False).order_by("id").values_list("code", flat=True))
    rng.shuffle(codes)
    chosen = codes[:min(int(len(codes) * share), MAX_RESPONSES)]
    for code in chosen:
        actions.submit_response(run, code=code, answers=_answers(rng, run.definition, base), today=rng.choice(days))
    return len(chosen)


def _feedback(commune: AdministrativeUnit, rng: random.Random, today: dt.date, officer) -> int:
    made = 0
    for i, (category, text) in enumerate(rng.sample(FEEDBACK, k=min(len(FEEDBACK), 9))):
        received = today - dt.timedelta(days=rng.randint(1, 45))
        at = dt.datetime.combine(received, dt.time(rng.randint(6, 21), rng.randint(0, 59)), tzinfo=VN)
        lat = lon = None
        if commune.centroid_lat is not None and commune.centroid_lon is not None and rng.random() < 0.7:
            lat = round(commune.centroid_lat + rng.uniform(-0.01, 0.01), 6)
            lon = round(commune.centroid_lon + rng.uniform(-0.01, 0.01), 6)
        item = actions.submit_feedback(commune, category=category, description=text, latitude=lat, longitude=lon,
                                       now=at)
        made += 1
        fate = i % 4  # 0: answered on time and closed, 1: answered on time, 2: answered late, 3: open
        if officer is not None and fate != 3:
            actions.assign_feedback(None, item, officer)
        if fate in (0, 1):
            day = min(today, received + dt.timedelta(days=rng.randint(1, 9)))
            actions.answer_feedback(None, item, rng.choice(ANSWERS), today=max(day, received))
            if fate == 0:
                actions.close_feedback(None, item, today=day)
        elif fate == 2:
            late = item.deadline_on + dt.timedelta(days=rng.randint(1, 5))
            if late <= today:
                actions.answer_feedback(None, item, rng.choice(ANSWERS), today=late)
    return made


@transaction.atomic
def issue_demo_participation(seed: int, commune_codes: list[str]) -> dict[str, int]:
    """Services, surveys with responses and feedback for the demo communes.

    Returns counts ``{"services", "runs", "codes", "responses", "feedback"}``. Communes that already
    have a survey run are skipped. The first commune of ``commune_codes`` also gets an open survey
    (to try the answer page with a code from its printed list). Officer actions are recorded with no
    actor (the demo itself).
    """
    today = timezone.localdate()
    totals = {"services": 0, "runs": 0, "codes": 0, "responses": 0, "feedback": 0}
    users = get_user_model().objects
    communes = AdministrativeUnit.objects.current().communes().filter(code__in=commune_codes).order_by("code")
    for position, commune in enumerate(communes):
        if SurveyRun.objects.filter(commune=commune).exists():
            continue
        rng = random.Random(f"{seed}-participation-{commune.code}")
        since = dt.date(2025, 9, 1) + dt.timedelta(days=30 * position)
        for key, service in builtins.registered().items():
            if service.is_available(commune):
                actions.enable_builtin(None, commune, key, available_since=min(since, today))
                totals["services"] += 1
        run = actions.open_survey(None, commune, survey_code=definitions.DEFAULT_SURVEY,
                                  opens_on=today - dt.timedelta(days=40), closes_on=today - dt.timedelta(days=10))
        totals["runs"] += 1
        totals["codes"] += actions.issue_codes(None, run)
        base = 0.55 + 0.3 * rng.random()  # each commune its own level of satisfaction
        days = [run.opens_on + dt.timedelta(days=d) for d in range(31)]
        totals["responses"] += _respond(run, rng, share=0.35 + 0.35 * rng.random(), level=base, days=days)
        if commune.code == commune_codes[0]:  # an open survey to try the answer page with a printed code
            current = actions.open_survey(None, commune, survey_code=definitions.DEFAULT_SURVEY,
                                          opens_on=today - dt.timedelta(days=3), closes_on=today + dt.timedelta(days=27))
            totals["runs"] += 1
            totals["codes"] += actions.issue_codes(None, current)
            totals["responses"] += _respond(current, rng, share=0.02, level=base,
                                            days=[today - dt.timedelta(days=d) for d in range(3)])
        officer = users.filter(username=f"xa.{commune.code}").first()
        totals["feedback"] += _feedback(commune, rng, today, officer)
    return totals
