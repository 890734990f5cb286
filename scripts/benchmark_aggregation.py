#!/usr/bin/env python
"""Benchmark: a round's aggregation against the bare GROUP BY it is built on.

Generates a closed round with about a million answers in PostgreSQL (one INSERT ...
SELECT generate_series per table), VACUUM ANALYZE, then times, best of 3 after a
warm-up run:

  (a) the bare SQL GROUP BY that services.aggregation.answer_counts stands for, and
  (b) services.aggregation.aggregate_round(round): the Celery task's whole work
      (progress updates, the count, the Result/GroupResult rewrite in a transaction).

and prints both and their ratio. The aim is (b) ≤ 1.5 × (a): everything beyond the
one GROUP BY is a fixed handful of small queries.

Run from the project root (PostgreSQL only; SQLite is refused):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_h4 \
        .venv/bin/python scripts/benchmark_aggregation.py

By default a throwaway database `<name>_bench_<pid>` is created next to the one in
DATABASE_URL (which need not exist), migrated, and dropped afterwards. Options:
  --use-given-database  generate into the DATABASE_URL database itself (migrated);
                        the benchmark round and its rows are deleted afterwards
  --responses N         responses to generate (default 80000: about 1,000,000 answers)
  --explain             print EXPLAIN (ANALYZE, BUFFERS) of both count queries
  --keep                keep the generated data (and the throwaway database)
"""

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUND_NAME = "Benchmark aggregation (generated)"

BARE_QUERY = """
SELECT r.respondent_group, a.question_id, a.number, count(*)
FROM thermometer_answer a
JOIN thermometer_response r ON r.id = a.response_id
WHERE r.round_id = %s AND a.question_id = ANY(%s) AND a.number IS NOT NULL
GROUP BY 1, 2, 3
"""

# Deterministic rows: response i is staff for every fourth i, else a partner group;
# its id is md5-derived so answers can be generated from the responses alone.
RESPONSES_SQL = """
INSERT INTO thermometer_response
    (id, round_id, questionnaire_id, respondent_group, organisation_id, submitted_on)
SELECT md5('bench-' || i)::uuid, %(round)s,
       CASE WHEN i %% 4 = 0 THEN %(internal)s ELSE %(external)s END,
       CASE WHEN i %% 4 = 0 THEN 'staff'
            ELSE (ARRAY['gemeente', 'gemeente', 'waterschap', 'uitvoeringsdienst',
                        'other'])[1 + i %% 5] END,
       NULL, DATE '2026-11-01' - (i %% 28)
FROM generate_series(1, %(responses)s) AS i
"""
# Every mark and scale is answered except about 1 in 30 (stored without a number, as a
# skipped question); one open question in three has a text.
ANSWERS_SQL = """
INSERT INTO thermometer_answer (response_id, question_id, number, text)
SELECT r.id, q.id,
       CASE WHEN q.kind = 'open' OR abs(hashtext(r.id::text || q.id)::bigint) %% 30 = 0 THEN NULL
            WHEN q.kind = 'mark' THEN 1 + abs(hashtext(q.id || r.id::text)::bigint) %% 10
            ELSE 1 + abs(hashtext(q.id || r.id::text)::bigint) %% 5 END,
       CASE WHEN q.kind = 'open' THEN 'Sneller terugkoppelen.' ELSE '' END
FROM thermometer_response r
JOIN thermometer_question q ON q.questionnaire_id = r.questionnaire_id
WHERE r.round_id = %(round)s
  AND (q.kind <> 'open' OR abs(hashtext(r.id::text || q.code)::bigint) %% 3 = 0)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--use-given-database", action="store_true")
    parser.add_argument("--responses", type=int, default=80_000)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "benchmark_aggregation: needs PostgreSQL; set DATABASE_URL=postgres://... "
            "(SQLite is not what production runs, so its timings say nothing).",
            file=sys.stderr,
        )
        return 2
    throwaway = None
    if not options.use_given_database:
        throwaway, url = _create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("IS_HTTPS", "false")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"  # nothing is enqueued here anyway

    import django

    django.setup()
    logging.getLogger("thermometer").setLevel(logging.WARNING)  # one line per run otherwise
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0)
        return _benchmark(options)
    finally:
        if not options.keep:
            if throwaway:
                connections.close_all()
                _drop_database(throwaway)
            else:
                _delete_round()
        elif throwaway:
            print(f"Kept database {throwaway[1]}")


def _benchmark(options: argparse.Namespace) -> int:
    from django.db import connection

    from thermometer.models import Answer, Question, Result
    from thermometer.services import aggregation

    survey_round = _generate(options.responses)
    answers = Answer.objects.filter(response__round=survey_round).count()
    counted = Answer.objects.filter(
        response__round=survey_round, number__isnull=False, question__kind__in=["mark", "scale"]
    ).count()
    print(
        f"Round {survey_round.pk}: {options.responses:,} responses, {answers:,} answers "
        f"({counted:,} marks and scales to count)"
    )
    question_ids = list(
        Question.objects.filter(
            questionnaire__in=aggregation._questionnaires(survey_round),
            kind__in=aggregation.AGGREGATED_KINDS,
        ).values_list("pk", flat=True)
    )

    def bare() -> int:
        with connection.cursor() as cursor:
            cursor.execute(BARE_QUERY, [survey_round.pk, question_ids])
            return len(cursor.fetchall())

    def task() -> int:
        aggregation.aggregate_round(survey_round)
        return Result.objects.filter(round=survey_round).count()

    if options.explain:
        _explain(survey_round, question_ids)
    bare_seconds, groups = _best_of(bare)
    task_seconds, results = _best_of(task)
    print(f"(a) bare GROUP BY:   {bare_seconds * 1000:8.1f} ms  ({groups} grouped rows)")
    print(f"(b) aggregate_round: {task_seconds * 1000:8.1f} ms  ({results} Result rows)")
    ratio = task_seconds / bare_seconds
    print(f"ratio (b)/(a):       {ratio:8.2f}  (aim ≤ 1.50)")
    return 0 if ratio <= 1.5 else 1


def _best_of(run: Callable[[], int], *, times: int = 3) -> tuple[float, int]:
    outcome = run()  # warm-up: caches, plans, the Aggregation row
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        outcome = run()
        timings.append(time.perf_counter() - started)
    return min(timings), outcome


def _generate(responses: int):  # noqa: ANN202 - a Round, imported after setup
    from django.db import connection
    from django.utils import timezone

    from portal.lib.models import User
    from thermometer.models import Questionnaire, Round

    _delete_round()
    user, _created = User.objects.get_or_create(
        username="benchmark", defaults={"last_name": "Benchmark (fictief)"}
    )
    now = timezone.now()
    survey_round = Round.objects.create(
        name=ROUND_NAME,
        status=Round.Status.CLOSED,
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=10),
        external_questionnaire=Questionnaire.objects.get(variant="external", version=1),
        internal_questionnaire=Questionnaire.objects.get(variant="internal", version=1),
        created_by=user,
    )
    started = time.perf_counter()
    parameters = {
        "round": survey_round.pk,
        "external": survey_round.external_questionnaire_id,
        "internal": survey_round.internal_questionnaire_id,
        "responses": responses,
    }
    with connection.cursor() as cursor:
        cursor.execute(RESPONSES_SQL, parameters)
        cursor.execute(ANSWERS_SQL, parameters)
    with connection.cursor() as cursor:  # VACUUM cannot run in a transaction block
        cursor.execute("VACUUM ANALYZE thermometer_response")
        cursor.execute("VACUUM ANALYZE thermometer_answer")
    print(f"Generated in {time.perf_counter() - started:.1f} s")
    return survey_round


def _explain(survey_round, question_ids: list[int]) -> None:  # noqa: ANN001
    from django.db import connection

    from thermometer.services import aggregation

    orm_sql, orm_params = (
        aggregation.Answer.objects.filter(
            response__round=survey_round, question_id__in=question_ids, number__isnull=False
        )
        .values_list("response__respondent_group", "question_id", "number")
        .annotate(n=aggregation.Count("pk"))
        .order_by()
        .query.sql_with_params()
    )
    for title, sql, params in [
        ("bare", BARE_QUERY, [survey_round.pk, question_ids]),
        ("answer_counts", orm_sql, orm_params),
    ]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print(f"--- EXPLAIN {title}")
            print("\n".join(row[0] for row in cursor.fetchall()))


def _delete_round() -> None:
    from django.db import connection, transaction

    from thermometer.models import Round

    survey_round = Round.objects.filter(name=ROUND_NAME).first()
    if survey_round is None:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM thermometer_answer a USING thermometer_response r "
            "WHERE a.response_id = r.id AND r.round_id = %s",
            [survey_round.pk],
        )
        for table in ("response", "result", "groupresult", "aggregation"):
            delete = f"DELETE FROM thermometer_{table} WHERE round_id = %s"  # noqa: S608
            cursor.execute(delete, [survey_round.pk])
        survey_round.delete()


def _admin_connection(url: str):  # noqa: ANN202 - a psycopg connection
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def _create_database(url: str) -> tuple[tuple[str, str], str]:
    from psycopg import sql

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'portal'}_bench_{os.getpid()}"
    with _admin_connection(url) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"Created throwaway database {name}")
    return (url, name), urlunsplit(parts._replace(path="/" + name))


def _drop_database(throwaway: tuple[str, str]) -> None:
    from psycopg import sql

    url, name = throwaway
    with _admin_connection(url) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    print(f"Dropped throwaway database {name}")


if __name__ == "__main__":
    sys.exit(main())
