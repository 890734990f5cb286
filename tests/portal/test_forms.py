"""The portal's form rendering: NL Design System classes on the inputs, not around them."""

import re

from django import forms


class Choices(forms.Form):
    format = forms.ChoiceField(
        choices=[("csv", "CSV"), ("xlsx", "Excel")], widget=forms.RadioSelect
    )
    themes = forms.MultipleChoiceField(
        choices=[("a", "Wonen"), ("b", "Energie")], widget=forms.CheckboxSelectMultiple
    )


def test_radio_buttons_and_checkboxes_carry_their_class_but_their_wrapper_does_not() -> None:
    """The wrapper once got the radio button's class too, took its shape (a 24px
    circle) and squeezed every label into a column of letters."""
    html = str(Choices())
    wrappers = re.findall(r'<div id="id_(?:format|themes)"([^>]*)>', html)
    assert wrappers == [' class="portal-choices"', ' class="portal-choices"']
    radios = re.findall(r'<input type="radio"[^>]*class="([^"]+)"', html)
    assert radios == ["utrecht-radio-button utrecht-radio-button--html-input"] * 2
    boxes = re.findall(r'<input type="checkbox"[^>]*class="([^"]+)"', html)
    assert boxes == ["utrecht-checkbox utrecht-checkbox--html-input"] * 2
