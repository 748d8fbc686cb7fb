"""Digital address codes of households.

The code scheme, bulk assignment and address cards are built on top of this table (see the
addressing issue); the foundation needs the table so the "% households with a digital address
code" indicator computes from day one.
"""

from __future__ import annotations

from django.db import models

from langso.registry.models import CommuneOwnedQuerySet


class AddressCode(models.Model):
    """The digital address code issued to one household. Once issued a code never changes,
    not even when communes merge; ``commune`` is the commune that issued it."""

    household = models.OneToOneField(
        "registry.Household", on_delete=models.PROTECT, related_name="address_code"
    )
    commune = models.ForeignKey(
        "territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(max_length=20, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.code
