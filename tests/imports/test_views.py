"""The import pages: upload → preview (detected mapping) → confirm → result; progress; error report;
export; access (commune A's editor only; others 404)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_files import clean_rows, write_xlsx
from openpyxl import load_workbook

from langso.imports.models import ColumnMapping, ImportJob, Status
from langso.registry.models import Resident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, territory, path):
    with open(path, "rb") as fh:
        return client.post(reverse("imports:import_upload", args=[territory["a"].code]),
                           {"file": SimpleUploadedFile(path.name, fh.read())})


def test_upload_preview_confirm(client, territory, users, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(users["editor"])
    rows = clean_rows()
    rows[2][2] = "31/02/2001"
    response = _upload(client, territory, write_xlsx(tmp_path / "so-ho.xlsx", rows))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Nguyễn Văn An" in page and 'name="map_full_name"' in page
    assert '<option value="1" selected>Họ và tên</option>' in page
    # confirm without skipping: nothing written, the bad row reported
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {f"map_{k}": v for k, v in
                                           {"full_name": 1, "date_of_birth": 2, "sex": 3, "id_number": 4, "relation": 5,
                                            "village": 6, "address": 7, "phone": 8}.items()} | {"save_mapping": "1"})
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.report["rejected"] == 1 and Resident.objects.count() == 0
    assert ColumnMapping.objects.get(commune=territory["a"]).mapping["full_name"] == "Họ và tên"
    result = client.get(response["Location"]).content.decode()
    assert "Dòng 6" in result and "errors.xlsx" in result
    report = client.get(reverse("imports:import_errors", args=[territory["a"].code, job.pk]))
    sheet = load_workbook(io.BytesIO(report.content), read_only=True).worksheets[0]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [6]
    # again, skipping bad rows (the job can be retried after a failure)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"map_full_name": 1, "map_date_of_birth": 2, "map_sex": 3, "map_id_number": 4,
                                           "map_relation": 5, "map_village": 6, "skip_bad_rows": "1"})
    job.refresh_from_db()
    assert job.status == Status.DONE and Resident.objects.count() == 4
    progress = client.get(reverse("imports:import_progress", args=[territory["a"].code, job.pk]))
    assert b"100%" in progress.content


def test_export_download(client, territory, users, tmp_path):
    client.force_login(users["editor"])
    response = client.get(reverse("imports:import_export", args=[territory["a"].code]))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["C1"].value == "Họ và tên"


@pytest.mark.parametrize("who", ["outsider", "reader"])
def test_others_get_404(client, territory, users, tmp_path, who):
    client.force_login(users[who])
    response = _upload(client, territory, write_xlsx(tmp_path / "so-ho.xlsx", clean_rows()))
    assert response.status_code == 404 and ImportJob.objects.count() == 0
    assert client.get(reverse("imports:import_export", args=[territory["a"].code])).status_code == 404
