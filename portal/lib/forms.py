"""Form rendering shared by every app: NL Design System classes and ARIA wiring."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# Order matters: CheckboxSelectMultiple subclasses RadioSelect, so it comes first.
WIDGET_CLASSES = {
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
}
TEXTBOX_CLASS = "utrecht-textbox utrecht-textbox--html-input"


class PortalBoundField(BoundField):
    """Ties each input to its help text and error message for screen readers."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = dict(attrs)
        css = next(
            (classes for kind, classes in WIDGET_CLASSES.items() if isinstance(widget, kind)),
            TEXTBOX_CLASS,
        )
        if self.errors:
            css += " " + css.split()[0] + "--invalid"
        attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        described_by = []
        if self.help_text:
            described_by.append(f"{self.auto_id}_helptext")
        if self.errors:
            described_by.append(f"{self.auto_id}_error")
        if described_by and self.auto_id and not widget.use_fieldset:
            attrs.setdefault("aria-describedby", " ".join(described_by))
        return super().build_widget_attrs(attrs, widget)


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "components/_form.html"
    field_template_name = "components/_field.html"
    bound_field_class = PortalBoundField


def date_input() -> forms.DateInput:
    """A date field's widget: the browser's date picker, with the value in ISO form."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def formfield_https(field: Any, **kwargs: Any) -> forms.Field | None:
    """ModelForm `formfield_callback`: URLs typed without scheme become https://."""
    from django.db import models

    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class LoginForm(AuthenticationForm):
    """Django's login form without autofocus.

    Autofocus would put keyboard users past the skip link and the header before they
    know where they are on the page (WCAG 2.4.3, focus order).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rejects ids beyond a 64-bit integer before they reach the database.

    SQLite raises OverflowError (a 500) on such a value; PostgreSQL answers with an
    error the form turns into a message. Both now get the message.
    """

    def _check_values(self, value: Any) -> Any:
        for item in value:
            if str(item).strip().lstrip("-").isdigit() and abs(int(item)) > 2**63 - 1:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)  # type: ignore[misc]  # private, not in django-stubs
