"""Indicator catalogue, targets and computed values.

Definitions and targets are loaded from the data files in ``indicators/data/`` (each with its
legal source); values are written only by :mod:`langso.indicators.engine`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class IndicatorUnit(models.TextChoices):
    COUNT = "count", "Số lượng / Count"
    PERCENT = "percent", "% / Percent"


class Aggregation(models.TextChoices):
    """How an indicator rolls up from its base units.

    ``sum``: numerators and denominators are summed (a province's percentage is never an
    average of percentages). ``share_of_units``: each base unit counts 1 when its numerator
    metric is above zero, and the value is the percentage of base units that count — the form
    of Decision 924/QĐ-TTg's "≥ 70 % of districts have …" targets. Base units are the
    reporting communes (current units) and the former districts (history by legacy district).
    """

    SUM = "sum", "Cộng tử số và mẫu số / Sum numerators and denominators"
    SHARE_OF_UNITS = "share_of_units", "Tỷ lệ đơn vị có ít nhất một / Share of units with at least one"


class Indicator(models.Model):
    """A monitored quantity: ``numerator`` metric, optionally over a ``denominator`` metric.

    For ``percent`` indicators value = 100 × numerator / denominator (``None`` when the
    denominator is 0). Metric codes name entries of the apps' ``metrics.py``. With
    ``aggregation = share_of_units`` the denominator is implicit (the base units, see
    :class:`Aggregation`) and a base unit's own value is 100 or 0.
    """

    code = models.CharField(max_length=32, unique=True)
    name_vi = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255)
    description_vi = models.TextField(blank=True, default="")
    description_en = models.TextField(blank=True, default="")
    numerator = models.CharField(max_length=64)
    denominator = models.CharField(max_length=64, blank=True, default="")
    unit = models.CharField(max_length=10, choices=IndicatorUnit.choices)
    higher_is_better = models.BooleanField(default=True)
    aggregation = models.CharField(max_length=16, choices=Aggregation.choices, default=Aggregation.SUM)
    source = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_vi

    def value_of(self, numerator: float, denominator: float | None) -> float | None:
        """The indicator's value: ``numerator`` for counts; for percentages
        100 × numerator / denominator rounded to 4 decimals, ``None`` when the denominator is 0."""
        if self.unit == IndicatorUnit.PERCENT:
            return None if not denominator else round(100.0 * numerator / denominator, 4)
        return numerator


class Comparison(models.TextChoices):
    GTE = ">=", "≥"
    GT = ">", ">"
    LTE = "<=", "≤"
    LT = "<", "<"


class Target(models.Model):
    """A programme target for an indicator by a horizon year (e.g. ≥ 80 % by 2025,
    Decision 411/QĐ-TTg). ``verified`` is false while the figure awaits the official text.

    ``unit`` empty: the national target. ``unit`` set: a province's own target that replaces the
    national one for that unit (Vĩnh Phúc's 80 % of districts for ECO-2, against the national
    70 %); it may be a legacy unit, valid before 1 July 2025."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "territory.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    comparison = models.CharField(max_length=2, choices=Comparison.choices)
    value = models.FloatField()
    year = models.PositiveSmallIntegerField()
    source = models.TextField()
    verified = models.BooleanField(default=True)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], condition=Q(unit__isnull=True),
                                    name="target_unique_year"),
            models.UniqueConstraint(fields=["indicator", "year", "unit"], condition=Q(unit__isnull=False),
                                    name="target_unique_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.comparison} {self.value:g} ({self.year})"

    def is_met(self, value: float | None) -> bool | None:
        """True/False for a value, ``None`` when there is no value."""
        if value is None:
            return None
        return {
            ">=": value >= self.value,
            ">": value > self.value,
            "<=": value <= self.value,
            "<": value < self.value,
        }[self.comparison]


class IndicatorValueQuerySet(models.QuerySet):
    def visible_to(self, scope) -> models.QuerySet:
        """Values of communes the scope reads and of provinces whose roll-up it opens."""
        return scope.filter_units(self)


class IndicatorValue(models.Model):
    """The value of an indicator for one unit (commune or province roll-up) and period.

    ``period`` uses ISO-like period codes as DHIS2 does (``YYYYMM`` monthly); ``as_of`` is the
    day the records were counted at. Province values are sums of their communes' numerators
    and denominators, never averages of percentages.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=8)
    as_of = models.DateField()
    numerator = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"], name="indicator_value_unique"
            )
        ]
        indexes = [models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit.code} {self.period} = {self.value}"


class ComputationRun(models.Model):
    """One run of ``langso compute``: what was computed and how long it took."""

    period = models.CharField(max_length=8)
    as_of = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    communes = models.PositiveIntegerField()
    values_written = models.PositiveIntegerField()
    seconds = models.FloatField()

    class Meta:
        ordering = ["-started_at"]
