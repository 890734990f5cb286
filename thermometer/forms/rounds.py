"""Forms for administrators: a round's settings and its status changes.

The forms parse input; the rules about what may change when live in
thermometer/services/rounds.py. Fields a round no longer allows to change are
disabled here as a courtesy (a disabled field ignores posted values), the service
refuses them regardless.
"""

from collections.abc import Iterator
from datetime import datetime
from itertools import groupby
from typing import Any

from django import forms
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from thermometer.models import Questionnaire, Round

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
KIND_ORDER = {kind: index for index, kind in enumerate(Organisation.Kind.values)}


class GroupedOrganisationIterator(ModelChoiceIterator):
    """Choices grouped by kind of organisation, in the order of the kinds."""

    def __iter__(self) -> Iterator[Any]:
        organisations = sorted(
            self.queryset, key=lambda o: (KIND_ORDER.get(o.kind, 99), o.name.lower())
        )
        for kind, members in groupby(organisations, key=lambda o: o.kind):
            yield Organisation.Kind(kind).label, [self.choice(o) for o in members]


class GroupedOrganisationField(forms.ModelMultipleChoiceField):
    iterator = GroupedOrganisationIterator


class OrganisationCheckboxes(forms.CheckboxSelectMultiple):
    """One fieldset with a legend per kind, instead of Django's bare group labels."""

    template_name = "thermometer/round_organisation_widget.html"


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example 2026."))
    opens_at = forms.DateTimeField(
        label=_("Opens at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        help_text=_("While the round is open, the closing time can be moved later."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    external_questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire for partners"),
        queryset=Questionnaire.objects.none(),
        required=False,
        empty_label=_("No questionnaire (partners are not invited)"),
    )
    internal_questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire for staff"),
        queryset=Questionnaire.objects.none(),
        required=False,
        empty_label=_("No questionnaire (staff are not invited)"),
    )
    all_municipalities = forms.BooleanField(
        label=_("Invite all municipalities"),
        required=False,
        help_text=_("Adds every active municipality to the organisations chosen below."),
    )
    organisations = GroupedOrganisationField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=OrganisationCheckboxes,
    )
    include_staff = forms.BooleanField(label=_("Invite province staff"), required=False)
    record_organisation = forms.BooleanField(
        label=_("Record the organisation with each response"),
        required=False,
        help_text=_(
            "Allows response rates per organisation. Cannot be switched on once the round "
            "is open or has responses; switching it off removes the organisation from "
            "responses already given."
        ),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        survey_round: Round | None = None,
        has_responses: bool = False,
        all_versions: bool = False,
    ) -> None:
        chosen = (
            list(survey_round.organisations.values_list("pk", flat=True)) if survey_round else []
        )
        super().__init__(data, initial=_initial(survey_round, chosen))
        self.survey_round = survey_round
        for variant, name in (
            (Questionnaire.Variant.EXTERNAL, "external_questionnaire"),
            (Questionnaire.Variant.INTERNAL, "internal_questionnaire"),
        ):
            current = getattr(survey_round, f"{name}_id", None)
            questionnaire = self.fields[name]
            assert isinstance(questionnaire, forms.ModelChoiceField)  # declared above
            questionnaire.queryset = _questionnaires(variant, current, all_versions)
        organisations = self.fields["organisations"]
        assert isinstance(organisations, GroupedOrganisationField)  # declared above
        organisations.queryset = Organisation.objects.filter(
            (Q(pk__in=Organisation.objects.active()) & ~Q(kind=Organisation.Kind.PROVINCIE))
            | Q(pk__in=chosen)
        ).only("pk", "name", "kind")
        if survey_round is not None:
            self._disable_settled_fields(survey_round, has_responses)

    def _disable_settled_fields(self, survey_round: Round, has_responses: bool) -> None:
        settled = has_responses or survey_round.status != Round.Status.DRAFT
        closed = survey_round.status in (Round.Status.CLOSED, Round.Status.PUBLISHED)
        disabled = set()
        if settled:
            disabled |= {"opens_at", "external_questionnaire", "internal_questionnaire"}
            if not survey_round.record_organisation:
                disabled.add("record_organisation")
        if closed:
            disabled |= {"closes_at", "organisations", "all_municipalities", "include_staff"}
        for name in disabled:
            self.fields[name].disabled = True

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = Round.objects.filter(name__iexact=name)
        if self.survey_round is not None:
            others = others.exclude(pk=self.survey_round.pk)
        if others.exists():
            raise forms.ValidationError(_("A round with this name already exists."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a Form's clean() returns its cleaned_data
        organisations = list(cleaned.get("organisations") or [])
        if cleaned.get("all_municipalities"):
            known = {organisation.pk for organisation in organisations}
            organisations += [
                municipality
                for municipality in Organisation.objects.active().filter(
                    kind=Organisation.Kind.GEMEENTE
                )
                if municipality.pk not in known
            ]
        cleaned["organisations"] = organisations
        return cleaned

    def round_settings(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments for the services."""
        values = {
            name: value for name, value in self.cleaned_data.items() if name != "all_municipalities"
        }
        if self.survey_round is not None:
            for name in ("opens_at", "closes_at"):
                # The input has minutes only: the same minute is no change, even when
                # the stored time has seconds.
                if values[name] == _to_minute(getattr(self.survey_round, name)):
                    del values[name]
        return values


def _initial(survey_round: Round | None, organisations: list[int]) -> dict[str, Any]:
    if survey_round is None:
        return {"include_staff": True}
    return {
        "name": survey_round.name,
        "opens_at": _to_minute(survey_round.opens_at),
        "closes_at": _to_minute(survey_round.closes_at),
        "external_questionnaire": survey_round.external_questionnaire_id,
        "internal_questionnaire": survey_round.internal_questionnaire_id,
        "organisations": organisations,
        "include_staff": survey_round.include_staff,
        "record_organisation": survey_round.record_organisation,
    }


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _questionnaires(
    variant: str, current: int | None, all_versions: bool
) -> QuerySet[Questionnaire]:
    """The latest version of the variant (all versions on request), plus the current."""
    questionnaires = Questionnaire.objects.filter(variant=variant).order_by("-version")
    if all_versions:
        return questionnaires
    latest = (
        Questionnaire.objects.filter(variant=OuterRef("variant"))
        .order_by("-version")
        .values("version")[:1]
    )
    return questionnaires.filter(Q(version=Subquery(latest)) | Q(pk=current))


class TransitionForm(forms.Form):
    """One step forward; closing and publishing need an explicit confirmation."""

    ACTIONS_NEEDING_CONFIRMATION = frozenset({"close", "publish"})

    action = forms.ChoiceField(
        choices=[
            ("open", _("Open the round")),
            ("close", _("Close the round")),
            ("publish", _("Publish the results")),
        ],
        widget=forms.HiddenInput,
    )
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a Form's clean() returns its cleaned_data
        action = cleaned.get("action")
        if action in self.ACTIONS_NEEDING_CONFIRMATION and not cleaned.get("confirm"):
            message = {
                "close": _(
                    "Confirm that you want to close the round: no answers are accepted "
                    "after closing."
                ),
                "publish": _("Confirm that you want to publish the results of this round."),
            }[action]
            self.add_error("confirm", message)
        return cleaned
