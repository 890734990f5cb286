from django.contrib import admin
from django.db import models

from partners.models import (
    AccountHolder,
    Contact,
    FollowUp,
    Interaction,
    Organisation,
    PersonalDataLog,
    Region,
    Theme,
)

# The history of records is shown on the portal's own detail pages; simple-history's
# admin views are not used because their templates carry inline styles (strict CSP).

# As in the portal's own forms: a URL typed without scheme becomes https://.
HTTPS_URLS: dict[type[models.Field], dict[str, str]] = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cbs_code", "region", "ended_on"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "cbs_code", "oin"]
    list_select_related = ["region"]
    formfield_overrides = HTTPS_URLS


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "function", "visibility", "anonymised_at"]
    list_filter = ["visibility", "organisation__kind", "themes"]
    search_fields = ["name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(AccountHolder)
class AccountHolderAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "scope", "theme", "is_primary", "starts_on", "ends_on"]
    list_filter = ["scope", "theme", "is_primary"]
    list_select_related = ["user", "organisation", "theme"]
    autocomplete_fields = ["organisation"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "occurred_on", "recorded_by"]
    list_select_related = ["organisation", "recorded_by"]
    inlines = [FollowUpInline]


@admin.register(PersonalDataLog)
class PersonalDataLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "description", "row_count"]
    list_filter = ["action"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # An accountability log is never edited.
