"""What can be exported: the datasets apps register, each with its own permission.

A dataset is a small class in the app that owns the data (<app>/exports.py):

    class OrganisationsDataset(FilteredDataset):
        key = "organisations"
        label = _("Organisations")
        permission = "partners.export_contacts"
        choosable = True  # offered on the export form, with its list page's filters
        filterset = OrganisationFilter
        columns = (Column(_("Name"), lambda organisation: organisation.name), ...)

        def queryset(self, job): return Organisation.objects.all()

and `datasets.register(OrganisationsDataset())` in the app's AppConfig.ready(), so that
web and worker processes both know it. The kernel never imports an app: apps register.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _

import django_filters

from portal.lib.tabular.writing import Column

if TYPE_CHECKING:
    from portal.lib.models import ExportJob, User


class ExportRefused(Exception):
    """The export may not be built; the message is the job's error (for the logs)."""


@dataclass(frozen=True)
class ExportRows:
    """What a job exports: the primary keys in order, the queryset that fetches a batch
    of them, and the columns."""

    pks: list[Any]
    fetch: QuerySet[Any]
    columns: Sequence[Column]


class Dataset:
    """An exportable dataset. Subclasses set the class attributes and rows()."""

    key: ClassVar[str]  # in URLs (?dataset=) and ExportJob.dataset
    label: ClassVar[str | Promise]
    permission: ClassVar[str]  # the requester must still hold it when the file is built
    # Offered on the export form (exports:create), with the filters of its list page;
    # a dataset started from a page of its own (one round's answers) is not.
    choosable: ClassVar[bool] = False
    # What the export form tells about this dataset's files (e.g. that they are logged).
    notice: ClassVar[str | Promise] = ""

    @property
    def filter_keys(self) -> tuple[str, ...]:
        """The query parameters of the list page that an export of this dataset carries."""
        return ()

    def may_export(self, user: "User") -> bool:
        return user.has_perm(self.permission)

    def clean_filters(self, data: Mapping[str, Any]) -> dict[str, str]:
        """The filters in `data` that apply, validated; ValidationError if they are not."""
        return {
            key: str(data.get(key, "")).strip()
            for key in self.filter_keys
            if str(data.get(key, "")).strip()
        }

    def describe(self, filters: Mapping[str, str]) -> list[tuple[str, str]]:
        """(label, value) pairs of a job's filters, for people to read."""
        return [(key, value) for key, value in filters.items()]

    def rows(self, job: "ExportJob") -> ExportRows:
        """What the job exports; ExportRefused when it may not be built."""
        raise NotImplementedError

    def trail(self, job: "ExportJob") -> list[tuple[str, str]]:
        """The breadcrumbs (URL, name) of a job's status page. The last one is the page
        the export started from: the way back, and where to start again after a
        failure, with the job's filters."""
        query = urlencode({"dataset": self.key, **job.filters})
        return [(f"{reverse('exports:create')}?{query}", _("Export"))]

    def finished(self, job: "ExportJob", *, rows: int) -> None:
        """Called once, in the transaction that makes the file available (e.g. to log
        an export of personal data)."""


class FilteredDataset(Dataset):
    """A dataset that is a list page's rows: the same FilterSet picks and sorts them."""

    filterset: ClassVar[type[django_filters.FilterSet]]
    columns: ClassVar[Sequence[Column]]

    def queryset(self, job: "ExportJob") -> QuerySet[Any]:
        """The rows the requester may export, before the filters."""
        raise NotImplementedError

    def fetch(self) -> QuerySet[Any]:
        """The queryset a batch of rows is read with (with its related objects)."""
        return self.filterset._meta.model._default_manager.all()

    @property
    def filter_keys(self) -> tuple[str, ...]:
        return tuple(self.filterset.base_filters)

    def clean_filters(self, data: Mapping[str, Any]) -> dict[str, str]:
        filters = super().clean_filters(data)
        if not self.filterset(filters, queryset=self.fetch().none()).is_valid():
            raise ValidationError(
                _("The filters from the list are not valid. Go back to the list and try again."),
                code="invalid_filters",
            )
        return filters

    def describe(self, filters: Mapping[str, str]) -> list[tuple[str, str]]:
        form = self.filterset(filters, queryset=self.fetch().none()).form
        if not form.is_valid():
            return super().describe(filters)
        described = []
        for key in filters:
            value = form.cleaned_data.get(key)
            bound = form[key]
            if isinstance(bound.field, forms.ChoiceField) and not isinstance(value, Model):
                choices = bound.field.choices
                assert not callable(choices)  # the field wraps a callable in an iterator
                labels = dict(choices)
                # The sort filter's value is a list of choices.
                values = value if isinstance(value, list) else [value]
                value = ", ".join(str(labels.get(item, item)) for item in values)
            described.append((str(bound.label or key), str(value)))
        return described

    def rows(self, job: "ExportJob") -> ExportRows:
        filterset = self.filterset(job.filters, queryset=self.queryset(job))
        if not filterset.is_valid():
            # django-filter would drop the filter that no longer holds (a theme deleted
            # since the export was asked for) and export everything: refuse instead.
            raise ExportRefused("The filters of the export are no longer valid.")
        found = filterset.qs
        # A join (themes, say) may list a row twice; the list shows it once.
        pks = list(dict.fromkeys(found.values_list("pk", flat=True)))
        return ExportRows(pks=pks, fetch=self.fetch(), columns=self.columns)


_REGISTRY: dict[str, Dataset] = {}


def register(dataset: Dataset) -> None:
    """Make a dataset exportable. Registering a key again replaces it (autoreload)."""
    _REGISTRY[dataset.key] = dataset


def find(key: str) -> Dataset | None:
    return _REGISTRY.get(key)


def exportable_by(user: "User") -> list[Dataset]:
    """The datasets the user may export, in the order they were registered."""
    return [dataset for dataset in _REGISTRY.values() if dataset.may_export(user)]
