"""Errors that name the field and the rule broken, in Vietnamese first and English too."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class RuleViolation(ValidationError):
    """A value broke a rule.

    ``field`` names the offending field (or ``row 12, field cccd`` in imports), ``rule`` a short
    stable code (e.g. ``cccd.length``), ``vi``/``en`` the message in each language and
    ``source`` the law or standard the rule comes from. ``str()`` gives "vi — en".
    """

    def __init__(self, field: str, rule: str, vi: str, en: str, source: str = "") -> None:
        self.field = field
        self.rule = rule
        self.vi = vi
        self.en = en
        self.source = source
        super().__init__(f"{vi} — {en}", code=rule, params={"field": field})

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.vi, "message_en": self.en, "source": self.source}

    def __str__(self) -> str:
        return f"{self.field}: {self.vi} — {self.en}"
