from django.contrib import admin
from django.db import models

from partners.models import Organisation, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cbs_code", "region", "ended_on"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "cbs_code", "oin"]
    list_select_related = ["region"]
    # As in the portal's own form: a URL typed without scheme becomes https://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
