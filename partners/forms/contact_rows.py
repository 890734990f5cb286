"""One row of a contacts import file, checked as a form (services/contact_import.py)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partners.models import Contact, Organisation, Theme

VISIBILITY_VALUES = {
    "intern": Contact.Visibility.INTERNAL,
    "internal": Contact.Visibility.INTERNAL,
    "gedeeld": Contact.Visibility.SHARED,
    "shared": Contact.Visibility.SHARED,
}

_PHONE = re.compile(r"^[0-9+()\-. ]*$")


class ContactRowForm(forms.Form):
    """One row of an import file: the checks a person entering the contact would get."""

    organisation = forms.CharField(max_length=200)
    name = forms.CharField(max_length=200)
    function = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=30, required=False)
    themes = forms.CharField(required=False)
    visibility = forms.CharField(required=False)
    topics = forms.CharField(max_length=300, required=False)

    def __init__(
        self,
        data: dict[str, str],
        *,
        organisations: dict[str, Organisation],
        themes: dict[str, Theme],
    ) -> None:
        super().__init__(data)
        self.organisations = organisations
        self.known_themes = themes

    def clean_organisation(self) -> Organisation:
        value = self.cleaned_data["organisation"]
        organisation = self.organisations.get(value.upper()) or self.organisations.get(
            value.lower()
        )
        if organisation is None:
            raise ValidationError(
                _("Unknown organisation “%(value)s”: use its name or CBS code as in the register.")
                % {"value": value}
            )
        return organisation

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        if not _PHONE.match(value):
            raise ValidationError(_("A telephone number has only digits, spaces and + - ( )."))
        return value

    def clean_themes(self) -> list[Theme]:
        names = [name.strip() for name in self.cleaned_data["themes"].split(";") if name.strip()]
        unknown = [name for name in names if name.lower() not in self.known_themes]
        if unknown:
            raise ValidationError(_("Unknown themes: %(themes)s.") % {"themes": ", ".join(unknown)})
        return list(
            {
                self.known_themes[name.lower()].pk: self.known_themes[name.lower()]
                for name in names
            }.values()
        )

    def clean_visibility(self) -> str:
        value = self.cleaned_data["visibility"].lower()
        if value and value not in VISIBILITY_VALUES:
            raise ValidationError(_("Visibility is “intern” or “gedeeld”."))
        return VISIBILITY_VALUES.get(value, "")
