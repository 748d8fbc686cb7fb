"""GDAL reads the public layers through its OGC API – Features driver (Debian ``gdal-bin``)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

OGRINFO = shutil.which("ogrinfo")
pytestmark = pytest.mark.skipif(
    OGRINFO is None and os.environ.get("LANGSO_REQUIRE_OGRINFO") != "1",
    reason="ogrinfo (Debian gdal-bin) is not installed; set LANGSO_REQUIRE_OGRINFO=1 to make this a failure",
)


def _ogrinfo(*args: str) -> str:
    assert OGRINFO, "LANGSO_REQUIRE_OGRINFO=1 but ogrinfo is missing: apt-get install gdal-bin"
    env = {**os.environ, "GDAL_HTTP_TIMEOUT": "20", "CPL_DEBUG": "OFF", "GDAL_HTTP_MAX_RETRY": "0"}
    done = subprocess.run([OGRINFO, "-ro", *args], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ogrinfo_lists_the_collections_and_reads_features(transactional_db, live_server, place_a) -> None:
    from langso.maps import actions

    actions.create_place(None, place_a["a"], category="homestay", name="Homestay Vườn Nhãn", latitude=21.263,
                         longitude=105.523)
    actions.create_place(None, place_a["a"], category="school", name="Trường Tiểu học Ngũ Kiên", latitude=21.261,
                         longitude=105.521)
    url = f"OAPIF:{live_server.url}/ogc/"
    listing = _ogrinfo("-so", url)
    for name in ("communes", "villages", "education", "health", "tourism"):
        assert f": {name} (" in listing
    assert "households" not in listing
    tourism = _ogrinfo(url, "tourism")
    assert "Feature Count: 1" in tourism and "Homestay Vườn Nhãn" in tourism and "POINT (105.523 21.263)" in tourism
    communes = _ogrinfo(url, "communes", "-spat", "105.49", "21.23", "105.55", "21.29")
    assert "code (String) = 09154" in communes and "POLYGON" in communes
