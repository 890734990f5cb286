"""The form of an improvement action ("you said, we did")."""

from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from thermometer.models import PROPERTY_LABELS, ImprovementAction

DATE_INPUT = "%Y-%m-%d"


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
            "due_date": forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
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
