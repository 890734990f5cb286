"""portal/lib/htmx.py: requests whose fragment would be useless get the whole page."""

from django.test import Client
from django.urls import reverse

import pytest


@pytest.mark.parametrize("url_name", ["partners:contact_list", "partners:organisation_list"])
def test_the_back_button_after_a_live_filter_gets_the_whole_page(
    staff_client: Client, url_name: str
) -> None:
    """htmx keeps no history cache here, so Back asks the page again as a history
    restore: answering with the fragment left a bare list without header or filter."""
    url = reverse(url_name) + "?q=a"
    fragment = staff_client.get(url, headers={"HX-Request": "true"}).content.decode()
    restored = staff_client.get(
        url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment
    assert "<html" in restored and 'id="results"' in restored
