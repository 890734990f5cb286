"""Rounds: creating them, changing them safely and moving them draft → open → closed
→ published.

A round cannot be changed in ways that break responses already given: once a round
has left draft or holds a response, its questionnaires are fixed and its anonymity may
only be tightened. These rules live here, not only in the form, so a crafted POST or a
management command meets them too.
"""

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Organisation
from portal.lib.models import User
from thermometer.models import Questionnaire, Response, Round
from thermometer.services import aggregation

logger = logging.getLogger(__name__)

Status = Round.Status

# The only way forward; the values are the actions of the transition form.
TRANSITIONS: dict[str, tuple[Status, Status]] = {
    "open": (Status.DRAFT, Status.OPEN),
    "close": (Status.OPEN, Status.CLOSED),
    "publish": (Status.CLOSED, Status.PUBLISHED),
}

EDITABLE_FIELDS = frozenset(
    {
        "name",
        "opens_at",
        "closes_at",
        "external_questionnaire",
        "internal_questionnaire",
        "organisations",
        "include_staff",
        "record_organisation",
    }
)


def create_round(
    *,
    by: User,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    external_questionnaire: Questionnaire | None,
    internal_questionnaire: Questionnaire | None,
    organisations: Iterable[Organisation],
    include_staff: bool,
    record_organisation: bool,
) -> Round:
    """Create a draft round. Raises ValidationError (per field) for inconsistent settings."""
    organisations = list(organisations)
    _check_settings(
        opens_at=opens_at,
        closes_at=closes_at,
        external_questionnaire=external_questionnaire,
        internal_questionnaire=internal_questionnaire,
        has_organisations=bool(organisations),
        include_staff=include_staff,
    )
    with transaction.atomic():
        survey_round = Round.objects.create(
            name=name,
            opens_at=opens_at,
            closes_at=closes_at,
            external_questionnaire=external_questionnaire,
            internal_questionnaire=internal_questionnaire,
            include_staff=include_staff,
            record_organisation=record_organisation,
            created_by=by,
        )
        survey_round.organisations.set(organisations)
    logger.info("Round %s created by user %s", survey_round.pk, by.pk)
    return survey_round


def update_round(survey_round: Round, *, by: User, **changes: Any) -> Round:
    """Apply `changes` to the round, refusing any that could break given responses.

    Values equal to the current ones are not changes, so a form may pass all its
    fields. Raises ValidationError (per field); nothing is saved then.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_round() cannot change {sorted(unknown)}")
    with transaction.atomic():
        # The row lock serialises edits with each other and with transitions; the
        # response check below then sees every response committed before it.
        locked = Round.objects.select_for_update().get(pk=survey_round.pk)
        current_organisations = set(locked.organisations.values_list("pk", flat=True))
        new_organisations = changes.pop("organisations", None)
        new_organisation_pks = (
            {organisation.pk for organisation in new_organisations}
            if new_organisations is not None
            else current_organisations
        )
        changed = {
            field: value for field, value in changes.items() if getattr(locked, field) != value
        }
        organisations_changed = new_organisation_pks != current_organisations
        has_responses = Response.objects.filter(round=locked).exists()
        _check_change_allowed(
            locked,
            changed,
            added_organisations=new_organisation_pks - current_organisations,
            removed_organisations=current_organisations - new_organisation_pks,
            has_responses=has_responses,
        )
        final = {field: changed.get(field, getattr(locked, field)) for field in EDITABLE_FIELDS}
        _check_settings(
            opens_at=final["opens_at"],
            closes_at=final["closes_at"],
            external_questionnaire=final["external_questionnaire"],
            internal_questionnaire=final["internal_questionnaire"],
            has_organisations=bool(new_organisation_pks),
            include_staff=final["include_staff"],
        )
        if changed:
            for field, value in changed.items():
                setattr(locked, field, value)
            locked.save(update_fields=list(changed))
        if organisations_changed:
            locked.organisations.set(new_organisation_pks)
        if changed.get("record_organisation") is False and has_responses:
            # Tightening applies to what is stored too: responses given while the
            # setting was on lose their organisation, so no response keeps more than
            # the round now promises.
            Response.objects.filter(round=locked).update(organisation=None)
    if changed or organisations_changed:
        logger.info(
            "Round %s changed by user %s: %s",
            locked.pk,
            by.pk,
            sorted([*changed, *(["organisations"] if organisations_changed else [])]),
        )
    return locked


def transition_round(survey_round: Round, *, to: Status | str, by: User) -> bool:
    """Move the round one step forward. Idempotent: True if it moved, False if it
    already had that status. Raises ValidationError when the step is not allowed."""
    to = Status(to)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=survey_round.pk)
        if locked.status == to:
            return False
        allowed_from = next(
            (source for source, target in TRANSITIONS.values() if target == to), None
        )
        if locked.status != allowed_from:
            raise ValidationError(_refusal(to), code="invalid_transition")
        if to == Status.OPEN:
            _check_ready_to_open(locked)
        locked.status = to
        locked.save(update_fields=["status"])
        if to == Status.CLOSED:
            # The results are computed by a worker once the closing has committed.
            aggregation.request_aggregation(locked, by=by)
    logger.info("Round %s moved to %s by user %s", locked.pk, to, by.pk)
    survey_round.status = locked.status
    return True


def available_actions(survey_round: Round) -> list[str]:
    """The transition actions that may be tried from the round's status."""
    return [
        action for action, (source, _target) in TRANSITIONS.items() if source == survey_round.status
    ]


# --- Rules ---------------------------------------------------------------------------


def _check_settings(
    *,
    opens_at: datetime,
    closes_at: datetime,
    external_questionnaire: Questionnaire | None,
    internal_questionnaire: Questionnaire | None,
    has_organisations: bool,
    include_staff: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    if opens_at and closes_at and closes_at <= opens_at:
        errors.setdefault("closes_at", []).append(
            _("The closing time must be after the opening time.")
        )
    if not has_organisations and not include_staff:
        errors.setdefault("organisations", []).append(
            _("Choose at least one target group: partner organisations or province staff.")
        )
    if external_questionnaire and external_questionnaire.variant != Questionnaire.Variant.EXTERNAL:
        errors.setdefault("external_questionnaire", []).append(
            _("Choose a questionnaire for partners here.")
        )
    if internal_questionnaire and internal_questionnaire.variant != Questionnaire.Variant.INTERNAL:
        errors.setdefault("internal_questionnaire", []).append(
            _("Choose a questionnaire for staff here.")
        )
    if has_organisations and external_questionnaire is None:
        errors.setdefault("external_questionnaire", []).append(
            _("Partner organisations are invited: choose the questionnaire for partners.")
        )
    if include_staff and internal_questionnaire is None:
        errors.setdefault("internal_questionnaire", []).append(
            _("Province staff are invited: choose the questionnaire for staff.")
        )
    if errors:
        raise ValidationError(errors)


def _check_change_allowed(
    survey_round: Round,
    changed: dict[str, Any],
    *,
    added_organisations: set[int],
    removed_organisations: set[int],
    has_responses: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    status = survey_round.status
    settled = has_responses or status != Status.DRAFT

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if settled:
        for field in ("external_questionnaire", "internal_questionnaire"):
            if field in changed:
                refuse(
                    field,
                    _("The questionnaire cannot change once a round is open or has responses."),
                )
        if changed.get("record_organisation") is True:
            refuse(
                "record_organisation",
                _(
                    "Organisations cannot be recorded any more: the round is open or has "
                    "responses, and its anonymity may only be tightened."
                ),
            )
        if "opens_at" in changed:
            refuse("opens_at", _("The opening time cannot change once a round has opened."))
    if status == Status.OPEN and "closes_at" in changed:
        if changed["closes_at"] < survey_round.closes_at:
            refuse("closes_at", _("While the round is open, the closing time can only be later."))
        elif changed["closes_at"] <= timezone.now():
            refuse("closes_at", _("Choose a closing time in the future."))
    if status in (Status.CLOSED, Status.PUBLISHED):
        if "closes_at" in changed:
            refuse("closes_at", _("The closing time cannot change once a round has closed."))
        if added_organisations or removed_organisations or "include_staff" in changed:
            refuse(
                "organisations",
                _("The target groups cannot change once a round has closed."),
            )
    # Widening an open round is fine (someone was forgotten); narrowing it would
    # leave invitations and responses of a group the round no longer targets.
    elif settled and (removed_organisations or changed.get("include_staff") is False):
        refuse(
            "organisations",
            _("Once a round is open or has responses, target groups can only be added."),
        )
    if errors:
        raise ValidationError(errors)


def _check_ready_to_open(survey_round: Round) -> None:
    problems = []
    has_organisations = survey_round.organisations.exists()
    if not has_organisations and not survey_round.include_staff:
        problems.append(_("Choose at least one target group before opening the round."))
    if has_organisations and survey_round.external_questionnaire_id is None:
        problems.append(_("Choose the questionnaire for partners before opening the round."))
    if survey_round.include_staff and survey_round.internal_questionnaire_id is None:
        problems.append(_("Choose the questionnaire for staff before opening the round."))
    if survey_round.closes_at <= timezone.now():
        problems.append(_("The closing time has passed: set a later closing time first."))
    if problems:
        raise ValidationError(problems, code="not_ready")


def _refusal(to: Status) -> str:
    messages = {
        Status.OPEN: _("Only a draft round can be opened."),
        Status.CLOSED: _("Only an open round can be closed."),
        Status.PUBLISHED: _("Only a closed round can be published."),
    }
    return str(messages.get(to, _("This change of status is not possible.")))
