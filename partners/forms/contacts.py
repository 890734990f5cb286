"""The form of a contact."""

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Contact, Organisation, Theme
from portal.lib.forms import BoundedModelMultipleChoiceField, formfield_https


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        formfield_callback = formfield_https
        fields = [
            "organisation",
            "name",
            "function",
            "email",
            "phone",
            "themes",
            "topics",
            "visibility",
            "is_general",
        ]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An ended organisation stays choosable for the contacts it already has.
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)  # the model's foreign key
        organisation.queryset = Organisation.objects.filter(
            Q(pk__in=Organisation.objects.active()) | Q(pk=self.instance.organisation_id)
        )
        self.fields["themes"] = BoundedModelMultipleChoiceField(
            queryset=Theme.objects.all(),
            required=False,
            label=self.fields["themes"].label,
            widget=forms.CheckboxSelectMultiple,
        )

    def _get_validation_exclusions(self) -> set[str]:
        # The unique e-mail constraint's condition reads anonymised_at, which is not a
        # form field; without it Django would skip the check and the database would
        # answer with an IntegrityError instead of a message next to the field.
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]  # private, not in django-stubs
        return exclusions - {"anonymised_at"}

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        digits = phone.replace(" ", "").replace("-", "")
        if phone and not re.fullmatch(r"\+?\d{6,15}", digits):
            raise forms.ValidationError(
                _("Enter a telephone number with digits only, for example 030 258 9111.")
            )
        return phone

    def clean_topics(self) -> str:
        topics = [t.strip() for t in self.cleaned_data["topics"].split(",")]
        return ", ".join(t for t in topics if t)

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean() returns its cleaned_data
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(
                _(
                    "Enter an e-mail address or a telephone number, "
                    "so people can reach this contact."
                )
            )
        return cleaned
