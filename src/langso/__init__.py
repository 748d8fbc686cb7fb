"""Làng số: a province's smart new-rural programme run on real records."""

__version__ = "0.1.0"
