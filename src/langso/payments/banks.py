"""The bank table: NAPAS BIN → bank, read from the versioned data file ``data/banks.json``.

The file carries its ``version``, ``source`` and ``scope``; a bank that merges, renames or joins
NAPAS 247 is a new version of the file, not a code change (BRIEF §5: "the State Bank publishes
the list. Ship a versioned table").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "banks.json"


@dataclass(frozen=True)
class Bank:
    """One bank: ``bin`` (6 digits, VietQR tag 38.01.00), NAPAS ``code``, ``short_name`` as
    printed on standees and the full Vietnamese ``name``."""

    bin: str
    code: str
    short_name: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.short_name} — {self.name}"


@dataclass(frozen=True)
class BankTable:
    version: str
    source: str
    banks: tuple[Bank, ...]

    def get(self, bin_: str) -> Bank | None:
        return self._by_bin.get(bin_)

    @cached_property
    def _by_bin(self) -> dict[str, Bank]:
        return {bank.bin: bank for bank in self.banks}


@lru_cache(maxsize=1)
def bank_table() -> BankTable:
    """The shipped table (read once per process). Raises ``ValueError`` on a malformed file:
    a BIN that is not 6 digits, or a BIN listed twice."""
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    banks = tuple(Bank(**row) for row in raw["banks"])
    seen: set[str] = set()
    for bank in banks:
        if not (len(bank.bin) == 6 and bank.bin.isdigit()):
            raise ValueError(f"{DATA_FILE.name}: BIN {bank.bin!r} is not 6 digits")
        if bank.bin in seen:
            raise ValueError(f"{DATA_FILE.name}: BIN {bank.bin} listed twice")
        seen.add(bank.bin)
    return BankTable(version=raw["version"], source=raw["source"], banks=banks)


def get_bank(bin_: str) -> Bank | None:
    """The bank with NAPAS BIN ``bin_``, or ``None``."""
    return bank_table().get(bin_)


def bank_choices() -> list[tuple[str, str]]:
    """``(bin, label)`` pairs sorted by short name, for forms."""
    return sorted(((b.bin, b.label) for b in bank_table().banks), key=lambda item: item[1].lower())
