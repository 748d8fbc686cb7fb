"""Fixtures of the importer tests (the test files are written by ``import_files``)."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 29)
