"""Account-holder assignments, and the question they answer: whom do I call?"""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import AccountHolder, Organisation, Theme
from portal.lib.forms import date_input
from portal.lib.roles import province_staff


class AccountHolderForm(forms.ModelForm):
    class Meta:
        model = AccountHolder
        fields = ["user", "organisation", "scope", "theme", "is_primary", "starts_on", "ends_on"]
        widgets = {
            "scope": forms.RadioSelect,
            "starts_on": date_input(),
            "ends_on": date_input(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The current values stay choosable, so a departed colleague's assignment or
        # one of an ended organisation can still be ended.
        user, organisation = self.fields["user"], self.fields["organisation"]
        assert isinstance(user, forms.ModelChoiceField)  # the model's foreign keys
        assert isinstance(organisation, forms.ModelChoiceField)
        user.queryset = province_staff(also=self.instance.user_id)  # shown as str(user)
        organisation.queryset = Organisation.objects.filter(
            Q(pk__in=Organisation.objects.active()) | Q(pk=self.instance.organisation_id)
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean() returns its cleaned_data
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
