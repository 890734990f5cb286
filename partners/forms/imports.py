"""The upload form of the contacts import."""

from django import forms

from partners.services.contact_import import IMPORT_MAX_BYTES, read_contact_file
from portal.lib.tabular.imports import TableFileField


class ContactImportForm(forms.Form):
    file = TableFileField(reader=read_contact_file, max_bytes=IMPORT_MAX_BYTES)
