"""Health fixtures: health workers of communes A and B, a household of A with a location, residents."""

from __future__ import annotations

import datetime as dt

import pytest

from langso.accounts.models import Membership, Role

from health.factories import make_household, make_resident


@pytest.fixture
def health(territory, users, django_user_model):
    """``worker`` (health worker of A), ``worker_b`` (of B), plus the conftest editor/reader/outsider."""
    worker = django_user_model.objects.create_user("worker", password="pw-worker-123")
    worker_b = django_user_model.objects.create_user("worker_b", password="pw-worker-123")
    Membership.objects.create(user=worker, unit=territory["a"], role=Role.HEALTH_WORKER)
    Membership.objects.create(user=worker_b, unit=territory["b"], role=Role.HEALTH_WORKER)
    hh = make_household(territory["a"], territory["va"])
    head = make_resident(hh, cccd="025185424242")
    child = make_resident(hh, name="Trần Minh An", born=dt.date.today() - dt.timedelta(days=100), sex="M",
                          relation="child")
    return {**users, "worker": worker, "worker_b": worker_b, "household": hh, "head": head, "child": child,
            **territory}
