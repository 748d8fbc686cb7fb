"""Rules kept as data (``data/ocop.yaml``, ``data/platforms.yaml``): OCOP stars, certificate
validity, product groups and e-commerce platforms, loaded once per process.

Sources: Decision 148/QĐ-TTg (24 Feb 2023) for the score bands and the 36-month validity;
Decision 919/QĐ-TTg (1 Aug 2022) for the six product groups (names marked unverified in the
data); BRIEF §9 for the platforms.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

DATA = Path(__file__).resolve().parent / "data"


@cache
def ocop() -> dict[str, Any]:
    """The parsed ``ocop.yaml`` (bands sorted from the highest ``min_score`` down)."""
    data = yaml.safe_load((DATA / "ocop.yaml").read_text(encoding="utf-8"))
    data["bands"] = sorted(data["bands"], key=lambda b: -b["min_score"])
    return data


@cache
def platforms() -> dict[str, dict[str, Any]]:
    """Platforms by code: ``{"postmart": {"code", "name", "hosts", "national"}, …}``."""
    data = yaml.safe_load((DATA / "platforms.yaml").read_text(encoding="utf-8"))
    return {p["code"]: p for p in data["platforms"]}


def group_choices() -> list[tuple[str, str]]:
    return [(g["code"], f"{g['name_vi']} / {g['name_en']}") for g in ocop()["groups"]]


def platform_choices() -> list[tuple[str, str]]:
    return [(code, p["name"]) for code, p in platforms().items()]


def stars_for(score: int) -> int:
    """OCOP stars (1–5) of a score out of 100 by the Decision 148/QĐ-TTg bands.

    Raises ``ValueError`` for a score outside 0–``max_score``.
    """
    if not 0 <= score <= ocop()["max_score"]:
        raise ValueError(f"OCOP score {score} outside 0–{ocop()['max_score']}")
    for band in ocop()["bands"]:
        if score >= band["min_score"]:
            return int(band["stars"])
    raise ValueError(f"no band for score {score}")  # pragma: no cover - the 0 band catches all


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st falls back to the month's last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def certificate_expiry(certified_on: dt.date) -> dt.date:
    """The last day an OCOP certificate issued on ``certified_on`` is valid (36 months later,
    Decision 148/QĐ-TTg), i.e. the day before the same date 36 months on."""
    return add_months(certified_on, ocop()["certificate_valid_months"]) - dt.timedelta(days=1)


def expiring_soon(expires_on: dt.date | None, today: dt.date) -> bool:
    """True when ``expires_on`` is within ``expiring_soon_days`` of ``today`` (and not past)."""
    if expires_on is None:
        return False
    return today <= expires_on <= today + dt.timedelta(days=ocop()["expiring_soon_days"])


def url_matches_platform(url: str, platform: str) -> bool:
    """True when ``url`` is an http(s) URL whose host is (a subdomain of) one of the platform's
    hosts; any host for ``website``."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or "." not in parts.hostname:
        return False
    hosts = platforms()[platform]["hosts"]
    if not hosts:
        return True
    host = parts.hostname.lower()
    return any(host == h or host.endswith("." + h) for h in hosts)
