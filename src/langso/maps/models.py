"""Points of interest of a commune (schools, health stations, sights, homestays, craft villages,
OCOP shops…) shown on the thematic maps.

A :class:`PlaceCategory` belongs to one map theme (education, health, tourism); the categories
are data rows (seeded by migration 0002, more can be added in the admin), so a new kind of place
is a row, not code. A :class:`Place` is kept by its commune's officers through
:mod:`langso.maps.actions`; nothing is deleted (a closed place keeps its row with ``closed_on``).
Public maps show only places that are ``public`` and not closed, and never anything personal:
a place carries an organisation's name and public contact, never a resident's.
"""

from __future__ import annotations

from django.db import models

from langso.registry.models import CommuneOwnedQuerySet


class Theme(models.TextChoices):
    EDUCATION = "education", "Giáo dục / Education"
    HEALTH = "health", "Y tế / Health"
    TOURISM = "tourism", "Du lịch / Tourism"


class PlaceCategory(models.Model):
    """A kind of place, e.g. ``school`` in the education theme. ``colour`` is a CSS hex colour."""

    key = models.SlugField(max_length=32, unique=True)
    theme = models.CharField(max_length=16, choices=Theme.choices)
    name_vi = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    colour = models.CharField(max_length=7, default="#005ea0")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme", "order", "key"]
        verbose_name_plural = "place categories"

    def __str__(self) -> str:
        return f"{self.name_vi} / {self.name_en}"


class PlaceQuerySet(CommuneOwnedQuerySet):
    def open_to_public(self) -> PlaceQuerySet:
        """Places a visitor may see: public and not closed."""
        return self.filter(public=True, closed_on__isnull=True)


class Place(models.Model):
    """A point of interest of a commune, at a WGS84 point (degrees)."""

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="places")
    category = models.ForeignKey(PlaceCategory, on_delete=models.PROTECT, related_name="places")
    name = models.CharField(max_length=150)
    search_name = models.CharField(max_length=150, blank=True, default="")
    description = models.TextField(blank=True, default="")
    address = models.CharField(max_length=255, blank=True, default="")
    contact = models.CharField(max_length=100, blank=True, default="")
    website = models.URLField(blank=True, default="")
    latitude = models.FloatField()
    longitude = models.FloatField()
    public = models.BooleanField(default=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "category", "name"]
        indexes = [models.Index(fields=["latitude", "longitude"]), models.Index(fields=["commune", "category"])]
        constraints = [
            models.UniqueConstraint(fields=["commune", "category", "name"], name="place_unique_name"),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name
