"""The form of an improvement action ("you said, we did").

A new action's form carries a random submission key, so that posting it twice adds
the action once; an existing action's form carries the moment it was last saved, so
that an edit never silently overwrites someone else's (a lost update).
"""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import formats, timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from portal.lib.forms import date_input
from thermometer.models import PROPERTY_LABELS, ImprovementAction

STALE = "stale"
STALE_MESSAGE = _(
    "Someone else changed this improvement action in the meantime. Check the current "
    "values and save again."
)


class ImprovementActionForm(forms.ModelForm):
    properties = forms.MultipleChoiceField(
        label=_("Properties addressed"),
        choices=list(PROPERTY_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The properties of the province this action should improve."),
    )

    class Meta:
        model = ImprovementAction
        fields = ["title", "description", "owner", "status", "due_date", "properties"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "due_date": date_input(),
        }
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "owner": _("Action owner"),
            "status": _("Status"),
            "due_date": _("Due date"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form never shows a round: the view sets it before validation.
        self.survey_round = self.instance.round
        if self.instance.pk is None:
            self.fields["submission_key"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=uuid.uuid4
            )
            name = self.add_prefix("submission_key")
            if self.is_bound and _uuid(self.data.get(name)) is None:
                # A form without a (valid) key gets a new one: it is not a resubmission.
                assert isinstance(self.data, (MultiValueDict, dict))  # request.POST, or a dict
                data = self.data.copy()
                data[name] = str(uuid.uuid4())
                self.data = data
        else:
            # The stored moment when the form was shown; compared again on saving.
            self.version = _version(self.instance)
            self.fields["version"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=self.version
            )

    @classmethod
    def refused_as_stale(cls, action: ImprovementAction) -> "ImprovementActionForm":
        """The form of `action` with its current values and the version they have,
        and the error that the values posted were based on an older version."""
        current = cls(instance=action)
        data = {bound.html_name: bound.value() for bound in current}
        form = cls(data, instance=action)
        form.add_error(None, forms.ValidationError(STALE_MESSAGE, code=STALE))
        return form

    @property
    def submission_key(self) -> uuid.UUID | None:
        """The key of a new action's form: the one posted, or the one about to be shown."""
        if "submission_key" not in self.fields:
            return None
        return _uuid(self["submission_key"].value())

    @property
    def stale(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, STALE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean() returns its cleaned_data
        if "version" in self.fields and cleaned.get("version") != self.version:
            raise forms.ValidationError(STALE_MESSAGE, code=STALE)
        return cleaned

    def clean_due_date(self) -> Any:
        due_date = self.cleaned_data["due_date"]
        opened = timezone.localdate(self.survey_round.opens_at)
        if due_date is not None and due_date < opened:
            raise forms.ValidationError(
                _("The due date cannot be before the round opened (%(date)s)."),
                code="before_round",
                params={"date": formats.date_format(opened, "j F Y")},
            )
        return due_date

    def clean_properties(self) -> list[str]:
        chosen = set(self.cleaned_data["properties"])
        # Stored in the fixed order of the properties, so the history shows real changes.
        return [key for key in PROPERTY_LABELS if key in chosen]


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _version(action: ImprovementAction) -> str:
    return action.updated_at.isoformat() if action.updated_at else ""
