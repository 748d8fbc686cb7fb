"""Digital address codes of households, official address identifiers, location checks and the
household clusters of the officials' map.

- :class:`AddressCode` — the platform's own code (scheme in :mod:`langso.addressing.codes` and
  docs/address-codes.md): issued once, never changed, not even when communes merge. ``commune``
  is the commune that issued it (kept for scoping; the code itself holds no commune code).
- :class:`CodeCell` — the per-cell serial counter that makes concurrent issuing safe.
- :class:`OfficialIdentifier` — codes of other schemes (Vpostcode, the national digital address
  platform, the location identifier in draft), stored as typed identifiers when imported.
- :class:`LocationCheck` — the result of checking a household's point against its commune's
  boundary and its village centre (the "verified GPS" indicator counts these).
- :class:`HouseholdCluster` / :class:`ClusterState` — households counted per H3 cell, per
  commune, for the map at low zoom (see :mod:`langso.addressing.clusters`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from langso.registry.models import CommuneOwnedQuerySet


class AddressCode(models.Model):
    """The digital address code issued to one household. Once issued a code never changes,
    not even when communes merge; ``commune`` is the commune that issued it.

    ``cell`` and ``serial`` are the code's parts; ``anchor_lat``/``anchor_lon`` (WGS84 degrees)
    the household's point when the code was issued (the cell was derived from it). Codes of
    another scheme imported before this one have empty parts.
    """

    household = models.OneToOneField(
        "registry.Household", on_delete=models.PROTECT, related_name="address_code"
    )
    commune = models.ForeignKey(
        "territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(max_length=20, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    cell = models.CharField(max_length=6, blank=True, default="")
    serial = models.PositiveIntegerField(null=True, blank=True)
    anchor_lat = models.FloatField(null=True, blank=True)
    anchor_lon = models.FloatField(null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "serial"], condition=Q(serial__isnull=False), name="address_code_unique_cell_serial"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def display(self) -> str:
        """The code as printed: ``7K2-M9Q-04XR``."""
        from .codes import CODE_CHARS, display

        return display(self.code) if len(self.code) == CODE_CHARS and self.cell else self.code


class CodeCell(models.Model):
    """The last serial issued in one grid cell. Incremented with a single ``UPDATE … SET
    last_serial = last_serial + n`` inside the issuing transaction, so two workers never get the
    same serial (the row lock serialises them; the unique constraints are the last guard)."""

    cell = models.CharField(max_length=6, unique=True)
    last_serial = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.cell}: {self.last_serial}"


class IdentifierScheme(models.TextChoices):
    """Official digital address schemes (domain brief §5). Formats and sources in
    :data:`langso.addressing.official.SCHEMES`."""

    VPOSTCODE = "vpostcode", "Vpostcode (VNPost)"
    NATIONAL_ADDRESS = "ndap", "Nền tảng địa chỉ số quốc gia / National digital address platform"
    LOCATION_ID = "location_id", "Mã định danh vị trí / Location identifier (draft)"


class OfficialIdentifier(models.Model):
    """A household's code in an official scheme, as imported by its commune."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="official_addresses")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField(max_length=16, choices=IdentifierScheme.choices)
    value = models.CharField(max_length=32)
    source = models.CharField(max_length=255, blank=True, default="")
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["household_id", "scheme"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="official_identifier_unique_value"),
            models.UniqueConstraint(fields=["household", "scheme"], name="official_identifier_one_per_scheme"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


class LocationCheck(models.Model):
    """The last check of a household's point (``latitude``/``longitude`` as checked, WGS84).

    ``inside_commune``: inside the boundary of the commune valid on ``checked_on`` (``None`` when
    no boundary is known); ``outside_by_m``: metres outside it (0 inside). ``village_distance_m``:
    metres to the village centre; ``near_village``: within the village's radius (see
    :mod:`langso.addressing.quality`), ``None`` without a village centre. A check is *current*
    only while the household still has the checked coordinates.
    """

    household = models.OneToOneField("registry.Household", on_delete=models.CASCADE, related_name="location_check")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    latitude = models.FloatField()
    longitude = models.FloatField()
    inside_commune = models.BooleanField(null=True)
    outside_by_m = models.FloatField(null=True, blank=True)
    village_distance_m = models.FloatField(null=True, blank=True)
    near_village = models.BooleanField(null=True)
    checked_on = models.DateField()
    checked_at = models.DateTimeField(auto_now=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["commune", "inside_commune", "near_village"])]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.inside_commune}/{self.near_village}"

    @property
    def is_outlier(self) -> bool:
        return self.inside_commune is False or self.near_village is False


class HouseholdCluster(models.Model):
    """Households of one commune in one H3 cell of one resolution: count and mean point."""

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    resolution = models.PositiveSmallIntegerField()
    cell = models.CharField(max_length=16)
    count = models.PositiveIntegerField()
    latitude = models.FloatField()
    longitude = models.FloatField()

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "resolution", "cell"], name="household_cluster_unique_cell"),
        ]
        indexes = [models.Index(fields=["resolution", "latitude", "longitude"])]


class ClusterState(models.Model):
    """When a commune's clusters were last rebuilt, and from which state of its households."""

    commune = models.OneToOneField("territory.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=100)
    refreshed_at = models.DateTimeField(auto_now=True)
