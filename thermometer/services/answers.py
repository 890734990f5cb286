"""Open answers of a round: reading them with the anonymity threshold, hiding them.

Open answers are text, so a small group's answers could be recognised by their
wording alone: a respondent group is shown as a block of its own only from
settings.THERMOMETER_MIN_GROUP_SIZE_OPEN responses in the round, and the partner
groups below that share one block when the subtraction rule of
services/disclosure.py allows it. Answers of groups that still cannot be shown are
counted, never read. The order is by text, never by key or time: the order of
submission could point at the person.

Answers are addressed by an opaque reference per answer (answer_reference) and the
question code: never by Answer.pk, whose sequence would give the order of submission
away, and never by the response's UUID, which is the same on one respondent's answers
to every question and would let a reader link them together. The reference is a
keyed hash of response and question, so the references of one response's answers are
unrelated to each other; it is resolved by computing it again (resolve_reference).
"""

import itertools
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from portal.lib.models import User
from thermometer.models import (
    PARTNER_GROUPS,
    Answer,
    Question,
    RespondentGroup,
    Response,
    ResultGroup,
    Round,
)
from thermometer.services.disclosure import disclosed_groups

logger = logging.getLogger(__name__)

SMALLER_PARTNER_GROUPS = "smaller-partners"
# Blocks in the order of the results page: partner groups, then staff.
BLOCK_ORDER = (*(str(g) for g in PARTNER_GROUPS), SMALLER_PARTNER_GROUPS, str(ResultGroup.STAFF))


REFERENCE_SALT = "thermometer.open-answer"
REFERENCE_LENGTH = 24  # hex digits: 96 bits


def answer_reference(response_id: uuid.UUID, code: str) -> str:
    """The opaque reference of the answer of a response to a question: what the page
    shows instead of the response's UUID. Without the secret key the references of
    one response's answers to different questions cannot be linked."""
    return salted_hmac(REFERENCE_SALT, f"{response_id}:{code}").hexdigest()[:REFERENCE_LENGTH]


def answer_anchor(reference: str, code: str) -> str:
    """The id of an answer on the open answers page."""
    return f"answer-{code}-{reference}"


@dataclass(frozen=True)
class OpenAnswer:
    reference: str  # answer_reference(): never the response's UUID
    code: str
    text: str
    hidden: bool
    # For the export only (thermometer/exports.py), which fetches the answers it
    # lists by key inside the worker; pages address an answer by its reference.
    pk: int = field(repr=False)

    @property
    def anchor(self) -> str:
        return answer_anchor(self.reference, self.code)


@dataclass
class AnswerBlock:
    """The answers to one question of one respondent group, or of the merged small
    partner groups; or only their number, when the group is too small to show."""

    key: str
    asked: str = ""  # the wording this group was asked, when it differs from the heading
    answers: list[OpenAnswer] = field(default_factory=list)
    hidden_count: int = 0  # hidden by an administrator, and not listed for this reader
    withheld_count: int = 0  # the group is too small: its answers are counted only

    @property
    def label(self) -> str:
        if self.key == SMALLER_PARTNER_GROUPS:
            return str(_("Partners in smaller groups"))
        return str(RespondentGroup(self.key).label)

    @property
    def withheld(self) -> bool:
        return self.withheld_count > 0


@dataclass
class OpenQuestion:
    code: str
    text: str
    blocks: list[AnswerBlock] = field(default_factory=list)

    @property
    def has_answers(self) -> bool:
        return any(block.answers for block in self.blocks)


def open_questions(survey_round: Round) -> list[Question]:
    """The round's open questions: the partners' questionnaire first, each in its order."""
    external = survey_round.external_questionnaire_id
    questionnaires = [q for q in (external, survey_round.internal_questionnaire_id) if q]
    questions = Question.objects.filter(
        questionnaire__in=questionnaires, kind=Question.Kind.OPEN
    ).order_by("section__position", "position", "pk")
    # sorted() is stable: within each questionnaire the order stays the questionnaire's.
    return sorted(questions, key=lambda q: q.questionnaire_id != external)


def read_open_answers(
    survey_round: Round,
    *,
    questions: list[Question],
    include_hidden: bool,
    code: str | None = None,
) -> list[OpenQuestion]:
    """The non-empty open answers of a round by question and block (three queries).

    `questions` are the round's open_questions(). Hidden answers are listed (marked)
    only with include_hidden; otherwise they are counted.
    """
    questions = [q for q in questions if not code or q.code == code]
    block_of = _blocks(survey_round)
    answers = _open_answers(survey_round)
    if code:
        answers = answers.filter(question__code=code)
    # Only answers of groups that may be shown leave the database with their text.
    listed = answers.filter(response__respondent_group__in=list(block_of))
    if not include_hidden:
        listed = listed.filter(hidden_at__isnull=True)
    rows = listed.values_list(
        "response_id", "question__code", "response__respondent_group", "text", "hidden_at", "pk"
    ).order_by(Lower("text"), "text", "response_id")
    counts = (
        answers.values_list("question__code", "response__respondent_group")
        .annotate(total=Count("pk"), hidden=Count("pk", filter=Q(hidden_at__isnull=False)))
        .order_by()
    )
    return _assemble(
        questions,
        rows,
        counts,
        block_of,
        staff_questionnaire=survey_round.internal_questionnaire_id,
        include_hidden=include_hidden,
    )


def find_open_answer(survey_round: Round, *, reference: str, code: str) -> Answer:
    """The non-empty open answer of the round with this reference, of a group that may
    be read (as listed by read_open_answers); raises Answer.DoesNotExist otherwise."""
    answers = _open_answers(survey_round).filter(
        response__respondent_group__in=list(_blocks(survey_round))
    )
    pk = resolve_reference(answers, reference=reference, code=code)
    return Answer.objects.select_related("question").get(pk=pk)


def resolve_reference(answers: QuerySet[Answer], *, reference: str, code: str) -> int:
    """The pk of the answer among `answers` to question `code` whose reference this is
    (one query: the answers to that question); raises Answer.DoesNotExist otherwise."""
    candidates = answers.filter(question__code=code).values_list("pk", "response_id").order_by()
    for pk, response_id in candidates:
        if constant_time_compare(answer_reference(response_id, code), reference):
            return pk
    raise Answer.DoesNotExist("There is no open answer with this reference.")


def _open_answers(survey_round: Round) -> QuerySet[Answer]:
    return Answer.objects.filter(
        response__round=survey_round, question__kind=Question.Kind.OPEN
    ).exclude(text="")


def _blocks(survey_round: Round) -> dict[str, str]:
    """Which respondent groups may be read, and the block each one is shown in (one
    query: the responses per group)."""
    respondents = dict(
        Response.objects.filter(round=survey_round)
        .values_list("respondent_group")
        .annotate(count=Count("pk"))
        .order_by()
    )
    disclosed = disclosed_groups(respondents, minimum=settings.THERMOMETER_MIN_GROUP_SIZE_OPEN)
    block_of = {str(g): str(g) for g in disclosed if g != ResultGroup.ALL_PARTNERS}
    if ResultGroup.ALL_PARTNERS in disclosed:
        # disclosed_groups leaves the partner groups it hides either empty or together
        # at least the minimum: then they can share one block without giving one away.
        for group in PARTNER_GROUPS:
            if group not in disclosed and respondents.get(group):
                block_of[str(group)] = SMALLER_PARTNER_GROUPS
    return block_of


def _assemble(
    questions: list[Question],
    rows: Iterable[tuple[uuid.UUID, str, str, str, object, int]],
    counts: Iterable[tuple[str, str, int, int]],
    block_of: dict[str, str],
    *,
    staff_questionnaire: int | None,
    include_hidden: bool,
) -> list[OpenQuestion]:
    by_code: dict[str, OpenQuestion] = {}
    asked: dict[tuple[str, str], str] = {}  # (code, block) -> the wording that block was asked
    for question in questions:
        by_code.setdefault(question.code, OpenQuestion(question.code, question.text))
        is_staff = question.questionnaire_id == staff_questionnaire
        for result_group in [ResultGroup.STAFF] if is_staff else PARTNER_GROUPS:
            key = block_of.get(str(result_group), str(result_group))
            asked.setdefault((question.code, key), question.text)
    blocks: dict[tuple[str, str], AnswerBlock] = {}

    def block(code: str, key: str) -> AnswerBlock:
        if (code, key) not in blocks:
            wording = asked.get((code, key), "")
            blocks[code, key] = AnswerBlock(
                key=key, asked="" if wording == by_code[code].text else wording
            )
        return blocks[code, key]

    # Answers with the same text come in the order of their reference, not of their
    # response: an order by response would be the same under every question.
    for _text, same in itertools.groupby(rows, key=lambda row: row[3]):
        listed = sorted(
            (
                (answer_reference(response_id, code), code, group, text, hidden_at, pk)
                for response_id, code, group, text, hidden_at, pk in same
                if code in by_code
            ),
            key=lambda row: row[0],
        )
        for reference, code, group, text, hidden_at, pk in listed:
            block(code, block_of[group]).answers.append(
                OpenAnswer(reference=reference, code=code, text=text, hidden=bool(hidden_at), pk=pk)
            )
    for code, group, total, hidden in counts:
        if code not in by_code:
            continue
        if group not in block_of:
            block(code, group).withheld_count += total
        elif hidden and not include_hidden:
            block(code, block_of[group]).hidden_count += hidden
    for (code, _key), found in sorted(blocks.items(), key=lambda i: BLOCK_ORDER.index(i[0][1])):
        by_code[code].blocks.append(found)
    return list(by_code.values())


def hide_answer(*, round: Round, reference: str, code: str, by: User, hidden: bool) -> Answer:
    """Hide the open answer of the round with this reference (answer_reference), or
    show it again. Idempotent.

    Raises Answer.DoesNotExist for anything but a non-empty open answer of the round.
    """
    pk = resolve_reference(_open_answers(round), reference=reference, code=code)
    with transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=pk)
        if (answer.hidden_at is not None) == hidden:
            return answer
        answer.hidden_at = timezone.now() if hidden else None
        answer.hidden_by = by if hidden else None
        answer.save(update_fields=["hidden_at", "hidden_by"])
    logger.info(
        "%s %s open answer %s (answer %s, reference %s) in round %s",
        by.get_username(),
        "hid" if hidden else "showed again",
        code,
        answer.pk,
        reference,
        round.pk,
    )
    return answer
