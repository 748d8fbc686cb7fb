"""A whole run: plan, villages, then chunks drawn by a producer and written by one or two writers."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import pickle
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from langso.lib.errors import RuleViolation
from langso.registry import bulk
from langso.registry.models import BusinessHousehold, Household, Resident
from langso.territory.models import AdministrativeUnit

from .places import plan_communes, prepare_villages
from .rows import PopulationGenerator


class CommunesNotEmpty(Exception):
    """Raised when a commune to populate already has households (nothing is ever deleted)."""


@dataclass
class GenerationReport:
    """Counts written and timings in seconds: ``seconds`` end to end; ``write_seconds`` the inserts;
    ``generate_seconds`` the time the writer waited for rows drawn and validated by the producer
    (a worker thread or a child process working one chunk ahead)."""

    households: int = 0
    residents: int = 0
    businesses: int = 0
    villages_created: int = 0
    chunks: int = 0
    seconds: float = 0.0
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    producer: str = ""  # "thread" or "process": where rows were drawn and validated
    writers: int = 1  # connections writing at once


def tune_connection_for_bulk(using: str = DEFAULT_DB_ALIAS, cache_mb: int = 512) -> None:
    """Give a SQLite connection a page cache of ``cache_mb`` MiB for a large load (default 2 MiB
    makes every index insert of a million-row table read pages back from the OS). Connection-only;
    nothing on PostgreSQL, whose buffers are the server's."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{int(cache_mb) * 1024}")


def existing_cccd_counters(using: str = DEFAULT_DB_ALIAS) -> dict[int, int]:
    """How many recorded CCCDs share each 6-digit prefix (one GROUP BY; empty for an empty table)."""
    if not Resident.objects.using(using).filter(cccd__isnull=False).exists():
        return {}
    rows = (Resident.objects.using(using).filter(cccd__isnull=False).annotate(prefix=Substr("cccd", 1, 6))
            .values("prefix").annotate(n=Count("id")).values_list("prefix", "n"))
    return {int(prefix): n for prefix, n in rows if prefix.isdigit()}


def generate_population(
    actor: Any, units: list[AdministrativeUnit], households: int, *, seed: int = 1, chunk_size: int = 10_000,
    as_of: dt.date | None = None, progress: Callable[[GenerationReport], None] | None = None,
    using: str = DEFAULT_DB_ALIAS, producer: str | None = None, writers: int | None = None,
) -> GenerationReport:
    """Populate ``units`` (current communes) with ``households`` households split evenly.

    Creates villages where a commune has none, then writes households, residents and
    businesses through :func:`langso.registry.bulk.register_population`, ``chunk_size``
    households per transaction (memory stays bounded). ``as_of`` (default today) is the day ages
    are counted at. ``producer`` is where rows are drawn and validated while the previous chunk
    is written: ``"thread"`` or ``"process"`` (forked; the default for SQLite runs of several
    chunks, as SQLite's inserts hold the GIL). ``writers`` is how many connections write at once
    (default: 2 on PostgreSQL outside a transaction for runs of several chunks, else 1).

    Raises :class:`CommunesNotEmpty` if any commune already has households — nothing is ever
    deleted from the registry, so use a fresh database — ``ValueError`` for several writers on
    SQLite or inside a transaction, and what the bulk action raises
    (:class:`~langso.lib.errors.RuleViolation`, ``Http404``).
    """
    if households < 0 or chunk_size < 1:
        raise ValueError("households must be >= 0 and chunk_size >= 1")
    if not units:
        raise ValueError("no commune to populate")
    busy = sorted(Household.objects.using(using).filter(commune__in=units).values_list("commune__code", flat=True)
                  .distinct())
    if busy:
        raise CommunesNotEmpty(
            f"Các xã {', '.join(busy)} đã có hộ; sổ hộ không bao giờ bị xóa — hãy dùng một cơ sở dữ liệu mới. — "
            f"Communes {', '.join(busy)} already have households; the registry never deletes, so generate into a "
            f"fresh database.")
    as_of = as_of or timezone.localdate()
    report = GenerationReport()
    started = time.perf_counter()
    plans = plan_communes(units, households, seed)
    report.villages_created = prepare_villages(actor, plans, seed, using)
    counters = existing_cccd_counters(using)
    business_counters = dict(BusinessHousehold.objects.using(using).filter(commune__in=units)
                             .values("commune").annotate(n=Count("id")).values_list("commune", "n"))
    generator = PopulationGenerator(plans, seed, as_of, cccd_counters=counters, business_counters=business_counters)
    if producer is None:
        # A thread suits PostgreSQL (the server does the heavy work while the thread draws), but
        # SQLite's inserts hold the GIL between rows, so there a forked process draws instead.
        producer = ("process" if connections[using].vendor == "sqlite" and households > chunk_size
                    and "fork" in multiprocessing.get_all_start_methods() else "thread")
    report.producer = producer
    connection = connections[using]
    if writers is None:
        # PostgreSQL works each batch in its own server process: two connections keep two cores
        # busy. Inside a caller's transaction every row must go through that one connection.
        writers = 2 if (connection.vendor == "postgresql" and not connection.in_atomic_block
                        and households > 2 * chunk_size) else 1
    if writers > 1 and (connection.vendor != "postgresql" or connection.in_atomic_block):
        raise ValueError("several writers need PostgreSQL and no enclosing transaction")
    report.writers = writers

    def done(prepared: bulk.PreparedPopulation, seconds: float) -> None:
        report.write_seconds += seconds
        report.households += len(prepared.household_rows)
        report.residents += len(prepared.resident_rows)
        report.businesses += len(prepared.business_rows)
        report.chunks += 1
        report.seconds = time.perf_counter() - started
        if progress is not None:
            progress(report)

    # Millions of short-lived row objects without reference cycles: the cyclic garbage collector
    # would rescan them over and over (about a quarter of the drawing and validating time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    chunks = (_chunks_from_process if producer == "process" else _chunks_from_thread)(generator, chunk_size, as_of)
    try:
        if writers == 1:
            for prepared, waited in chunks:
                report.generate_seconds += waited
                t1 = time.perf_counter()
                bulk.write_population(actor, prepared, source="generate_population", using=using)
                done(prepared, time.perf_counter() - t1)
        else:
            _write_concurrently(actor, chunks, writers, report, done, using)
    finally:
        chunks.close()  # stops the producer if a write failed
        if gc_was_enabled:
            gc.enable()
    report.seconds = time.perf_counter() - started
    return report


def _write_concurrently(actor: Any, chunks: Iterator[tuple[bulk.PreparedPopulation, float]], writers: int,
                       report: GenerationReport, done: Callable[[bulk.PreparedPopulation, float], None],
                       using: str) -> None:
    """Write chunks on ``writers`` PostgreSQL connections at once. Keys are reserved here, in chunk
    order, so the same seed still gives the same ids in an empty database."""
    opened: list[Any] = []

    def write(prepared: bulk.PreparedPopulation, keys: bulk.Keys) -> float:
        connection = connections[using]  # this thread's own connection
        if connection not in opened:
            connection.inc_thread_sharing()  # so the caller's thread may close it at the end
            opened.append(connection)
        t0 = time.perf_counter()
        bulk.write_population(actor, prepared, keys=keys, source="generate_population", using=using)
        return time.perf_counter() - t0

    in_flight: deque[tuple[Future, bulk.PreparedPopulation]] = deque()
    try:
        with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="demo-writer") as pool:
            for prepared, waited in chunks:
                report.generate_seconds += waited
                keys = bulk.reserve_keys(prepared, using=using)
                in_flight.append((pool.submit(write, prepared, keys), prepared))
                while len(in_flight) >= writers:
                    future, finished = in_flight.popleft()
                    done(finished, future.result())
            while in_flight:
                future, finished = in_flight.popleft()
                done(finished, future.result())
    finally:
        for connection in opened:
            connection.close()


def _chunks_from_thread(generator: PopulationGenerator, chunk_size: int,
                        as_of: dt.date) -> Iterator[tuple[bulk.PreparedPopulation, float]]:
    """Prepared chunks drawn and validated by a worker thread one chunk ahead of the caller,
    with the seconds the caller waited for each."""
    chunks = generator.chunks(chunk_size)

    def produce() -> bulk.PreparedPopulation | None:
        batch = next(chunks, None)
        return None if batch is None else bulk.prepare_population(*batch, today=as_of)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-generator") as pool:
        pending = pool.submit(produce)
        while True:
            t0 = time.perf_counter()
            prepared = pending.result()
            waited = time.perf_counter() - t0
            if prepared is None:
                return
            pending = pool.submit(produce)  # one chunk ahead: memory stays bounded
            yield prepared, waited


def _chunks_from_process(generator: PopulationGenerator, chunk_size: int,
                         as_of: dt.date) -> Iterator[tuple[bulk.PreparedPopulation, float]]:
    """Prepared chunks from a forked child process (it inherits the generator; it never touches
    the database). The pipe holds back the child once a chunk waits, so memory stays bounded."""
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_produce_into, args=(sender, generator, chunk_size, as_of), name="demo-generator", daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            t0 = time.perf_counter()
            kind, payload = pickle.loads(receiver.recv_bytes())
            waited = time.perf_counter() - t0
            if kind == "done":
                return
            if kind == "rule":
                raise RuleViolation(*payload)
            if kind == "error":
                raise RuntimeError(f"demo generator process failed:\n{payload}")
            yield payload, waited
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()
            child.join()


def _produce_into(sender: Any, generator: PopulationGenerator, chunk_size: int, as_of: dt.date) -> None:
    """Child process: draw, validate and send every chunk (without input rows: half the bytes)."""
    gc.disable()
    try:
        for batch in generator.chunks(chunk_size):
            prepared = bulk.prepare_population(*batch, today=as_of).without_input_rows()
            sender.send_bytes(pickle.dumps(("chunk", prepared), protocol=pickle.HIGHEST_PROTOCOL))
        sender.send_bytes(pickle.dumps(("done", None)))
    except RuleViolation as exc:
        sender.send_bytes(pickle.dumps(("rule", (exc.field, exc.rule, exc.vi, exc.en, exc.source))))
    except BaseException:  # noqa: BLE001 — reported to the parent, which raises
        sender.send_bytes(pickle.dumps(("error", traceback.format_exc())))
    finally:
        sender.close()
