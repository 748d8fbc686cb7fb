"""Concurrent issuing on PostgreSQL: parallel workers, each with its own connection, never issue
the same code twice (per-commune row lock, per-cell counters locked in order, unique constraints)."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection, connections

from addressing.conftest import make_household
from langso.addressing import actions, codes
from langso.addressing.models import AddressCode, CodeCell
from langso.registry.models import Household

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="row locks and parallel writers need PostgreSQL (SQLite serialises writers)")

WORKERS = 8


def test_parallel_workers_never_issue_a_code_twice(transactional_db, place_a) -> None:
    a, c = place_a["a"], place_a["c"]
    # Both communes' households fall in the same three grid cells, so their workers share counters.
    spots = [(21.26001, 105.52001), (21.26070, 105.52001), (21.26001, 105.52060)]
    homes = [make_household(commune, None, *spots[i % 3]) for commune in (a, c) for i in range(30)]
    assert len({codes.cell_of(*spot) for spot in spots}) == 3
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        rng = random.Random(n)
        try:
            barrier.wait()
            for _ in range(4):
                if rng.random() < 0.5:
                    actions.assign_codes(None, rng.choice([a, c]))
                else:
                    actions.issue_address_code(None, Household.objects.get(pk=rng.choice(homes).pk))
            actions.assign_codes(None, a if n % 2 else c)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    rows = list(AddressCode.objects.values_list("household_id", "code", "cell", "serial"))
    assert len(rows) == len(homes)
    assert len({r[0] for r in rows}) == len(rows)
    assert len({r[1] for r in rows}) == len(rows)
    assert len({(r[2], r[3]) for r in rows}) == len(rows)
    for cell in {r[2] for r in rows}:
        serials = sorted(r[3] for r in rows if r[2] == cell)
        assert serials == list(range(1, len(serials) + 1))  # no serial lost, none reused
        assert CodeCell.objects.get(cell=cell).last_serial == len(serials)
