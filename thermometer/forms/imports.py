"""The form for importing an earlier round as aggregated counts.

The form reads and checks the file as a whole (thermometer/services/counts_file.py
does the reading); the rows are checked by the service, which lists every problem.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.forms import date_input
from portal.lib.tabular.imports import TableFileField
from thermometer.models import Round
from thermometer.services import counts_file


class ResultsImportForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example 2020."))
    opens_on = forms.DateField(label=_("Opened on"), widget=date_input())
    closes_on = forms.DateField(label=_("Closed on"), widget=date_input())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the round was run and counted, e.g. “on paper, counted by hand”."),
    )
    file = TableFileField(
        reader=counts_file.read_counts_file,
        max_bytes=counts_file.MAX_BYTES,
        label=_("File with counts"),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if Round.objects.filter(name=name).exists():
            raise forms.ValidationError(_("A round with this name already exists."))
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # a Form's clean() returns its cleaned_data
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        # A plausible range: the service checks it too, and cannot store year 1.
        if opens_on and opens_on < counts_file.EARLIEST_DAY:
            self.add_error("opens_on", _("The opening date must be on or after 1 January 1990."))
        if closes_on and closes_on > timezone.localdate():
            self.add_error(
                "closes_on",
                _("An imported round lies in the past: the closing date cannot be after today."),
            )
        elif opens_on and closes_on and closes_on <= opens_on:
            self.add_error("closes_on", _("The closing date must be after the opening date."))
        return cleaned
