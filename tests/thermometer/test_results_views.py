"""The results pages of a round: list, detail, progress, recompute and print (#5).

Numbers are asserted as the Dutch locale writes them ("7,6"); texts with English
headers, as the Dutch translations come later.
"""

import datetime
import re
import time
import uuid

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from tests.factories import (
    ImprovementActionFactory,
    InvitationFactory,
    RoundFactory,
    add_response,
)
from thermometer.models import Aggregation, Answer, Question, Response
from thermometer.services.aggregation import aggregate_round

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
HTMX = {"HX-Request": "true"}
LIST_URL = reverse("thermometer:results_list")


def detail_url(survey_round, group: str | None = None) -> str:
    url = reverse("thermometer:results_detail", args=[survey_round.pk])
    return f"{url}?groep={group}" if group else url


def progress_url(survey_round) -> str:
    return reverse("thermometer:results_progress", args=[survey_round.pk])


def row(body: str, attribute: str) -> str:
    """The HTML of the first table row carrying `attribute` (e.g. data-perspective="partners")."""
    match = re.search(rf"<tr[^>]*{re.escape(attribute)}[^>]*>(.*?)</tr>", body, re.S)
    assert match, f"no row with {attribute}"
    return match.group(1)


def table(body: str, name: str) -> str:
    match = re.search(rf'<table[^>]*data-table="{name}"[^>]*>(.*?)</table>', body, re.S)
    assert match, f"no table {name}"
    return match.group(1)


@pytest.fixture
def results_round():
    """A closed round with results: municipalities (5) shown; water boards (3) and
    agencies (2) hidden, together 5, so "all partners" does not give them away."""
    survey_round = RoundFactory(name="Thermometer 2026", status="closed")
    InvitationFactory.create_batch(10, round=survey_round, respondent_group="gemeente")
    for mark in (8, 8, 7, 7, 8):  # mean 7.6
        add_response(survey_round, group="gemeente", answers={"q1a": mark, "q1b-betrouwbaar": 4})
    for mark in (2, 3, 2):  # mean 2.33: must never show
        add_response(survey_round, group="waterschap", answers={"q1a": mark, "q1b-betrouwbaar": 1})
    for _ in range(2):
        add_response(
            survey_round, group="uitvoeringsdienst", answers={"q1a": 5, "q1b-betrouwbaar": 3}
        )
    for _ in range(5):
        add_response(
            survey_round,
            group="staff",
            answers={"q1a": 6, "q2": 9, "q3a": 7, "q1b-betrouwbaar": 5, "q3b-betrouwbaar": 3},
        )
    aggregate_round(survey_round)
    return survey_round


# --- results_list ----------------------------------------------------------------------


def test_the_list_shows_partners_published_rounds_only(partner_client: Client) -> None:
    published = RoundFactory(name="Thermometer 2025", status="published")
    RoundFactory(name="Thermometer 2026", status="closed")
    RoundFactory(name="Thermometer 2027", status="open")

    response = partner_client.get(LIST_URL, headers=EN)

    assert list(response.context["page"].object_list) == [published]
    body = response.content.decode()
    assert "Thermometer 2026" not in body and "Thermometer 2027" not in body
    assert detail_url(published) in body
    assert reverse("thermometer:trends") in body
    assert reverse("thermometer:results_import") not in body


def test_the_list_shows_staff_closed_rounds_too(staff_client: Client) -> None:
    now = timezone.now()
    older = RoundFactory(
        name="Thermometer 2025",
        status="published",
        opens_at=now - datetime.timedelta(days=430),
        closes_at=now - datetime.timedelta(days=400),
    )
    newer = RoundFactory(name="Thermometer 2026", status="closed")
    body = staff_client.get(LIST_URL, headers=EN).content.decode()
    assert body.index("Thermometer 2026") < body.index("Thermometer 2025")
    assert f'data-round="{newer.pk}"' in body and f'data-round="{older.pk}"' in body
    assert "Closed, not yet published" in body


def test_the_list_offers_administrators_the_import(admin_client_portal: Client) -> None:
    body = admin_client_portal.get(LIST_URL, headers=EN).content.decode()
    assert reverse("thermometer:results_import") in body
    assert "data-empty" in body  # no rounds with results yet


def test_the_list_pages(staff_client: Client, settings) -> None:
    settings.PAGE_SIZE = 2
    for _ in range(3):
        RoundFactory(status="published")
    assert len(staff_client.get(LIST_URL).context["page"].object_list) == 2
    assert len(staff_client.get(LIST_URL + "?page=2").context["page"].object_list) == 1


def test_the_list_is_closed_to_outsiders(outsider_client: Client) -> None:
    assert outsider_client.get(LIST_URL).status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_query_count_does_not_grow(
    staff_client: Client, count: int, django_assert_max_num_queries
) -> None:
    for _ in range(count):
        Aggregation.objects.create(round=RoundFactory(status="published"))
    staff_client.get(LIST_URL)
    # Session, user, permissions (2), count, the page of rounds with their aggregation
    # (select_related), the user's roles (context processor).
    with django_assert_max_num_queries(7):
        assert staff_client.get(LIST_URL).status_code == 200


# --- results_detail --------------------------------------------------------------------


def test_the_detail_shows_the_means_in_dutch_notation(staff_client: Client, results_round) -> None:
    body = staff_client.get(detail_url(results_round, "gemeente")).content.decode()
    partners = row(table(body, "marks"), 'data-perspective="partners"')
    assert "<td" in partners and "7,6" in partners  # mean 38 / 5
    assert re.search(r"data-median>\s*8\s*<", partners)
    staff = row(table(body, "marks"), 'data-perspective="staff"')
    assert "6,0" in staff
    assert "7,6" in body.split("<details", 1)[0]  # also written in the chart itself
    reliable = row(table(body, "properties"), 'data-property="betrouwbaar"')
    assert [m for m in re.findall(r"data-mean>([^<]+)<", reliable)] == ["5,0", "3,0", "4,0"]


def test_all_partners_is_the_default_group(staff_client: Client, results_round) -> None:
    response = staff_client.get(detail_url(results_round))
    assert response.context["group"] == "partners"
    partners = row(table(response.content.decode(), "marks"), 'data-perspective="partners"')
    assert "5,5" in partners  # (38 + 7 + 10) / 10


def test_a_hidden_group_shows_too_few_responses_and_no_numbers(
    staff_client: Client, results_round
) -> None:
    body = staff_client.get(detail_url(results_round, "waterschap"), headers=EN).content.decode()
    partners = row(table(body, "marks"), 'data-perspective="partners"')
    assert "Too few responses" in partners
    assert "data-mean" not in partners
    reliable = row(table(body, "properties"), 'data-property="betrouwbaar"')
    assert reliable.count("Too few responses") == 1  # staff's two perspectives are shown
    assert "2,3" not in body and "1,0" not in body  # the water boards' mean mark and scale
    assert "Too few responses" in table(body, "distribution-10")
    assert "(100.0%)" not in body and "(100,0%)" not in body


def test_the_group_switch_lists_the_partner_groups_and_marks_the_current_one(
    staff_client: Client, results_round
) -> None:
    body = staff_client.get(detail_url(results_round, "gemeente"), headers=EN).content.decode()
    switch = re.search(
        r'<nav class="results-groups[^>]*aria-label="[^"]+"[^>]*>(.*?)</nav>', body, re.S
    )
    assert switch
    groups = re.findall(r'data-group="([^"]+)"', switch.group(1))
    assert groups == ["partners", "gemeente", "waterschap", "uitvoeringsdienst"]
    current = re.findall(r'data-group="([^"]+)" aria-current="true"', switch.group(1))
    assert current == ["gemeente"]
    assert f'href="{detail_url(results_round, "waterschap")}"' in switch.group(1)


def test_an_unknown_group_falls_back_to_all_partners(staff_client: Client, results_round) -> None:
    for group in ("staff", "nonsense", ""):
        response = staff_client.get(detail_url(results_round) + f"?groep={group}")
        assert response.status_code == 200
        assert response.context["group"] == "partners"


def test_the_distribution_table_gives_counts_and_percentages(
    staff_client: Client, results_round
) -> None:
    body = staff_client.get(detail_url(results_round, "gemeente")).content.decode()
    mark = row(table(body, "distribution-10"), 'data-question="q1a"')
    assert "2 (40,0%)" in mark and "3 (60,0%)" in mark
    reliable = row(table(body, "distribution-5"), 'data-question="q1b-betrouwbaar"')
    assert "5 (100,0%)" in reliable


def test_the_charts_are_figures_with_a_keyboard_table(staff_client: Client, results_round) -> None:
    body = staff_client.get(detail_url(results_round), headers=EN).content.decode()
    assert body.count("<figure") == body.count("<figcaption") == body.count("<details") >= 4
    for chart_id in ("marks-chart", "properties-chart", "distribution-chart-10", "rates-chart"):
        assert f'role="img" aria-labelledby="{chart_id}-title"' in body
        assert f'<title id="{chart_id}-title">' in body
    assert body.count("<summary>Table of this chart</summary>") >= 4
    assert 'id="results-pattern-staff"' in body and 'fill="url(#results-pattern-expected)"' in body
    assert 'style="' not in body and "<style" not in body


def test_the_response_table_gives_the_groups(staff_client: Client, results_round) -> None:
    body = staff_client.get(detail_url(results_round), headers=EN).content.decode()
    municipalities = row(table(body, "response"), 'data-group="gemeente"')
    assert ">10<" in municipalities and ">5<" in municipalities and "50.0%" in municipalities
    # 3 water boards: their count would say who took part, so it is withheld too.
    water_boards = row(table(body, "response"), 'data-group="waterschap"')
    assert "Too few responses" in water_boards and ">3<" not in water_boards
    assert "unknown" in water_boards  # none invited in this test
    chart = body.split('aria-labelledby="rates-chart-title"', 1)[1].split("</svg>", 1)[0]
    assert "50.0%" in chart and "Too few responses" in chart


def test_without_invitations_the_response_is_a_table_without_a_chart(
    staff_client: Client,
) -> None:
    survey_round = RoundFactory(status="closed")
    for _ in range(5):
        add_response(survey_round, group="gemeente", answers={"q1a": 7})
    aggregate_round(survey_round)
    body = staff_client.get(detail_url(survey_round), headers=EN).content.decode()
    assert 'data-table="response"' in body and "rates-chart" not in body


def test_a_partner_gets_a_404_for_a_closed_round(partner_client: Client, results_round) -> None:
    assert partner_client.get(detail_url(results_round)).status_code == 404
    assert partner_client.get(progress_url(results_round)).status_code == 404
    print_url = reverse("thermometer:results_print", args=[results_round.pk])
    assert partner_client.get(print_url).status_code == 404


def test_a_partner_reads_a_published_round_without_admin_tools(
    partner_client: Client, results_round
) -> None:
    results_round.status = "published"
    results_round.save()
    ImprovementActionFactory(round=results_round, title="Sneller terugbellen")
    body = partner_client.get(detail_url(results_round), headers=EN).content.decode()
    assert "Sneller terugbellen" in body
    assert reverse("thermometer:results_aggregate", args=[results_round.pk]) not in body
    assert reverse("thermometer:results_answers", args=[results_round.pk]) not in body
    assert reverse("thermometer:results_action_create", args=[results_round.pk]) not in body


def test_the_detail_links_exports_print_and_answers(staff_client: Client, results_round) -> None:
    body = staff_client.get(detail_url(results_round), headers=EN).content.decode()
    export = reverse("thermometer:results_export", args=[results_round.pk])
    assert f'href="{export}?formaat=xlsx"' in body
    for view in ("marks", "properties", "distributions", "response", "actions"):
        assert f'href="{export}?formaat=csv&amp;weergave={view}"' in body
    assert reverse("thermometer:results_print", args=[results_round.pk]) in body
    assert reverse("thermometer:results_answers", args=[results_round.pk]) in body
    assert reverse("thermometer:trends") in body
    assert reverse("thermometer:results_aggregate", args=[results_round.pk]) not in body


def test_administrators_get_the_recompute_form(admin_client_portal: Client, results_round) -> None:
    body = admin_client_portal.get(detail_url(results_round), headers=EN).content.decode()
    form = re.search(r"<form[^>]*data-recompute[^>]*>(.*?)</form>", body, re.S)
    assert form and "replace the stored results" in form.group(1)
    assert reverse("thermometer:results_aggregate", args=[results_round.pk]) in body
    assert reverse("thermometer:results_action_create", args=[results_round.pk]) in body


def test_a_running_computation_shows_a_polling_progress_block(
    staff_client: Client, results_round
) -> None:
    Aggregation.objects.filter(round=results_round).update(status="running", done=1)
    body = staff_client.get(detail_url(results_round), headers=EN).content.decode()
    block = re.search(r'<div id="progress"[^>]*>', body).group(0)
    assert f'hx-get="{progress_url(results_round)}?seen=running-1-3"' in block
    assert 'hx-trigger="every 2s"' in block and 'hx-swap="outerHTML"' in block
    # The polled block replaces itself; the live region beside it stays in the page
    # and says only the state, not each percent.
    assert "aria-live" not in block and "hx-target" not in block
    region, words = live_region(body)
    assert 'role="status"' in region and 'aria-live="polite"' in region
    assert "hx-" not in region
    assert words == "Computing the results…"
    assert f'href="{progress_url(results_round)}"' in body  # the fallback without htmx
    assert "33% done" in body


def live_region(body: str) -> tuple[str, str]:
    """The opening tag and the words of the live region, which must stand outside the
    polled progress block (swapping it would make screen readers repeat it)."""
    match = re.search(r'(<p [^>]*data-live-region[^>]*>)([^<]*)</p>\s*<div id="progress"', body)
    assert match, "no live region before the progress block"
    assert body.count("data-live-region") == 1
    return match.group(1), match.group(2).strip()


def test_a_failed_computation_is_shown_in_the_live_region_too(
    staff_client: Client, results_round
) -> None:
    Aggregation.objects.filter(round=results_round).update(status="failed", error="x")
    body = staff_client.get(detail_url(results_round), headers=EN).content.decode()
    region, words = live_region(body)
    assert 'aria-live="polite"' in region
    assert words.startswith("Computing the results failed")


def test_a_failed_computation_says_why_without_the_traceback(
    admin_client_portal: Client, results_round
) -> None:
    Aggregation.objects.filter(round=results_round).update(
        status="failed", error="ZeroDivisionError('secret detail in /app/x.py')"
    )
    body = admin_client_portal.get(detail_url(results_round), headers=EN).content.decode()
    assert "Computing the results failed" in body
    assert "Unexpected error (ZeroDivisionError)." in body
    assert "secret detail" not in body
    assert "hx-trigger" not in body
    assert "data-recompute" in body
    assert 'data-table="marks"' in body  # the previous results stay


def test_a_round_without_results_says_so(staff_client: Client) -> None:
    survey_round = RoundFactory(status="closed")
    response = staff_client.get(detail_url(survey_round), headers=EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "No results have been computed for this round yet." in body
    assert 'data-table="marks"' not in body


def add_many_responses(survey_round, count: int) -> None:
    """`count` municipal responses with a mark and one property, in two bulk inserts."""
    questionnaire = survey_round.external_questionnaire
    questions = {q.code: q for q in Question.objects.filter(questionnaire=questionnaire)}
    responses = [
        Response(
            id=uuid.uuid4(),
            round=survey_round,
            questionnaire=questionnaire,
            respondent_group="gemeente",
            submitted_on=datetime.date(2026, 11, 1),
        )
        for _ in range(count)
    ]
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(
        [
            Answer(response=response, question=questions[code], number=1 + index % value)
            for index, response in enumerate(responses)
            for code, value in (("q1a", 10), ("q1b-betrouwbaar", 5))
        ],
        batch_size=2000,
    )


@pytest.mark.parametrize("count", [10, 5000])
def test_the_detail_query_count_does_not_grow_with_the_responses(
    admin_client_portal: Client, count: int, django_assert_max_num_queries
) -> None:
    survey_round = RoundFactory(status="closed")
    add_many_responses(survey_round, count)
    aggregate_round(survey_round)
    ImprovementActionFactory(round=survey_round)
    admin_client_portal.get(detail_url(survey_round))
    started = time.monotonic()
    # Session, user, permissions (2), the round, the report (aggregation, results,
    # group results), the actions, the user's roles (context processor): the same for
    # 10 and 5,000 responses.
    with django_assert_max_num_queries(10):
        response = admin_client_portal.get(detail_url(survey_round, "gemeente"))
    assert response.status_code == 200
    assert time.monotonic() - started < 2
    assert f"data-respondents>{count}<" in row(
        table(response.content.decode(), "marks"), 'data-perspective="partners"'
    )


# --- results_progress ------------------------------------------------------------------


def test_the_progress_fragment_gives_the_percentage(staff_client: Client, results_round) -> None:
    Aggregation.objects.filter(round=results_round).update(status="running", done=2)
    response = staff_client.get(progress_url(results_round), headers={**HTMX, **EN})
    body = response.content.decode()
    assert "<html" not in body
    assert 'data-percent="66"' in body and "66% done" in body
    assert 'hx-trigger="every 2s"' in body
    # Only the content of the live region: the region itself stays in the page.
    assert body.lstrip().startswith('<div id="progress"')
    assert "aria-live" not in body and 'role="status"' not in body
    assert "data-live-region" not in body
    assert "HX-Refresh" not in response.headers
    assert "HX-Request" in response.headers["Vary"]


def test_the_progress_fragment_reloads_the_page_when_done(
    staff_client: Client, results_round
) -> None:
    response = staff_client.get(progress_url(results_round), headers={**HTMX, **EN})
    assert response.headers["HX-Refresh"] == "true"
    body = response.content.decode()
    assert "The results are ready: 15 responses included." in body
    assert "hx-trigger" not in body
    assert "aria-live" not in body and "data-live-region" not in body


def test_the_progress_page_without_htmx_is_a_whole_page(
    staff_client: Client, results_round
) -> None:
    Aggregation.objects.filter(round=results_round).update(status="pending", done=0)
    response = staff_client.get(progress_url(results_round), headers=EN)
    body = response.content.decode()
    assert "<html" in body and 'data-job-status="pending"' in body
    assert 'aria-live="polite"' in live_region(body)[0]
    assert detail_url(results_round) in body
    assert f'href="{progress_url(results_round)}"' in body  # "Refresh this page"
    assert "HX-Refresh" not in response.headers


def test_the_progress_is_closed_to_outsiders(outsider_client: Client, results_round) -> None:
    assert outsider_client.get(progress_url(results_round)).status_code == 403


# --- results_aggregate -----------------------------------------------------------------


def aggregate_url(survey_round) -> str:
    return reverse("thermometer:results_aggregate", args=[survey_round.pk])


def test_recomputing_enqueues_the_computation(
    admin_client_portal: Client, results_round, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    queued = []
    monkeypatch.setattr(
        "thermometer.tasks.aggregate_round.delay", lambda round_id: queued.append(round_id)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_portal.post(aggregate_url(results_round), headers=EN)
    assert response.status_code == 302
    assert response.url == detail_url(results_round)
    assert Aggregation.objects.get(round=results_round).status == Aggregation.Status.PENDING
    assert queued == [results_round.pk]
    body = admin_client_portal.get(response.url, headers=EN).content.decode()
    assert "replace the stored results" in body
    assert 'hx-trigger="every 2s"' in body


def test_recomputing_an_open_round_is_refused_with_a_message(
    admin_client_portal: Client,
) -> None:
    survey_round = RoundFactory(status="open")
    response = admin_client_portal.post(aggregate_url(survey_round), headers=EN, follow=True)
    assert response.redirect_chain[-1][0] == LIST_URL
    assert "Results can only be computed once the round has closed." in response.content.decode()
    assert not Aggregation.objects.filter(round=survey_round).exists()


def test_recomputing_is_for_administrators_only(staff_client: Client, results_round) -> None:
    assert staff_client.post(aggregate_url(results_round)).status_code == 403
    assert staff_client.get(aggregate_url(results_round)).status_code == 405


# --- results_print ---------------------------------------------------------------------


def test_the_printable_report_has_every_group_and_the_actions(
    staff_client: Client, results_round
) -> None:
    ImprovementActionFactory(round=results_round, title="Sneller terugbellen")
    url = reverse("thermometer:results_print", args=[results_round.pk])
    body = staff_client.get(url, headers=EN).content.decode()
    for group in ("partners", "gemeente", "waterschap", "uitvoeringsdienst"):
        assert f'data-group="{group}"' in body
    assert "Sneller terugbellen" in body
    assert "print.css" in body
    assert "portal-nav" not in body and "<form" not in body
    waterschap = body.split('id="print-waterschap"', 1)[1].split("</section>", 1)[0]
    assert "Too few responses" in waterschap and "2,3" not in waterschap
    gemeente = body.split('id="print-gemeente"', 1)[1].split("</section>", 1)[0]
    assert "7.6" in gemeente  # English notation under English headers
    dutch = staff_client.get(url).content.decode()
    assert "7,6" in dutch.split('id="print-gemeente"', 1)[1].split("</section>", 1)[0]
