"""The collaboration thermometer's models, by topic: questionnaires, rounds with their
invitations and responses, and results."""

from thermometer.models.questionnaires import (
    SCALE_LABELS,
    SCALE_MAX,
    Question,
    Questionnaire,
    Section,
)
from thermometer.models.results import (
    PARTNER_GROUPS,
    PROPERTY_LABELS,
    Aggregation,
    GroupResult,
    ImprovementAction,
    Result,
    ResultGroup,
)
from thermometer.models.rounds import (
    Answer,
    Draft,
    Invitation,
    RespondentGroup,
    Response,
    Round,
    SubmissionReceipt,
)

__all__ = [
    "PARTNER_GROUPS",
    "PROPERTY_LABELS",
    "SCALE_LABELS",
    "SCALE_MAX",
    "Aggregation",
    "Answer",
    "Draft",
    "GroupResult",
    "ImprovementAction",
    "Invitation",
    "Question",
    "Questionnaire",
    "RespondentGroup",
    "Response",
    "Result",
    "ResultGroup",
    "Round",
    "Section",
    "SubmissionReceipt",
]
