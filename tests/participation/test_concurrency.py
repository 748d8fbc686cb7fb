"""One code, many simultaneous submissions: exactly one response (PostgreSQL, real threads).

The guarantee comes from the conditional UPDATE (``WHERE used = false``) under the row lock, not
from a check before it; this test races eight connections on one code to prove it.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from langso.lib.errors import RuleViolation
from langso.participation import actions
from langso.participation.models import Answer, Response, SurveyCode

from .conftest import TODAY, codes_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"),
]


def test_a_code_is_spent_once_under_concurrency(run):
    code = codes_of(run)[0]
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            actions.submit_response(run, code=code, answers={"roads": "5", "overall": "4"}, today=TODAY)
            result = "ok"
        except RuleViolation as exc:
            result = exc.rule
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok"] + ["participation.code.invalid"] * 7
    assert Response.objects.count() == 1 and Answer.objects.count() == 2
    assert SurveyCode.objects.get(code=code).used
