"""Writes to accounts: users and their memberships, each recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.territory.models import AdministrativeUnit

from .models import ROLE_LEVEL, Membership, Role


def _require_superuser(actor: Any) -> None:
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise RuleViolation("actor", "accounts.superuser", "Chỉ quản trị hệ thống được phân quyền.",
                            "Only a superuser may grant roles.")


@transaction.atomic
def grant_membership(actor: Any, user: Any, unit: AdministrativeUnit, role: str) -> Membership:
    """Give ``user`` the ``role`` in ``unit`` (idempotent). The unit's level must fit the role
    (province officer → province, commune officer → commune) and the unit must be current.

    Raises :class:`RuleViolation` otherwise, or when ``actor`` is neither a superuser nor ``None``.
    """
    _require_superuser(actor)
    if role not in Role.values:
        raise RuleViolation("role", "accounts.role", "Vai trò không hợp lệ.", "Unknown role.")
    if unit.level != ROLE_LEVEL[Role(role)] or unit.valid_to is not None:
        raise RuleViolation("unit", "accounts.role_level", "Vai trò không phù hợp cấp đơn vị hoặc đơn vị đã hết hiệu lực.",
                            "The role does not fit the unit's level, or the unit is no longer in force.")
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record(actor, "membership.grant", membership, unit=unit, data={"user": user.pk, "role": role})
    return membership


@transaction.atomic
def revoke_membership(actor: Any, membership: Membership) -> None:
    """Remove a membership (a grant, not a record of the commune, so it may be deleted)."""
    _require_superuser(actor)
    record(actor, "membership.revoke", membership, unit=membership.unit,
           data={"user": membership.user_id, "role": membership.role})
    membership.delete()


@transaction.atomic
def ensure_user(actor: Any, username: str, password: str, *, full_name: str = "", is_superuser: bool = False,
                is_staff: bool = False) -> Any:
    """Create ``username`` if missing (setting ``password``) and return it; an existing user is
    left unchanged but for the flags."""
    _require_superuser(actor)
    users = get_user_model()
    user, created = users.objects.get_or_create(username=username, defaults={"first_name": full_name})
    if created:
        user.set_password(password)
    user.is_superuser = is_superuser
    user.is_staff = is_staff or is_superuser
    user.save()
    if created:
        record(actor, "user.create", user, data={"username": username, "superuser": is_superuser})
    return user
