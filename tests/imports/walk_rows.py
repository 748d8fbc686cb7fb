"""For the access walk: one import job of commune A (a small CSV uploaded by A's editor)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from langso.imports.actions import create_job

CSV_A = "Họ và tên,Ngày sinh,Giới tính,Quan hệ với chủ hộ\nNguyễn Văn Walk,05/03/1970,Nam,Chủ hộ\n"


def add_imports(world: Any) -> None:
    job = create_job(world.users["editor"], world.territory["a"], ContentFile(CSV_A.encode()), "so-ho-a.csv")
    job.report = {"errors": [{"row": 2, "field": "sex", "rule": "x", "vi": "v", "en": "e", "cells": ["a"]}]}
    job.save(update_fields=["report"])
    world.objects.update({"import_job_a": job})
