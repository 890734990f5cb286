"""Forms of the contact-moment log: the moment and its follow-ups."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from partners.models import Contact, FollowUp, Interaction, Organisation
from partners.services.interactions import FollowUpInput
from portal.lib.forms import date_input
from portal.lib.roles import province_staff


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
        contacts = self.fields["contacts"]
        assert isinstance(contacts, ContactChoiceField)  # Meta.field_classes
        contacts.queryset = (
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
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # the model's foreign key
        owner.queryset = province_staff(also=self.instance.owner_id)
        owner.empty_label = _("Choose an owner")


class BaseFollowUpFormSet(forms.BaseInlineFormSet):
    @cached_property
    def forms(self) -> list[forms.ModelForm]:
        """The rows, sharing one list of possible owners (one query, not one per row)."""
        rows = super().forms
        owners = list(province_staff(also=[f.instance.owner_id for f in rows if f.instance.pk]))
        for form in rows:
            field = form.fields["owner"]
            assert isinstance(field, forms.ModelChoiceField)  # FollowUpForm's owner
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
