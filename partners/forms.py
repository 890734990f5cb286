import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import AccountHolder, Contact, Organisation, Theme
from portal.forms import BoundedModelMultipleChoiceField, formfield_https


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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # An ended organisation stays choosable for the contacts it already has.
        self.fields["organisation"].queryset = Organisation.objects.filter(
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
        return super()._get_validation_exclusions() - {"anonymised_at"}

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
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(
                _(
                    "Enter an e-mail address or a telephone number, "
                    "so people can reach this contact."
                )
            )
        return cleaned


class AccountHolderForm(forms.ModelForm):
    class Meta:
        model = AccountHolder
        fields = ["user", "organisation", "scope", "theme", "is_primary", "starts_on", "ends_on"]
        widgets = {
            "scope": forms.RadioSelect,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        from portal.models import User
        from portal.roles import Role

        province_roles = [Role.STAFF.value, Role.ACCOUNT_HOLDER.value, Role.BEHEERDER.value]
        # The current values stay choosable, so a departed colleague's assignment or
        # one of an ended organisation can still be ended.
        self.fields["user"].queryset = (
            User.objects.filter(
                Q(groups__name__in=province_roles, is_active=True) | Q(pk=self.instance.user_id)
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(pk__in=Organisation.objects.active()) | Q(pk=self.instance.organisation_id)
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        scope, theme = cleaned.get("scope"), cleaned.get("theme")
        if scope == AccountHolder.Scope.THEME and not theme:
            self.add_error("theme", _("Choose the theme of this thematic assignment."))
        if scope == AccountHolder.Scope.AREA and theme:
            self.add_error("theme", _("An area assignment has no theme; leave it empty."))
        return cleaned


class WhomToCallForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.active().exclude(kind=Organisation.Kind.PROVINCIE),
        empty_label=_("Choose an organisation"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        help_text=_("The subject you want to discuss."),
    )
