"""Fixtures of the API and admin tests: a populated world and logged-in clients."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def world(territory, users):
    # Imported here: conftest files load before pytest-django puts the project on sys.path.
    from api.world import build_world

    return build_world(territory, users)


@pytest.fixture
def client_for(client):
    """``client_for("editor")`` → a test client logged in as that user (``None`` → anonymous)."""

    def make(who: str | None, *, staff: bool = False) -> Client:
        from django.contrib.auth import get_user_model

        c = Client()
        if who is not None:
            user = get_user_model().objects.get(username=who)
            if staff and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            c.force_login(user)
        return c

    return make
