"""The form of an organisation of the register."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from portal.lib.forms import date_input, formfield_https


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = formfield_https
        fields = ["name", "kind", "cbs_code", "oin", "tooi_uri", "website", "region", "ended_on"]
        widgets = {"ended_on": date_input()}

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_cbs_code(self) -> str:
        return self.cleaned_data["cbs_code"].strip().upper()

    def clean_oin(self) -> str:
        return self.cleaned_data["oin"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean() returns its cleaned_data
        kind, code = cleaned.get("kind"), cleaned.get("cbs_code")
        # One whole sentence per kind: translators get no assembled fragments.
        kind_enum = Organisation.Kind
        wrong_prefix = {
            kind_enum.GEMEENTE: ("GM", _("The CBS code of a municipality starts with GM.")),
            kind_enum.WATERSCHAP: ("WS", _("The CBS code of a water board starts with WS.")),
            kind_enum.PROVINCIE: ("PV", _("The CBS code of a province starts with PV.")),
        }
        if code and kind:
            if kind not in wrong_prefix:
                self.add_error(
                    "cbs_code",
                    _("Only municipalities, water boards and provinces have a CBS code."),
                )
            elif not code.startswith(wrong_prefix[kind][0]):
                self.add_error("cbs_code", wrong_prefix[kind][1])
        return cleaned
