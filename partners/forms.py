from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from portal.forms import formfield_https


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = formfield_https
        fields = ["name", "kind", "cbs_code", "oin", "tooi_uri", "website", "region", "ended_on"]
        widgets = {"ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_cbs_code(self) -> str:
        return self.cleaned_data["cbs_code"].strip().upper()

    def clean_oin(self) -> str:
        return self.cleaned_data["oin"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        kind, code = cleaned.get("kind"), cleaned.get("cbs_code")
        expected_prefix = {
            Organisation.Kind.GEMEENTE: "GM",
            Organisation.Kind.WATERSCHAP: "WS",
            Organisation.Kind.PROVINCIE: "PV",
        }
        if code and kind:
            prefix = expected_prefix.get(kind)
            if prefix is None:
                self.add_error(
                    "cbs_code",
                    _("Only municipalities, water boards and provinces have a CBS code."),
                )
            elif not code.startswith(prefix):
                self.add_error(
                    "cbs_code",
                    _("The CBS code of a %(kind)s starts with %(prefix)s.")
                    % {"kind": Organisation.Kind(kind).label.lower(), "prefix": prefix},
                )
        return cleaned
