"""Request body parsing for the API: malformed or abusive JSON is a 400, never a 500."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, but a body nested deeper than Python's recursion limit (e.g.
    100,000 ``[``) is refused with a 400 instead of crashing the request with RecursionError."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON lồng nhau quá sâu. — JSON nested too deeply.") from exc
