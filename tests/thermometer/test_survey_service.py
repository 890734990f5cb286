"""thermometer.services.survey: saving drafts and the one-time submit (#4)."""

import datetime

from django.utils import timezone

import pytest

from tests.factories import InvitationFactory, RoundFactory
from tests.thermometer.test_survey_views import COMPLETE
from thermometer.models import Draft, Invitation, Response, SubmissionReceipt
from thermometer.services.survey import (
    AlreadySubmitted,
    Incomplete,
    RevisionConflict,
    RoundClosed,
    load_survey,
    save_answers,
    submit_draft,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation() -> Invitation:
    return InvitationFactory()


def save_mark(invitation: Invitation, mark: int | None, *, revision: int) -> Draft:
    section = load_survey(invitation).section(1)
    return save_answers(
        invitation, section=section, answers={"q1a": mark}, revision=revision, current_section=1
    )


def test_each_save_raises_the_revision_and_the_first_marks_the_start(
    invitation: Invitation,
) -> None:
    save_mark(invitation, 5, revision=0)
    invitation.refresh_from_db()
    started = invitation.started_at
    draft = save_mark(invitation, 6, revision=1)
    invitation.refresh_from_db()
    assert (draft.revision, draft.answers) == (2, {"q1a": 6})
    assert invitation.started_at == started is not None


def test_a_save_based_on_an_older_revision_stores_nothing(invitation: Invitation) -> None:
    save_mark(invitation, 5, revision=0)
    with pytest.raises(RevisionConflict) as conflict:
        save_mark(invitation, 9, revision=0)
    assert conflict.value.draft.revision == 1
    assert Draft.objects.get().answers == {"q1a": 5}


def test_a_stale_save_of_what_is_already_stored_goes_through(invitation: Invitation) -> None:
    """The same tab's button overtaking its own autosave: nothing to lose, no conflict."""
    save_mark(invitation, 7, revision=0)
    draft = save_mark(invitation, 7, revision=0)
    assert draft.answers == {"q1a": 7}
    with pytest.raises(RevisionConflict):
        save_mark(invitation, 3, revision=0)


def test_a_save_after_closing_time_stores_nothing(db: None) -> None:
    now = timezone.now()
    survey_round = RoundFactory(opens_at=now - datetime.timedelta(days=9))
    invitation = InvitationFactory(round=survey_round)
    survey_round.closes_at = now - datetime.timedelta(seconds=1)
    survey_round.save()
    with pytest.raises(RoundClosed):
        save_mark(invitation, 5, revision=0)
    assert not Draft.objects.exists()


def test_a_value_out_of_range_never_reaches_the_draft(invitation: Invitation) -> None:
    with pytest.raises(ValueError, match="q1a"):
        save_mark(invitation, 11, revision=0)
    assert not Draft.objects.exists()


def test_submit_refuses_an_incomplete_draft(invitation: Invitation) -> None:
    Draft.objects.create(invitation=invitation, answers={"q1a": 7})
    with pytest.raises(Incomplete) as incomplete:
        submit_draft(invitation)
    assert len(incomplete.value.missing) == 8
    assert not Response.objects.exists()


def test_the_receipt_is_the_database_guard_when_a_path_misses_the_check(
    invitation: Invitation,
) -> None:
    """A receipt without used_at (a path that skipped the lock): still no second response."""
    Draft.objects.create(invitation=invitation, answers=dict(COMPLETE))
    SubmissionReceipt.objects.create(invitation=invitation)
    with pytest.raises(AlreadySubmitted):
        submit_draft(invitation)
    assert not Response.objects.exists()
    assert Draft.objects.filter(invitation=invitation).exists()


def test_submit_is_all_or_nothing(invitation: Invitation) -> None:
    broken = {**COMPLETE, "q1b-betrokken": 9}  # not on the five-point scale
    Draft.objects.create(invitation=invitation, answers=broken)
    with pytest.raises(ValueError, match="q1b-betrokken"):
        submit_draft(invitation)
    assert not Response.objects.exists()
    assert not SubmissionReceipt.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_submit_ignores_answers_to_questions_not_in_the_questionnaire(
    invitation: Invitation,
) -> None:
    Draft.objects.create(invitation=invitation, answers={**COMPLETE, "q2": 8})
    response = submit_draft(invitation)
    assert "q2" not in {answer.question.code for answer in response.answers.all()}
    with pytest.raises(AlreadySubmitted):
        submit_draft(invitation)
