from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

import django_filters

from partners.models import Contact, Organisation, Region, Theme
from partners.search import search_contacts
from portal.filters import SortFilter


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

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
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
