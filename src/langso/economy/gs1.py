"""GS1 identifiers of traceable lots: GTIN check digits and GS1 Digital Link URIs.

Sources: GS1 General Specifications (Release 24) §7.9 (check digit, mod-10 with weights 3 and
1 from the right) and §3.4.2 (AI 10 batch/lot: up to 20 characters of CSET 82); GS1 Digital
Link URI Syntax 1.4 §4 (``/01/{gtin}/10/{lot}``, GTIN-8/12/13 zero-padded to 14 digits,
non-unreserved characters percent-encoded).
"""

from __future__ import annotations

import re
from urllib.parse import quote

# CSET 82 (GS1 GenSpecs figure 7.11-1) minus characters that do not survive a URL path well.
LOT_PATTERN = re.compile(r"^[A-Za-z0-9\-._]{1,20}$")


def check_digit(body: str) -> int:
    """The GS1 mod-10 check digit of the digits ``body`` (everything but the check digit)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalise_gtin(raw: str) -> str:
    """A GTIN-8/12/13/14 typed by a person → its 14-digit form.

    Spaces and dashes are dropped. Raises ``ValueError`` for a wrong length, a non-digit or a
    wrong check digit (message names which).
    """
    digits = re.sub(r"[\s-]", "", raw or "")
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        raise ValueError("length")
    if check_digit(digits[:-1]) != int(digits[-1]):
        raise ValueError("check_digit")
    return digits.zfill(14)


def digital_link(base_url: str, gtin14: str, lot: str) -> str:
    """``{base}/01/{gtin14}/10/{lot}`` with the lot percent-encoded (GS1 Digital Link 1.4)."""
    return f"{base_url.rstrip('/')}/01/{gtin14}/10/{quote(lot, safe='')}"
