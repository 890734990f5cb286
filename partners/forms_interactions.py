"""Forms of the contact-moment log: the moment, its follow-ups and the list filter."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

import django_filters

from partners.models import Contact, FollowUp, Interaction, Organisation
from partners.services.interactions import FollowUpInput
from portal.filters import SortFilter
from portal.models import User
from portal.roles import Role

PROVINCE_ROLES = (Role.STAFF, Role.ACCOUNT_HOLDER, Role.BEHEERDER)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def province_staff(*, also: int | Iterable[int] | None = None) -> QuerySet[User]:
    """Users who may own a follow-up; `also` keeps current owners who have since left."""
    in_role = Q(is_active=True, groups__name__in=[role.value for role in PROVINCE_ROLES])
    keep = [also] if isinstance(also, int) else [pk for pk in also or [] if pk]
    return (
        User.objects.filter((in_role | Q(pk__in=keep)) if keep else in_role)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OrganisationChoiceForm(forms.Form):
    """The first step of recording a contact moment: with whom? (?organisation=<pk>)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        empty_label=_("Choose an organisation"),
        help_text=_("The partner you were in contact with. Next you choose who took part."),
        error_messages={
            "required": _("Choose the organisation you were in contact with."),
            "invalid_choice": _("Choose an organisation from the list."),
        },
    )


class ContactChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.name} ({obj.function})" if obj.function else obj.name


class InteractionForm(forms.ModelForm):
    """A contact moment; who took part is limited to the organisation's current contacts."""

    class Meta:
        model = Interaction
        fields = ["organisation", "occurred_on", "contacts", "summary", "agreements"]
        field_classes = {"contacts": ContactChoiceField}
        widgets = {
            "organisation": forms.HiddenInput,
            "occurred_on": date_input(),
            "contacts": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 5}),
            "agreements": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "occurred_on": _("The day of the meeting, call or visit; not in the future."),
            "contacts": _("Current contacts of the organisation."),
            "summary": _("What was discussed."),
            "agreements": _("What was agreed, by whom."),
        }
        error_messages = {
            "organisation": {
                "required": _("Choose the organisation you were in contact with."),
                "invalid_choice": _("Choose an organisation from the list."),
            },
            "occurred_on": {
                "required": _("Enter the date of the contact moment."),
                "invalid": _("Enter a real date, for example 1-10-2026."),
            },
            "contacts": {
                "invalid_choice": _("Choose only current contacts of the chosen organisation."),
                "invalid_pk_value": _("Choose only current contacts of the chosen organisation."),
            },
            "summary": {"required": _("Write a short summary of what was discussed.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Who took part depends on the organisation: it is chosen once, at the start.
            self.fields["organisation"].disabled = True
        # Not `organisation`: templates look up form.organisation as the bound field.
        self.chosen_organisation = self._chosen_organisation()
        self.fields["contacts"].queryset = (
            Contact.objects.active().filter(organisation=self.chosen_organisation)
            if self.chosen_organisation
            else Contact.objects.none()
        )
        occurred_on = self.fields["occurred_on"]
        occurred_on.widget.attrs["max"] = timezone.localdate().isoformat()
        # The model's callable default would add a hidden "initial-" input; nothing uses it.
        occurred_on.show_hidden_initial = False

    def _chosen_organisation(self) -> Organisation | None:
        field = self.fields["organisation"]
        if self.instance.pk:
            return self.instance.organisation
        if self.is_bound:
            value = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix("organisation")
            )
        else:
            value = self.get_initial_for_field(field, "organisation")
        if isinstance(value, Organisation):
            return value
        try:
            return field.clean(value)
        except ValidationError:
            return None

    def clean_occurred_on(self) -> date | None:
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on and occurred_on > timezone.localdate():
            raise ValidationError(
                _("The date cannot be in the future: record a contact moment once it took place."),
                code="future",
            )
        return occurred_on


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": date_input()}
        labels = {"description": _("What needs to be done")}
        error_messages = {
            "description": {"required": _("Describe what needs to be done.")},
            "owner": {
                "required": _("Choose who will do this."),
                "invalid_choice": _("Choose a province staff member as owner."),
            },
            "due_on": {
                "required": _("Enter a due date for this follow-up."),
                "invalid": _("Enter a real date, for example 1-10-2026."),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = province_staff(also=self.instance.owner_id)
        self.fields["owner"].empty_label = _("Choose an owner")


class BaseFollowUpFormSet(forms.BaseInlineFormSet):
    @cached_property
    def forms(self) -> list[forms.Form]:
        """The rows, sharing one list of possible owners (one query, not one per row)."""
        rows = super().forms
        owners = list(province_staff(also=[f.instance.owner_id for f in rows if f.instance.pk]))
        for form in rows:
            field = form.fields["owner"]
            field.choices = [("", field.empty_label)] + [
                (user.pk, field.label_from_instance(user)) for user in owners
            ]
        return rows

    def inputs(self) -> list[FollowUpInput]:
        """The new and changed follow-ups; the empty extra rows are left out."""
        return [
            FollowUpInput(
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                follow_up=form.instance if form.instance.pk else None,
            )
            for form in self.forms
            if form.has_changed()
        ]


# Three empty rows make "add another" work without JavaScript; no role may delete a
# follow-up, so there is no delete box. absolute_max bounds a tampered TOTAL_FORMS.
FollowUpFormSet = forms.inlineformset_factory(
    Interaction,
    FollowUp,
    form=FollowUpForm,
    formset=BaseFollowUpFormSet,
    extra=3,
    can_delete=False,
    max_num=100,
    absolute_max=100,
)


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
