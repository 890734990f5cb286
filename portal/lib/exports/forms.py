"""The forms that start an export."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.lib.exports.datasets import Dataset
from portal.lib.models import ExportJob


class ExportFormatForm(forms.Form):
    """Only the file format: for a dataset started from its own page."""

    format = forms.ChoiceField(
        label=_("File format"),
        choices=ExportJob.Format.choices,
        initial=ExportJob.Format.XLSX,
        widget=forms.RadioSelect,
    )


class ExportForm(ExportFormatForm):
    """The export form: which dataset, which format; the list's filters come along as
    hidden fields (exports/export_create.html) and are checked by the dataset."""

    dataset = forms.ChoiceField(label=_("What to export"), widget=forms.RadioSelect)
    field_order = ["dataset", "format"]

    def __init__(self, *args: Any, offered: Sequence[Dataset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered = {dataset.key: dataset for dataset in offered}
        dataset = self.fields["dataset"]
        assert isinstance(dataset, forms.ChoiceField)  # declared above
        dataset.choices = [(d.key, d.label) for d in offered]
        self.notices = [d.notice for d in offered if d.notice]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("dataset"):
            try:
                cleaned["filters"] = self.offered[cleaned["dataset"]].clean_filters(self.data)
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned
