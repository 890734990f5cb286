"""The FilterSets of the register's list pages: the view hands them request.GET."""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

import django_filters

from partners.models import (
    Contact,
    FollowUp,
    Interaction,
    Organisation,
    OrganisationQuerySet,
    Region,
    Theme,
)
from partners.services.search import search_contacts
from portal.lib.filters import SortFilter


class OrganisationFilter(django_filters.FilterSet):
    """Filters of the organisation list; the view hands it request.GET."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Name, CBS code or region"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("All kinds")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.all(), empty_label=_("All regions")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Active")), ("ended", _("Ended"))],
        empty_label=_("Active and ended"),
        method="filter_status",
    )
    sort = SortFilter(
        tiebreak=("name", "pk"),
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("kind", "kind"),
            ("region__name", "region"),
            ("cbs_code", "cbs_code"),
        ),
        field_labels={
            "name": _("Name"),
            "kind": _("Kind"),
            "region__name": _("Region"),
            "cbs_code": _("CBS code"),
        },
        empty_label=_("Name (A-Z)"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region", "status"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(cbs_code__iexact=value) | Q(region__name__icontains=value)
        )

    def filter_status(
        self, queryset: OrganisationQuerySet, name: str, value: str
    ) -> OrganisationQuerySet:
        if value == "active":
            return queryset.active()
        if value == "ended":
            return queryset.ended()
        return queryset


class ContactFilter(django_filters.FilterSet):
    """Filters of the contact list; search goes through partners.search."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Name, function, topic or organisation"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        empty_label=_("All organisations"),
    )
    themes = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), empty_label=_("All themes")
    )
    sort = SortFilter(
        tiebreak=("name", "pk"),
        label=_("Sort by"),
        fields=(("name", "name"), ("organisation__name", "organisation"), ("function", "function")),
        field_labels={
            "name": _("Name"),
            "organisation__name": _("Organisation"),
            "function": _("Function"),
        },
        empty_label=_("Name (A-Z)"),
    )

    class Meta:
        model = Contact
        fields = ["q", "organisation", "themes"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_contacts(queryset, value)


class InteractionFilter(django_filters.FilterSet):
    """Filters of the contact-moment list; the view hands it request.GET and the request."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Words in the summary or agreements"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        empty_label=_("All organisations"),
    )
    mine = django_filters.BooleanFilter(
        label=_("Only those I recorded"), method="filter_mine", widget=forms.CheckboxInput
    )
    open_follow_ups = django_filters.BooleanFilter(
        label=_("Only with open follow-ups"),
        method="filter_open_follow_ups",
        widget=forms.CheckboxInput,
    )
    sort = SortFilter(
        tiebreak=("-occurred_on", "-pk"),
        label=_("Sort by"),
        fields=(("occurred_on", "occurred_on"), ("organisation__name", "organisation")),
        field_labels={"occurred_on": _("Date"), "organisation__name": _("Organisation")},
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Interaction
        fields = ["q", "organisation", "mine", "open_follow_ups"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(summary__icontains=value) | Q(agreements__icontains=value))

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.filter(recorded_by=self.request.user) if value else queryset

    def filter_open_follow_ups(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Exists(FollowUp.objects.open().filter(interaction=OuterRef("pk"))))
